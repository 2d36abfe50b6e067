import Foundation
import IndexCore
import MarketData
import PortfolioStore

/// `alerts.eval.10x100`: the alert rules for 10 indices × 100 holdings (every rule fed: drift bands
/// with breaches, 100 signal label changes, a regime history, keys and a feed). `alerts.store.10x100`:
/// the whole evaluation after a tick on a database of that size (read, rules, reconciliation, one
/// transaction).
enum AlertBenchmarks {
    static func inputs(now: Int64) -> AlertInputs {
        let symbols = (0..<100).map { "S\($0)" }
        let indices = (0..<10).map { i in
            AlertInputs.Index(
                slug: "index-\(i)", rule: RebalanceRule(schedule: .weekly, driftBand: 0.05),
                weights: symbols.enumerated().map { j, s in
                    // Every tenth holding is 6 points off its 1 % target in one index out of two.
                    .init(s, weight: 0.01 + (i % 2 == 0 && j % 10 == 0 ? 0.06 : 0.001), target: 0.01)
                }, dueTrigger: i % 3 == 0 ? "scheduled" : nil, dcaDue: i == 4, constituents: symbols,
                regimeConfirmDays: i % 2 == 1 ? 3 : nil, regimeChange: i % 2 == 1 ? ("low", "high") : nil)
        }
        var signals: [String: AlertInputs.LabelChange] = [:]
        for (j, s) in symbols.enumerated() {
            signals[s] = .init(previous: j % 7 == 0 ? "bearish" : "bullish", current: "bullish")
        }
        let keys = (0..<6).map {
            AlertInputs.Key(
                id: "p\($0)/dev/read", version: 1, usable: true, retired: false, expires: now + Int64($0) * 5 * 86_400,
                rejected: $0 == 5)
        }
        return AlertInputs(
            now: now, indices: indices, signals: signals,
            regimeHistory: Array(repeating: "low", count: 57) + ["high", "high", "high"], keys: keys,
            feeds: [AlertInputs.Feed(name: "sim", staleAfter: 6, lastPriceTime: now - 1)])
    }

    static func run(_ h: Harness, scratch: String) throws {
        let now: Int64 = 1_790_000_000
        let input = inputs(now: now)
        var conditions = 0
        try h.time("alerts.eval.10x100", runs: 101) { conditions = AlertRules.evaluate(input).conditions.count }
        // 15 signal flips × 10 indices, 5 drifts, 5 due, 5 index regimes and the market's, 4 keys.
        precondition(!h.wants("alerts.eval.10x100") || conditions == 150 + 5 + 5 + 6 + 4, "\(conditions)")

        guard h.wants("alerts.store.10x100") else { return }
        let path = scratch + "/bench-alerts.db"
        let store = try PortfolioStore(path: path, clock: { now })
        let assets = MarketBenchmarks.hundredAssets
        try store.upsertAssets(assets.map(\.asset))
        var sim = MarketSimulator(seed: 11, assets: assets)
        var t = now
        try store.insertPrices(sim.step(dt: 1, time: t), source: "bench")
        for i in 0..<10 {
            let spec = try IndexSpec.parse(
                Data(
                    #"{"slug":"index-\#(i)","name":"Index \#(i)","initial_capital":100000,"universe":{"top":100},"methodology":{"type":"equal"},"rebalance":{"schedule":"weekly","drift_band":0.05}}"#
                        .utf8), file: "bench")
            try store.createIndex(spec)
        }
        try h.time(
            "alerts.store.10x100", runs: 21,
            setup: {
                t += 2
                try store.insertPrices(sim.step(dt: 2.0 / 86_400, time: t), source: "bench")
            }
        ) { try store.evaluateAlerts(now: t) }
    }
}
