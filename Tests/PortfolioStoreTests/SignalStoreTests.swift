import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

/// Signal-driven indices through the store (DESIGN §4–§5): targets from the computed ratings, the regime's
/// risk-off share, imported signals taking precedence, `risk-off` triggers, trend and RSI methodologies,
/// stored signals and the demo.
///
/// Expected weights are worked out by hand (python3 scratch): with every candidate at the same conviction,
/// weight ∝ √market cap; caps 400, 100, 100, 100 give 0.4, 0.2, 0.2, 0.2, capped at 0.3 → 0.3 and
/// 0.7/3 each; then × (1 − risk-off share) with the share in USDC.
@Suite struct SignalStoreTests {
    static let tolerance = 1e-9

    private func expectWeights(
        _ got: [String: Double], _ expected: [String: Double], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(Set(got.keys) == Set(expected.keys), "\(got)", sourceLocation: sourceLocation)
        for (symbol, w) in expected {
            #expect(
                abs((got[symbol] ?? -1) - w) < Self.tolerance, "\(symbol): \(got[symbol] ?? -1) vs \(w)",
                sourceLocation: sourceLocation)
        }
    }

    /// Held weights after the initial rebalance (no costs, so they equal the targets).
    private func heldWeights(_ f: SignalFixture, _ slug: String) throws -> [String: Double] {
        let v = try f.store.valuation(slug, at: SignalFixture.lastTime)
        return Dictionary(uniqueKeysWithValues: v.holdings.filter { $0.quantity > 0 }.map { ($0.symbol, $0.weight) })
    }

    /// BTC plus four rising tokens R1 (cap 400) and R2–R4 (cap 100); BTC rising gives a `low` regime,
    /// falling (with two more falling tokens) a `high` one.
    private func risingTokens(_ f: SignalFixture, btc: SignalFixture.Shape) throws {
        try f.add("USDC", .flat, base: 1, cap: 3e10, stablecoin: true)
        try f.add("BTC", btc, base: 30000, cap: 1e12)
        if btc == .falling {
            try f.add("F1", .falling, cap: 1e8)
            try f.add("F2", .falling, cap: 1e8)
        }
        try f.add("R1", .rising, base: 50, cap: 4e8)
        for s in ["R2", "R3", "R4"] { try f.add(s, .rising, base: 10, cap: 1e8) }
    }

    @Test func allBearishUniverseHoldsOnlyTheStablecoin() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try f.add("USDC", .flat, base: 1, cap: 3e10, stablecoin: true)
        try f.add("BTC", .falling, base: 30000, cap: 1e12)
        for s in ["F1", "F2", "F3", "F4"] { try f.add(s, .falling) }
        let spec = try SignalFixture.spec(
            "bears", universe: ["F1", "F2", "F3", "F4"], methodology: SignalFixture.signalMethodology)
        let initial = try f.store.createIndex(spec, at: SignalFixture.lastTime)
        #expect(initial.trigger == "initial")
        #expect(try f.store.regime(at: SignalFixture.lastTime).risk == .high)
        let idx = try f.store.index("bears")
        expectWeights(idx.targets, ["USDC": 1])
        let positions = try f.store.positions(idx.id)
        #expect(Set(positions.keys) == ["USDC"])
        #expect(abs((positions["USDC"]?.quantity ?? 0) - 100_000) < 1e-6)
        expectWeights(try heldWeights(f, "bears"), ["USDC": 1])
    }

    @Test func risingTokensAreHeldCappedAtLowRisk() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .rising)
        #expect(try f.store.regime(at: SignalFixture.lastTime).risk == .low)
        let spec = try SignalFixture.spec(
            "bulls", universe: ["R1", "R2", "R3", "R4"], methodology: SignalFixture.signalMethodology)
        try f.store.createIndex(spec, at: SignalFixture.lastTime)
        let expected = ["R1": 0.3, "R2": 0.7 / 3, "R3": 0.7 / 3, "R4": 0.7 / 3]
        expectWeights(try f.store.index("bulls").targets, expected)
        expectWeights(try heldWeights(f, "bulls"), expected)
    }

    @Test func highRiskMovesItsShareIntoTheStablecoin() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .falling)
        let regime = try f.store.regime(at: SignalFixture.lastTime)
        #expect(regime.risk == .high)
        // BTC, F1, F2 bearish out of seven non-stablecoin assets.
        #expect(abs(regime.breadth - 3.0 / 7.0) < 1e-12)
        let spec = try SignalFixture.spec(
            "bulls", universe: ["R1", "R2", "R3", "R4"], methodology: SignalFixture.signalMethodology)
        try f.store.createIndex(spec, at: SignalFixture.lastTime)
        let expected = ["R1": 0.12, "R2": 0.28 / 3, "R3": 0.28 / 3, "R4": 0.28 / 3, "USDC": 0.6]
        expectWeights(try f.store.index("bulls").targets, expected)
        expectWeights(try heldWeights(f, "bulls"), expected)
    }

    @Test func aBearishImportRemovesAnOtherwiseBullishToken() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .rising)
        let today = SignalFixture.lastTime
        try f.store.insertImportedSignals([
            ImportedSignal(symbol: "R1", day: today, label: "bearish", score: -0.8, source: "desk"),
            // Yesterday's import is still in force today (imported_max_age, default 7 days, DESIGN §5)…
            ImportedSignal(symbol: "R3", day: today - SignalFixture.day, label: "bearish", score: -1, source: "desk"),
            // …one from 8 days ago is not.
            ImportedSignal(
                symbol: "R2", day: today - 8 * SignalFixture.day, label: "bearish", score: -1, source: "desk"),
        ])
        let spec = try SignalFixture.spec(
            "bulls", universe: ["R1", "R2", "R3", "R4"], methodology: SignalFixture.signalMethodology)
        try f.store.createIndex(spec, at: today)
        // Two tokens at cap 0.3 cannot fill the index: the rest waits in the stablecoin.
        let expected = ["R2": 0.3, "R4": 0.3, "USDC": 0.4]
        expectWeights(try f.store.index("bulls").targets, expected)
        expectWeights(try heldWeights(f, "bulls"), expected)
    }

    @Test func anImportedScoreIsTheConviction() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .rising)
        try f.store.insertImportedSignals([
            ImportedSignal(symbol: "R2", day: SignalFixture.lastTime, label: "bullish", score: 0.375, source: "desk")
        ])
        let spec = try SignalFixture.spec(
            "bulls", universe: ["R1", "R2", "R3", "R4"], methodology: SignalFixture.signalMethodology)
        try f.store.createIndex(spec, at: SignalFixture.lastTime)
        // Raw 0.75·20, 0.375·10, 0.75·10, 0.75·10 → R1 capped at 0.3, 0.7 split 1 : 2 : 2.
        expectWeights(try f.store.index("bulls").targets, ["R1": 0.3, "R2": 0.14, "R3": 0.28, "R4": 0.28])
    }

    @Test func aRegimeChangeBetweenRebalancesIsARiskOffTrigger() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .rising)
        let spec = try SignalFixture.spec(
            "bulls", universe: ["R1", "R2", "R3", "R4"], methodology: SignalFixture.signalMethodology)
        try f.store.createIndex(spec, at: SignalFixture.lastTime)
        #expect(try f.store.dueTrigger(f.store.index("bulls"), at: SignalFixture.lastTime) == nil)

        // Days 300–302: BTC halves (below its SMA50, still above its SMA200) while the tokens keep rising.
        // The change takes effect after risk_off.confirm_days (default 3) consecutive closes: on day 302.
        var t: Int64 = 0
        for next in SignalFixture.days..<(SignalFixture.days + 3) {
            try f.extend("BTC", day: next, factor: 0.5)
            for s in ["USDC", "R1", "R2", "R3", "R4"] { try f.extend(s, day: next) }
            t = SignalFixture.time(next)
            let regime = try f.store.regime(at: t)
            #expect(regime.risk == .medium)
            #expect(regime.btcTrend.contains("below SMA50"))
            let due = try f.store.dueTrigger(f.store.index("bulls"), at: t)
            #expect(due == (next == SignalFixture.days + 2 ? .riskOff : nil), "day \(next)")
        }

        let done = try f.store.runDue("bulls", at: t)
        #expect(done.map(\.trigger) == ["risk-off"])
        #expect(done.first?.reason == "regime changed to medium risk")
        let history = try f.store.history("bulls")
        #expect(history.map(\.trigger) == ["risk-off", "initial"])
        #expect(history.first?.trades.contains { $0.symbol == "USDC" && $0.side == .buy } == true)
        expectWeights(
            try f.store.index("bulls").targets,
            ["R1": 0.21, "R2": 0.49 / 3, "R3": 0.49 / 3, "R4": 0.49 / 3, "USDC": 0.3])
        // Nothing more is due until the regime changes again.
        #expect(try f.store.dueTrigger(f.store.index("bulls"), at: t) == nil)
    }

    @Test func trendAndRSIIndicesThroughTheStore() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try f.add("USDC", .flat, base: 1, stablecoin: true)
        try f.add("VEE", .vee)
        try f.add("F1", .falling)
        let trend = #"{"type":"trend","sma":50,"stablecoin":"USDC"}"#
        let rsi = #"{"type":"rsi","enter":60,"exit":40,"stablecoin":"USDC"}"#
        for (slug, methodology) in [("trend", trend), ("rsi", rsi)] {
            try f.store.createIndex(
                SignalFixture.spec(slug, universe: ["VEE", "F1"], methodology: methodology, schedule: "daily"),
                at: SignalFixture.lastTime)
            expectWeights(try f.store.index(slug).targets, ["VEE": 0.5, "USDC": 0.5])
            expectWeights(try heldWeights(f, slug), ["VEE": 0.5, "USDC": 0.5])
            // On day 140 VEE was still falling: both wait in the stablecoin.
            try f.store.createIndex(
                SignalFixture.spec("\(slug)-early", universe: ["VEE", "F1"], methodology: methodology),
                at: SignalFixture.time(140))
            expectWeights(try f.store.index("\(slug)-early").targets, ["USDC": 1])
        }
    }

    @Test func refreshSignalsWritesOneRowPerAssetAndTheRegime() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .rising)
        try f.store.insertImportedSignals([
            ImportedSignal(symbol: "R3", day: SignalFixture.lastTime, label: "bearish", score: -1, source: "desk")
        ])
        #expect(try f.store.refreshSignals() == 6)
        let db = f.store.db
        #expect(try db.scalarInt("SELECT COUNT(*) FROM signals WHERE source = 'rating'") == 6)
        #expect(
            try db.scalarInt(
                "SELECT COUNT(DISTINCT symbol) FROM signals WHERE source = 'rating' AND time = ?",
                [SignalFixture.lastTime]) == 6)
        // The import is kept beside the rating.
        #expect(try db.scalarString("SELECT label FROM signals WHERE symbol = 'R3' AND source = 'desk'") == "bearish")
        let r1 = try #require(
            try db.queryOne("SELECT score, label, components FROM signals WHERE symbol = 'R1' AND source = 'rating'") {
                ($0.double(0), $0.string(1), $0.string(2))
            })
        #expect(abs(r1.0 - 0.75) < 1e-12)
        #expect(r1.1 == "bullish")
        let components = try #require(
            try JSONSerialization.jsonObject(with: Data(r1.2.utf8)) as? [String: Any])
        let votes = try #require(components["votes"] as? [[String: Any]])
        #expect(
            votes.compactMap { $0["rule"] as? String } == [
                "close_sma20", "close_sma50", "close_sma200", "sma50_sma200", "macd_signal", "rsi14", "bollinger",
                "roc7", "roc30",
            ])
        #expect(votes.compactMap { $0["vote"] as? Int } == [1, 1, 1, 1, 1, 0, 0, 1, 1])
        let indicators = try #require(components["indicators"] as? [String: Any])
        #expect(indicators.count == 17)
        #expect(indicators["volume_trend"] is NSNull)
        let regime = try #require(
            try db.queryOne("SELECT time, risk, breadth FROM regimes") { ($0.int64(0), $0.string(1), $0.double(2)) })
        #expect(regime.0 == SignalFixture.lastTime)
        #expect(regime.1 == "low")
        // The imported bearish R3 counts in the breadth (it takes precedence for its asset and day): 1 of 5.
        #expect(abs(regime.2 - 0.2) < 1e-12)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM regimes") == 1)
        // A second refresh on the same prices replaces rather than adds.
        #expect(try f.store.refreshSignals() == 6)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM signals") == 7)
    }

    @Test func signalViewsReportTheImportedSource() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try risingTokens(f, btc: .rising)
        try f.store.insertImportedSignals([
            ImportedSignal(
                symbol: "R2", day: SignalFixture.lastTime, label: "bearish", score: -0.4, source: "tokenmetrics")
        ])
        let views = try f.store.signalViews()
        #expect(views.map(\.symbol) == ["BTC", "R1", "R2", "R3", "R4", "USDC"])
        let r2 = try #require(views.first { $0.symbol == "R2" })
        #expect(r2.source == "tokenmetrics")
        #expect(r2.label == "bearish")
        #expect(r2.score == -0.4)
        #expect(r2.conviction == 0.4)
        #expect(r2.time == SignalFixture.lastTime)
        #expect(r2.indicators?.sma200 != nil)
        let r1 = try #require(views.first { $0.symbol == "R1" })
        #expect(r1.source == "rating")
        #expect(r1.label == "bullish")
        #expect(abs(r1.score - 0.75) < 1e-12)
        #expect(abs(r1.conviction - 0.75) < 1e-12)
        #expect(r1.votes.count == 9)
        let only = try f.store.signalViews(symbols: ["R2"])
        #expect(only.map(\.source) == ["tokenmetrics"])
    }

    @Test func theDemoTradesTheStablecoinBothWaysAndGoesRiskOff() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        // 2026-11-29T00:00:00Z.
        try DemoSeeder.seed(f.store, now: 1_795_910_400)
        let slugs = try f.store.indices().map(\.slug)
        #expect(
            slugs == [
                "hodl-top10", "defi-pulse", "top20-sqrt", "memes-ew", "defi-ai", "ai-tokens-ai", "eth-trend",
                "btc-rsi",
            ])
        for slug in ["defi-ai", "ai-tokens-ai", "eth-trend", "btc-rsi"] {
            let history = try f.store.history(slug)
            let usdc = history.flatMap(\.trades).filter { $0.symbol == "USDC" }
            #expect(usdc.contains { $0.side == .buy }, "\(slug) never bought USDC")
            #expect(usdc.contains { $0.side == .sell }, "\(slug) never sold USDC")
        }
        for slug in ["defi-ai", "ai-tokens-ai"] {
            let riskOff = try f.store.history(slug, withTrades: false).filter { $0.trigger == "risk-off" }
            #expect(!riskOff.isEmpty, "\(slug) has no risk-off rebalance")
            #expect(riskOff.allSatisfy { $0.reason.hasPrefix("regime changed to ") })
        }
        #expect(try f.store.db.scalarInt("SELECT COUNT(*) FROM regimes") == 1)
        #expect(try f.store.setting("demo") == "true")
    }
}
