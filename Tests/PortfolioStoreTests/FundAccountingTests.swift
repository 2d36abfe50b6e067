import Foundation
import IndexCore
import PortfolioStore
import Testing

/// Fund accounting edge cases (DESIGN §6–§7).
@Suite struct FundAccountingTests {
    let f: StoreFixture

    init() throws {
        f = try StoreFixture()
        try f.prices(at: jan1, ["BTC": 100, "ETH": 50], caps: ["BTC": 10, "ETH": 10])
        try f.prices(at: jan1 + day, ["BTC": 150, "ETH": 50], caps: ["BTC": 10, "ETH": 10])
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"fund","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"rebalance":{"schedule":"none"},"fees_bps":0,"slippage_bps":0,"min_trade":0}"#
            ), at: jan1)
        try f.store.recordNAV(f.store.index("fund"), at: jan1 + day)
    }

    @Test func aFullRedemptionKeepsTheValuePerUnitAndALaterDepositIsIssuedAtIt() throws {
        // 50 BTC-worth units: 5 000 / 100 = 50 BTC... 10 units of 1 000; BTC +50 %: NAV 12 500, 1 250 a unit.
        #expect(try f.store.valuation("fund", at: jan1 + day).navPerUnit == 1250)
        let out = try f.store.planWithdrawal("fund", amount: 12_500, at: jan1 + day)
        try f.store.apply(out, checkStale: false)
        let idx = try f.store.index("fund")
        #expect(abs(idx.units) < 1e-12)
        // The day's NAV point keeps 1 250 (never 1 000).
        #expect(try f.store.navSeries("fund").last?.value == 1250)
        #expect(try f.store.valuation("fund", at: jan1 + day).navPerUnit == 1250)
        let deposit = try f.store.planDeposit("fund", amount: 2500, at: jan1 + day)
        #expect(deposit.unitsDelta == 2)
        try f.store.apply(deposit, checkStale: false)
        #expect(abs(try f.store.valuation("fund", at: jan1 + day).navPerUnit - 1250) < 1e-9)
    }

    @Test func sinceInceptionStartsAtTheFirstPoint() {
        // 1 000 at creation, then two points on the next day: 1 100 and 1 210. Since inception is
        // 1 210 / 1 000 − 1 = 21 %, not 1 210 / 1 100 − 1 (from the first day's close).
        let series = [
            ValuePoint(time: jan1 + 3600, value: 1000), ValuePoint(time: jan1 + day, value: 1100),
            ValuePoint(time: jan1 + day + 3600, value: 1210),
        ]
        let figures = Analytics.figures(series)
        #expect(abs((figures.returnAll ?? 0) - 0.21) < 1e-12)
        #expect(figures.from == jan1 + 3600)
    }
}
