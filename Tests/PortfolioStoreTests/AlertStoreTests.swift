import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

/// Alerts raised, de-duplicated and cleared on a real database file (DESIGN §10).
@Suite struct AlertStoreTests {
    let f: StoreFixture

    /// BTC 1000 : ETH 400 : SOL 100 by market cap, capped at .5 → BTC .5, ETH .4, SOL .1; band ±5 points.
    init() throws {
        f = try StoreFixture()
        try f.prices(
            at: jan1, ["BTC": 50_000, "ETH": 2_500, "SOL": 100, "USDC": 1],
            caps: ["BTC": 1000, "ETH": 400, "SOL": 100, "USDC": 50])
        try f.store.createIndex(
            try f.spec(
                """
                {"slug":"l1","name":"Layer 1","initial_capital":100000,"universe":["BTC","ETH","SOL"],
                 "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"none","drift_band":0.05},
                 "fees_bps":10,"slippage_bps":5,"min_trade":10}
                """))
    }

    func rows() throws -> [String] {
        try f.store.alerts(all: true).reversed().map {
            "\($0.id) \($0.key) \($0.state.rawValue) \($0.firstSeen - jan1)-\($0.lastSeen - jan1)"
        }
    }

    @Test func aPriceThatBreaksTheBandRaisesDriftOnceAndARebalanceClearsIt() throws {
        #expect(try f.store.evaluateAlerts(now: jan1).raised.isEmpty)
        // BTC × 1.5: values .75N, .4N, .1N of NAV 1.25N → weights .60, .32, .08; BTC +10 and ETH −8 points
        // are beyond ±5, SOL −2 is not.
        try f.prices(at: jan1 + 3600, ["BTC": 75_000], caps: ["BTC": 1000])
        let first = try f.store.evaluateAlerts(now: jan1 + 3600)
        #expect(
            first.raised.map(\.message) == [
                "l1: BTC at 60.0% vs target 50.0%, beyond the band ±5.0 pts and 1 more",
                "l1: rebalance due (drift)",
            ])
        #expect(first.raised.map(\.key) == [AlertKey(.drift, index: "l1"), AlertKey(.due, index: "l1")])
        // Still beyond the band a minute later: the same rows, seen again, nothing raised.
        let again = try f.store.evaluateAlerts(now: jan1 + 3660)
        #expect(again.raised.isEmpty && again.open == 2)
        #expect(try rows() == ["1 drift/l1/ new 3600-3660", "2 due/l1/ new 3600-3660"])

        let plan = try f.store.planRebalance("l1", trigger: .drift)
        try f.store.apply(plan)
        let after = try f.store.evaluateAlerts(now: jan1 + 3720)
        #expect(after.cleared == 2 && after.open == 0)
        #expect(try rows() == ["1 drift/l1/ cleared 3600-3660", "2 due/l1/ cleared 3600-3660"])
        #expect(try f.store.alerts().isEmpty)
        #expect(try f.store.alerts(all: true).allSatisfy { $0.clearedAt == jan1 + 3720 })

        // Broken again: a new alert (a new row), not the cleared one revived.
        try f.prices(at: jan1 + 7200, ["BTC": 120_000], caps: ["BTC": 1000])
        let third = try f.store.evaluateAlerts(now: jan1 + 7200)
        #expect(third.raised.map(\.id) == [3, 4])
    }

    @Test func anAcknowledgedAlertStaysAcknowledgedWhileItHoldsAndClearsWhenItEnds() throws {
        try f.prices(at: jan1 + 3600, ["BTC": 75_000])
        let drift = try #require(try f.store.evaluateAlerts(now: jan1 + 3600).raised.first)
        #expect(try f.store.acknowledgeAlert(drift.id).state == .acknowledged)
        #expect(try f.store.evaluateAlerts(now: jan1 + 3700).raised.isEmpty)
        #expect(try f.store.alerts().first { $0.id == drift.id }?.state == .acknowledged)
        try f.prices(at: jan1 + 3800, ["BTC": 50_000])  // back on target
        try f.store.evaluateAlerts(now: jan1 + 3800)
        #expect(try f.store.alerts(all: true).first { $0.id == drift.id }?.state == .cleared)
        #expect(throws: StoreError.self) { try f.store.acknowledgeAlert(99) }
    }

    @Test func aSignalFlipOfAConstituentIsRaisedAndClearsTheNextSignalDay() throws {
        func signal(_ day: Int64, _ label: String) -> ImportedSignal {
            ImportedSignal(
                symbol: "BTC", day: day, label: label, score: label == "bullish" ? 0.5 : -0.5, source: "file")
        }
        try f.store.insertImportedSignals([signal(jan1 - day, "bearish"), signal(jan1, "bullish")])
        let r = try f.store.evaluateAlerts(now: jan1)
        #expect(r.raised.map(\.key) == [AlertKey(.signal, index: "l1", asset: "BTC")])
        #expect(r.raised.first?.message == "l1: BTC signal bearish → bullish")
        try f.store.insertImportedSignals([signal(jan1 + day, "bullish")])
        #expect(try f.store.evaluateAlerts(now: jan1 + day).cleared == 1)
    }

    @Test func keysAndFeedsAreOnlyJudgedWhenTheCallerKnowsThem() throws {
        let expiring = AlertInputs.Key(
            id: "coingecko/dev/read", version: 1, usable: true, retired: false, expires: jan1 + 3 * day, rejected: false
        )
        let stopped = AlertInputs.Feed(
            name: "coingecko", staleAfter: 180, lastPriceTime: jan1, stoppedError: "API key rejected (HTTP 401)")
        let r = try f.store.evaluateAlerts(now: jan1, context: AlertContext(keys: [expiring], feeds: [stopped]))
        #expect(
            r.raised.map(\.message) == [
                "feed coingecko stopped: API key rejected (HTTP 401)",
                "key coingecko/dev/read v1 expires in 3 days (2025-01-04T00:00:00Z)",
            ])
        // Neither known: both stay open. Another feed reported: coingecko's alert stays too.
        let sim = AlertInputs.Feed(name: "sim", staleAfter: 6, lastPriceTime: jan1 + 10)
        #expect(try f.store.evaluateAlerts(now: jan1 + 10, context: AlertContext(feeds: [sim])).cleared == 0)
        // The key renewed and the feed polling again: both cleared.
        let fine = AlertInputs.Feed(name: "coingecko", staleAfter: 180, lastPriceTime: jan1 + 20)
        let cleared = try f.store.evaluateAlerts(now: jan1 + 20, context: AlertContext(keys: [], feeds: [fine]))
        #expect(cleared.cleared == 2 && cleared.open == 0)
    }

    @Test func aVersionThreeDatabaseGainsTheAlertsTableAndKeepsItsData() throws {
        try f.store.db.execute("DROP TABLE alerts; PRAGMA user_version = 3")
        let reopened = try PortfolioStore(path: f.path, create: false)
        #expect(try reopened.db.userVersion == PortfolioStore.schemaVersion)
        #expect(try reopened.indices().map(\.slug) == ["l1"])
        try f.prices(at: jan1 + 3600, ["BTC": 75_000], caps: ["BTC": 1000])
        #expect(try reopened.evaluateAlerts(now: jan1 + 3600).raised.count == 2)
    }

    @Test func theHookClaimsEachAlertOnceAndAtMostOnePerInterval() throws {
        let keys = ["a", "b", "c"].map {
            AlertInputs.Key(
                id: "\($0)/dev/read", version: 1, usable: true, retired: false, expires: jan1 + day, rejected: false)
        }
        try f.store.evaluateAlerts(now: jan1, context: AlertContext(keys: keys))
        #expect(try f.store.claimAlertsForHook(now: jan1, minInterval: 60).map(\.key.asset) == ["a/dev/read"])
        #expect(try f.store.claimAlertsForHook(now: jan1 + 59, minInterval: 60).isEmpty)
        #expect(try f.store.claimAlertsForHook(now: jan1 + 60, minInterval: 60).map(\.key.asset) == ["b/dev/read"])
        #expect(try f.store.claimAlertsForHook(now: jan1 + 60, minInterval: 0).map(\.key.asset) == ["c/dev/read"])
        #expect(try f.store.claimAlertsForHook(now: jan1 + 600, minInterval: 0).isEmpty)
        #expect(try f.store.db.scalarInt("SELECT COUNT(*) FROM alerts WHERE hook_run IS NOT NULL") == 3)
    }
}
