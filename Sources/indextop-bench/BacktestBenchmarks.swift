import Dispatch
import Foundation
import IndexCore

/// Backtest engine benchmarks (DESIGN §13): the pure in-memory replay on a generated market.
/// `backtest.50x1500`: 50 assets × 1 500 days, weekly, equal weights then capped market caps (one run
/// does both, the work bt does in `.ci/bt-compare.sh`); `backtest.500x3650`: 500 assets × 10 years,
/// rebalanced daily (linear scaling); `backtest.sweep.12`: a 12-variant grid over 50 × 1 500 on every core.
enum BacktestBenchmarks {
    /// A random-walk market of `assets` × `days` (daily at 00:00 UTC from Monday 6 January 2020).
    static func market(assets: Int, days: Int, seed: UInt64) -> MarketMatrix {
        let t0: Int64 = 1_578_268_800
        let times = (0..<days).map { t0 + Int64($0) * UTCCalendar.day }
        let list = (0..<assets).map { Asset(symbol: String(format: "T%03d", $0), name: "T\($0)", sector: "Test") }
        var m = MarketMatrix(times: times, assets: list)
        var rng = SeededGenerator(seed: seed)
        for j in 0..<assets {
            var p = 1 + 999 * rng.nextUniform()
            let supply = 1e6 + 1e9 * rng.nextUniform()
            for k in 0..<days {
                m.set(step: k, asset: j, price: p, marketCap: p * supply, volume: 1e6)
                p *= exp(0.0003 + 0.04 * rng.nextNormal())
            }
        }
        return m
    }

    /// CPU seconds used by the calling thread.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func spec(_ methodology: String, assets: Int, schedule: String) throws -> IndexSpec {
        let universe = (0..<assets).map { "\"" + String(format: "T%03d", $0) + "\"" }.joined(separator: ",")
        return try IndexSpec.parse(
            Data(
                """
                {"slug":"bench","initial_capital":1000000,"universe":[\(universe)],"methodology":\(methodology),
                 "rebalance":{"schedule":"\(schedule)","weekday":1},"fees_bps":0,"slippage_bps":0,"min_trade":0}
                """.utf8), file: "bench")
    }

    static func run(_ h: Harness) throws {
        if h.wants("backtest.50x1500") || h.wants("backtest.sweep.12") {
            let m = market(assets: 50, days: 1500, seed: 5)
            let equal = try spec(#"{"type":"equal"}"#, assets: 50, schedule: "weekly")
            let capped = try spec(#"{"type":"market-cap","cap":0.1}"#, assets: 50, schedule: "weekly")
            try h.time("backtest.50x1500", runs: 11) {
                _ = try BacktestEngine(spec: equal, market: m).run()
                _ = try BacktestEngine(spec: capped, market: m).run()
            }
            // The same work in CPU time of this thread: on a shared machine the wall clock also counts the
            // time other processes had the core.
            if h.wants("backtest.50x1500") {
                var samples: [Double] = []
                for _ in 0..<11 {
                    let t0 = threadCPU()
                    _ = try BacktestEngine(spec: equal, market: m).run()
                    _ = try BacktestEngine(spec: capped, market: m).run()
                    samples.append((threadCPU() - t0) * 1000)
                }
                h.record("backtest.50x1500.cpu", samples, unit: "ms")
            }
            var list: [IndexSpec] = []
            for cap in [0.05, 0.1, 0.2] {
                for schedule in ["daily", "weekly", "monthly", "quarterly"] {
                    list.append(try spec(#"{"type":"market-cap","cap":\#(cap)}"#, assets: 50, schedule: schedule))
                }
            }
            let variants = list
            try h.time("backtest.sweep.12", runs: 5) {
                DispatchQueue.concurrentPerform(iterations: variants.count) { i in
                    var e = BacktestEngine(spec: variants[i], market: m)
                    e.keepEvents = false
                    _ = try? e.run()
                }
            }
        }
        if h.wants("backtest.500x3650") {
            let m = market(assets: 500, days: 3650, seed: 9)
            let equal = try spec(#"{"type":"equal"}"#, assets: 500, schedule: "daily")
            try h.time("backtest.500x3650", runs: 3) { _ = try BacktestEngine(spec: equal, market: m).run() }
        }
    }
}
