import Foundation
import IndexCore
import Testing

/// Monday 6 January 2025, 00:00 UTC.
private let monday: Int64 = 1_736_121_600
private let day: Int64 = 86_400

/// A two-asset market, one row a day: A doubles on day 1 and halves on day 8, B stays at 100.
private func market(days: Int = 9) -> MarketMatrix {
    var m = MarketMatrix(
        times: (0..<days).map { monday + Int64($0) * day },
        assets: [Asset(symbol: "B", name: "B", sector: "X"), Asset(symbol: "A", name: "A", sector: "X")])
    for k in 0..<days {
        let a: Double = k == 0 ? 100 : (k < 8 ? 200 : 100)
        m.set(step: k, asset: 0, price: a, marketCap: a * 10, volume: nil)
        m.set(step: k, asset: 1, price: 100, marketCap: 1000, volume: nil)
    }
    return m
}

private func spec(_ json: String) throws -> IndexSpec { try IndexSpec.parse(Data(json.utf8), file: "t") }

@Suite struct BacktestEngineTests {
    @Test func theMatrixColumnsAreSortedBySymbol() {
        #expect(market().symbols == ["A", "B"])
        #expect(market().priceAt(1, 0) == 200)
    }

    @Test func anEqualWeeklyIndexRebalancesOnMondayAndBeatsHoldingWhenThePriceReverts() throws {
        let s = try spec(
            #"{"slug":"eq","initial_capital":1000,"universe":["A","B"],"methodology":{"type":"equal"},"rebalance":{"schedule":"weekly","weekday":1},"fees_bps":0,"slippage_bps":0,"min_trade":0}"#
        )
        let r = try BacktestEngine(spec: s, market: market()).run()
        // Day 0: 500 in each (5 A, 5 B). Day 1: A at 200, NAV 1 500. Monday day 7: back to 750 / 750
        // (3.75 A, 7.5 B). Day 8: A at 100, NAV 375 + 750 = 1 125. Held: 5 × 100 + 500 = 1 000.
        #expect(r.navs.map(\.nav) == [1000, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1125])
        #expect(r.events.map(\.trigger) == [.initial, .scheduled])
        #expect(r.events.map(\.time) == [monday, monday + 7 * day])
        #expect(r.holdings == ["A": 3.75, "B": 7.5])
        #expect(r.navs.last?.navPerUnit == 1125)
        // Scheduled turnover: sold 250 of A, bought 250 of B, over 2 × 1 500.
        #expect(abs(r.events[1].plan.turnover - 1.0 / 6) < 1e-15)
        #expect(r.buyAndHold.last?.value == 1000)
        let f = r.figures
        #expect(abs((f.returnAll ?? 0) - 0.125) < 1e-15)
        #expect(abs((f.maxDrawdown ?? 0) - (1125.0 / 1500 - 1)) < 1e-15)
    }

    @Test func feesComeOutOfTheInitialNAV() throws {
        let s = try spec(
            #"{"slug":"fee","initial_capital":1000,"universe":["A","B"],"methodology":{"type":"equal"},"rebalance":{"schedule":"none"},"fees_bps":10,"slippage_bps":0,"min_trade":0}"#
        )
        let r = try BacktestEngine(spec: s, market: market(days: 2)).run()
        // V' = 1000 − 0.001 V' → V' = 1000 / 1.001 (the whole capital is traded once).
        #expect(abs(r.navs[0].nav - 1000 / 1.001) < 1e-9)
        #expect(abs(r.fees - (1000 - 1000 / 1.001)) < 1e-9)
    }

    @Test func aRelativeDriftBandTriggersWhenAWeightMovesFarEnough() throws {
        let s = try spec(
            #"{"slug":"dr","initial_capital":1000,"universe":["A","B"],"methodology":{"type":"fixed","weights":{"A":0.5,"B":0.5}},"rebalance":{"schedule":"none","drift_band_relative":0.2},"fees_bps":0,"slippage_bps":0,"min_trade":0}"#
        )
        let r = try BacktestEngine(spec: s, market: market()).run()
        // Day 1: A is 1000/1500 = 0.667, |0.667 − 0.5| / 0.5 = 0.33 > 0.2 → drift; day 8 A halves:
        // 375 / 1125 = 0.333 → drift again.
        #expect(r.events.map(\.trigger) == [.initial, .drift, .drift])
        #expect(r.events.map(\.time) == [monday, monday + day, monday + 8 * day])
    }

    @Test func aMonthlyDCADepositIssuesUnitsAtTheValuePerUnit() throws {
        let s = try spec(
            #"{"slug":"dca","initial_capital":1000,"universe":["A","B"],"methodology":{"type":"equal"},"rebalance":{"schedule":"none"},"fees_bps":0,"slippage_bps":0,"min_trade":0,"dca":{"amount":300,"schedule":"daily"}}"#
        )
        let r = try BacktestEngine(spec: s, market: market(days: 2)).run()
        // Day 1 (00:00, the first daily moment after creation): NAV 1 500 for 1 unit… 1 000 / 1 000 = 1
        // unit at 1 500 per unit; 300 buys 0.2 units and goes to the underweight B (A is 2/3).
        #expect(r.events.map(\.trigger) == [.initial, .deposit])
        #expect(abs(r.units - 1.2) < 1e-15)
        #expect(abs(r.navs[1].nav - 1800) < 1e-9)
        #expect(abs(r.navs[1].navPerUnit - 1500) < 1e-9)
        #expect(abs((r.holdings["B"] ?? 0) - 8) < 1e-12)
    }

    @Test func aSweepGridIsEveryCombinationFirstAxisSlowest() throws {
        let grid = try SweepGrid.parse(["methodology.cap=0.5,0.6,0.7", "rebalance.schedule=weekly,monthly"])
        let root: [String: Any] = [
            "slug": "g", "initial_capital": 1000, "universe": ["A", "B"], "methodology": ["type": "market-cap"],
        ]
        let v = try grid.variants(of: root, file: "g.json")
        #expect(
            v.map(\.label) == [
                "methodology.cap=0.5 rebalance.schedule=weekly", "methodology.cap=0.5 rebalance.schedule=monthly",
                "methodology.cap=0.6 rebalance.schedule=weekly", "methodology.cap=0.6 rebalance.schedule=monthly",
                "methodology.cap=0.7 rebalance.schedule=weekly", "methodology.cap=0.7 rebalance.schedule=monthly",
            ])
        #expect(v[3].spec.methodology.cap == 0.6)
        #expect(v[3].spec.rebalance.schedule == .monthly)
        #expect(throws: InputError.self) { try SweepGrid.parse(["methodology.cap"]) }
        // A value the spec refuses names the variant.
        let bad = try SweepGrid.parse(["rebalance.schedule=weekly,fortnightly"])
        #expect(throws: InputError.self) { try bad.variants(of: root, file: "g.json") }
    }
}
