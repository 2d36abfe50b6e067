import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

/// Market cap weights BTC 1000 : ETH 400 : SOL 100 capped at .5 → BTC .5, ETH .4, SOL .1 (the .1667 excess
/// of BTC shared 4:1).
private let capSpec = """
    {"slug":"l1","name":"Layer 1","initial_capital":100000,"universe":["BTC","ETH","SOL"],
     "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"none"},
     "fees_bps":10,"slippage_bps":5,"min_trade":10}
    """

@Suite struct IndexLifecycleTests {
    let f: StoreFixture

    init() throws {
        f = try StoreFixture()
        try f.prices(
            at: jan1, ["BTC": 50_000, "ETH": 2_500, "SOL": 100, "USDC": 1],
            caps: ["BTC": 1000, "ETH": 400, "SOL": 100, "USDC": 50])
    }

    private func close(_ a: Double?, _ b: Double, _ tol: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tol * max(1, abs(b))
    }

    @Test func creatingAnIndexBuysItsTargetsAtTheLatestPrices() throws {
        let r = try f.store.createIndex(try f.spec(capSpec))
        // All of 100 000 is spent on buys costing r = .0015 on top: invested N = 100 000 / 1.0015.
        // N = 99850.22466300549; BTC .5·N / 50 000, ETH .4·N / 2 500, SOL .1·N / 100 (python3).
        #expect(r.trigger == "initial")
        #expect(r.trades.allSatisfy { $0.side == .buy })
        let pos = try f.store.positions(try f.store.index("l1").id)
        #expect(close(pos["BTC"]?.quantity, 0.9985022466300548))
        #expect(close(pos["ETH"]?.quantity, 15.97603594608088))
        #expect(close(pos["SOL"]?.quantity, 99.8502246630055))
        #expect(pos["USDC"] == nil)
        let idx = try f.store.index("l1")
        #expect(idx.units == 100)  // 100 000 at 1 000 per unit
        #expect(idx.cash < 1e-6)
        #expect(close(idx.targets["BTC"], 0.5) && close(idx.targets["ETH"], 0.4) && close(idx.targets["SOL"], 0.1))
        let v = try f.store.valuation("l1")
        #expect(close(v.nav, 99850.22466300549))
        #expect(close(v.navPerUnit, 998.5022466300549))
        #expect(v.holdings.map(\.symbol) == ["BTC", "ETH", "SOL"])  // by value
        #expect(close(v.holdings[0].weight, 0.5))
        // Cost basis includes the costs: the whole 100 000.
        #expect(close(v.holdings.reduce(0) { $0 + $1.costBasis }, 100_000))
        #expect(try f.store.navSeries("l1").map(\.time) == [jan1])
    }

    @Test func aDuplicateSlugOrUnknownSymbolIsRefused() throws {
        try f.store.createIndex(try f.spec(capSpec))
        let before = try f.snapshot()
        #expect(throws: StoreError.self) { try f.store.createIndex(try f.spec(capSpec)) }
        let unknown = capSpec.replacingOccurrences(of: "\"l1\"", with: "\"x\"").replacingOccurrences(
            of: "\"SOL\"]", with: "\"DOGE\"]")
        let error = #expect(throws: StoreError.self) { try f.store.createIndex(try f.spec(unknown)) }
        #expect(error?.message.contains("DOGE") == true)
        #expect(try f.snapshot() == before)
    }

    @Test func aManualRebalanceBringsWeightsBackToTarget() throws {
        try f.store.createIndex(try f.spec(capSpec))
        // BTC doubles (its cap too): the targets stay .5/.4/.1 (capped) but BTC is now overweight.
        try f.prices(
            at: jan1 + day, ["BTC": 100_000, "ETH": 2_500, "SOL": 100],
            caps: ["BTC": 2000, "ETH": 400, "SOL": 100])
        let before = try f.store.valuation("l1")
        #expect(before.holdings[0].symbol == "BTC" && before.holdings[0].weight > 0.66)
        let plan = try f.store.planRebalance("l1")
        #expect(plan.plan.trades.first?.symbol == "BTC")
        #expect(plan.plan.trades.first?.side == .sell)
        let r = try f.store.apply(plan, reason: "test")
        #expect(r.trigger == "manual")
        #expect(r.reason == "test")
        #expect(r.time == jan1 + day)
        let after = try f.store.valuation("l1")
        for h in after.holdings { #expect(abs(h.weight - h.target) < 1e-7, "\(h.symbol)") }
        #expect(close(after.nav, plan.plan.navAfter))
        // Stored quantities are those of the plan.
        let pos = try f.store.positions(after.index.id)
        for (s, q) in plan.plan.holdingsAfter { #expect(close(pos[s]?.quantity, q)) }
        #expect(try f.store.navSeries("l1").map(\.time) == [jan1, jan1 + day])
    }

    @Test func historyIsNewestFirst() throws {
        try f.store.createIndex(try f.spec(capSpec))
        for (i, btc) in [60_000.0, 40_000, 55_000].enumerated() {
            let t = jan1 + Int64(i + 1) * day
            try f.prices(at: t, ["BTC": btc], caps: ["BTC": btc / 50])
            try f.store.apply(try f.store.planRebalance("l1"), reason: "r\(i)")
        }
        let history = try f.store.history("l1")
        #expect(history.map(\.time) == [jan1 + 3 * day, jan1 + 2 * day, jan1 + day, jan1])
        #expect(history.map(\.trigger) == ["manual", "manual", "manual", "initial"])
        #expect(history.map(\.reason).prefix(3) == ["r2", "r1", "r0"])
        #expect(try f.store.history("l1", limit: 2).map(\.reason) == ["r2", "r1"])
        for r in history where !r.trades.isEmpty {
            let sides = r.trades.map(\.side)
            #expect(sides == sides.sorted { $0 == .sell && $1 == .buy })
        }
    }

    @Test func aStalePlanIsRefusedAfterAPriceChange() throws {
        try f.store.createIndex(try f.spec(capSpec))
        try f.prices(at: jan1 + day, ["BTC": 60_000], caps: ["BTC": 1200])
        let plan = try f.store.planRebalance("l1")
        try f.prices(at: jan1 + 2 * day, ["BTC": 61_000], caps: ["BTC": 1220])
        let before = try f.snapshot()
        let error = #expect(throws: StoreError.self) { try f.store.apply(plan) }
        #expect(error?.message.contains("stale") == true)
        #expect(try f.snapshot() == before)
        // Recomputed, it applies.
        try f.store.apply(try f.store.planRebalance("l1"))
        #expect(try f.store.history("l1").count == 2)
    }

    @Test func aStalePlanIsRefusedAfterTheHoldingsChanged() throws {
        try f.store.createIndex(try f.spec(capSpec))
        try f.prices(at: jan1 + day, ["BTC": 60_000], caps: ["BTC": 1200])
        let plan = try f.store.planRebalance("l1")
        try f.store.apply(try f.store.planDeposit("l1", amount: 5_000))
        let error = #expect(throws: StoreError.self) { try f.store.apply(plan) }
        #expect(error?.message.contains("stale") == true)
    }

    @Test func aDepositIssuesUnitsAtTheCurrentValuePerUnit() throws {
        try f.store.createIndex(try f.spec(capSpec))
        try f.prices(at: jan1 + day, ["BTC": 60_000, "ETH": 2_000], caps: ["BTC": 1200, "ETH": 320])
        let before = try f.store.valuation("l1")
        let plan = try f.store.planDeposit("l1", amount: 10_000)
        #expect(plan.plan.trades.allSatisfy { $0.side == .buy })
        // BTC is overweight after its rise: the deposit buys only the underweights.
        #expect(!plan.plan.trades.contains { $0.symbol == "BTC" })
        try f.store.apply(plan)
        let after = try f.store.valuation("l1")
        let costs = plan.plan.fees + plan.plan.slippage
        #expect(costs > 0)
        #expect(close(after.index.units - before.index.units, (10_000 - costs) / before.navPerUnit))
        #expect(close(after.nav, before.nav + 10_000 - costs))
        #expect(close(after.navPerUnit, before.navPerUnit, 1e-12))
        #expect(after.index.cash >= 0)
        let flows = try f.store.db.query(
            "SELECT amount, units, kind FROM cash_flows WHERE kind = 'deposit'", []
        ) { ($0.double(0), $0.double(1), $0.string(2)) }
        #expect(flows.count == 1)
        #expect(flows.first?.0 == 10_000)
        #expect(close(flows.first?.1, after.index.units - before.index.units))
        #expect(try f.store.history("l1").first?.trigger == "deposit")
    }

    @Test func aWithdrawalRedeemsUnitsAtTheCurrentValuePerUnit() throws {
        try f.store.createIndex(try f.spec(capSpec))
        try f.prices(at: jan1 + day, ["BTC": 40_000, "SOL": 150], caps: ["BTC": 800, "SOL": 150])
        let before = try f.store.valuation("l1")
        let plan = try f.store.planWithdrawal("l1", amount: 25_000)
        #expect(plan.plan.trades.allSatisfy { $0.side == .sell })
        try f.store.apply(plan)
        let after = try f.store.valuation("l1")
        let costs = plan.plan.fees + plan.plan.slippage
        #expect(close(before.index.units - after.index.units, (25_000 + costs) / before.navPerUnit))
        #expect(close(after.nav, before.nav - 25_000 - costs))
        #expect(close(after.navPerUnit, before.navPerUnit, 1e-12))
        // Pro rata: the weights do not move.
        for (a, b) in zip(after.holdings, before.holdings) { #expect(close(a.weight, b.weight)) }
        #expect(throws: StoreError.self) { try f.store.planWithdrawal("l1", amount: 1e9) }
    }
}
