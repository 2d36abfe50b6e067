import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

@Suite struct ScheduleReplayTests {
    let f: StoreFixture

    init() throws {
        f = try StoreFixture()
        // Daily prices for 3 weeks from Wednesday 1 January 2025; BTC drifts up so weights move.
        for d in 0..<22 {
            try f.prices(
                at: jan1 + Int64(d) * day, ["BTC": 100 * (1 + 0.02 * Double(d)), "ETH": 50],
                caps: ["BTC": 10, "ETH": 10])
        }
    }

    @Test func aWeeklyScheduleRebalancesOnItsWeekday() throws {
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"wk","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"rebalance":{"schedule":"weekly","weekday":1},"min_trade":0}"#
            ), at: jan1)
        try f.store.replay(from: jan1 + day, to: jan1 + 21 * day, step: day)
        let history = try f.store.history("wk")
        // Mondays 6, 13 and 20 January (Unix days after 1 January: 5, 12, 19).
        #expect(history.map(\.time) == [jan1 + 19 * day, jan1 + 12 * day, jan1 + 5 * day, jan1])
        #expect(history.map(\.trigger) == ["scheduled", "scheduled", "scheduled", "initial"])
        for r in history.dropLast() {
            #expect(r.trades.map(\.symbol) == ["BTC", "ETH"])
            #expect(r.trades.map(\.side) == [.sell, .buy])
        }
        // One NAV point a day.
        #expect(try f.store.navSeries("wk").count == 22)
        // runDue at the same moment again finds nothing due.
        #expect(try f.store.runDue("wk", at: jan1 + 21 * day, checkStale: false).isEmpty)
    }

    @Test func aWeeklyScheduleAtAnHourIsDueAtTheFirstPriceAtOrAfterIt() throws {
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"wk9","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"rebalance":{"schedule":"weekly","weekday":1,"hour_utc":9},"min_trade":0}"#
            ), at: jan1)
        let idx = try f.store.index("wk9")
        #expect(try f.store.nextRebalance(idx) == jan1 + 5 * day + 9 * 3600)
        #expect(try f.store.dueTrigger(idx, at: jan1 + 5 * day + 9 * 3600 - 1) == nil)
        #expect(try f.store.dueTrigger(idx, at: jan1 + 6 * day) == .scheduled)
        try f.store.replay(from: jan1 + day, to: jan1 + 13 * day, step: day)
        // Daily steps at 00:00: the Monday 09:00 moments are caught on Tuesdays 7 and 14 January.
        #expect(try f.store.history("wk9").map(\.time) == [jan1 + 13 * day, jan1 + 6 * day, jan1])
    }

    @Test func aDriftBandRebalancesWhenAWeightLeavesIt() throws {
        // BTC gains 2 % a day against a flat ETH, from equal values: its weight on day d is
        // (1 + .02d)/(2 + .02d), above .55 when .009d > .1, d > 11.1: first on day 12 (1.24/2.24 = .5536;
        // day 11 is 1.22/2.22 = .5495).
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"band","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"rebalance":{"schedule":"none","drift_band":0.05},"min_trade":0}"#
            ), at: jan1)
        try f.store.replay(from: jan1 + day, to: jan1 + 21 * day, step: day)
        let history = try f.store.history("band")
        #expect(history.last?.trigger == "initial")
        #expect(history.first?.trigger == "drift")
        #expect(history.dropLast().allSatisfy { $0.trigger == "drift" })
        let first = history[history.count - 2]
        #expect(first.time == jan1 + 12 * day)
    }

    @Test func dcaDepositsOnTheirScheduleAtAnUnchangedValuePerUnit() throws {
        // Flat prices: every NAV point must be the starting value per unit, deposits or not.
        let flat = try StoreFixture()
        for d in 0..<22 { try flat.prices(at: jan1 + Int64(d) * day, ["BTC": 100, "ETH": 50]) }
        try flat.store.createIndex(
            try flat.spec(
                #"{"slug":"dca","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"none","weekday":1},"fees_bps":10,"slippage_bps":5,"min_trade":0,"dca":{"amount":1000,"schedule":"weekly"}}"#
            ), at: jan1)
        let npu0 = try flat.store.valuation("dca").navPerUnit
        try flat.store.replay(from: jan1 + day, to: jan1 + 21 * day, step: day)
        let flows = try flat.store.db.query(
            "SELECT time, amount, units FROM cash_flows WHERE kind = 'dca' ORDER BY time", []
        ) { ($0.int64(0), $0.double(1), $0.double(2)) }
        #expect(flows.map(\.0) == [jan1 + 5 * day, jan1 + 12 * day, jan1 + 19 * day])
        #expect(flows.allSatisfy { $0.1 == 1000 })
        // Units issued = (1000 − costs) / NAV per unit, costs = 1000/(1 + .0015)·.0015 when all is bought.
        let costs = 1000 / 1.0015 * 0.0015
        for flow in flows { #expect(abs(flow.2 - (1000 - costs) / npu0) < 1e-9) }
        let idx = try flat.store.index("dca")
        #expect(abs(idx.units - (10 + 3 * (1000 - costs) / npu0)) < 1e-9)
        for p in try flat.store.navSeries("dca") { #expect(abs(p.value - npu0) < 1e-9) }
        #expect(try flat.store.history("dca").map(\.trigger) == ["deposit", "deposit", "deposit", "initial"])
    }
}
