import Foundation
import IndexCore
import PortfolioStore

/// Benchmarks of the core: ingest, planning, valuation on a large database.
enum CoreBenchmarks {
    /// A database with `rows` price rows (100 assets × hourly points) and one market-cap index.
    static func makeDatabase(path: String, rows: Int) throws -> Double {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try PortfolioStore(path: path)
        let assetCount = 100
        let assets = (0..<assetCount).map {
            Asset(symbol: "A\($0)", name: "Asset \($0)", sector: $0 % 2 == 0 ? "DeFi" : "AI")
        }
        try store.upsertAssets(assets)
        let perAsset = rows / assetCount
        let end = Int64(1_790_000_000)
        var points: [PricePoint] = []
        points.reserveCapacity(rows)
        var rng = SeededGenerator(seed: 7)
        for (i, a) in assets.enumerated() {
            var p = 10.0 + Double(i)
            for k in 0..<perAsset {
                p *= 1 + 0.01 * rng.nextNormal()
                points.append(
                    PricePoint(
                        symbol: a.symbol, time: end - Int64(perAsset - k) * 3600, price: p,
                        marketCap: p * Double(1_000_000 * (i + 1)), volume: 1e6))
            }
        }
        let t0 = Harness.now()
        try store.insertPrices(points, source: "bench")
        let elapsed = Harness.now() - t0
        let spec = try IndexSpec.parse(
            Data(
                #"{"slug":"bench","name":"Bench","initial_capital":100000,"universe":{"top":50},"methodology":{"type":"market-cap","cap":0.1}}"#
                    .utf8),
            file: "bench")
        try store.createIndex(spec)
        return Double(points.count) / elapsed
    }

    static func run(_ h: Harness, scratch: String) throws {
        let dbPath = scratch + "/bench-1m.db"
        try h.throughput("ingest.1m", runs: 3) { try makeDatabase(path: dbPath, rows: 1_000_000) }
        // The 1M-row database is built only when a selected benchmark reads it.
        let needsDatabase = ["holdings.1m.valuation", "holdings.1m.cli"].contains(where: h.wants)
        if needsDatabase, !FileManager.default.fileExists(atPath: dbPath) {
            _ = try makeDatabase(path: dbPath, rows: 1_000_000)
        }

        var rng = SeededGenerator(seed: 11)
        let n = 1000
        var holdings: [String: Double] = [:]
        var prices: [String: Double] = [:]
        var targets: [String: Double] = [:]
        for i in 0..<n {
            let s = "T\(i)"
            prices[s] = 1 + rng.nextUniform() * 100
            holdings[s] = rng.nextUniform() * 100
            targets[s] = 1.0 / Double(n)
        }
        let input = PlanInput(
            holdings: holdings, cash: 1000, prices: prices, targets: targets, feeRate: 0.001, slippageRate: 0.0005,
            minTrade: 1)
        try h.time("plan.1000", runs: 21) { _ = try? RebalancePlanner.plan(input) }

        try h.time("holdings.1m.valuation", runs: 11) {
            let store = try PortfolioStore(path: dbPath, create: false)
            _ = try store.valuation("bench")
        }
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("indextop").path
        if FileManager.default.isExecutableFile(atPath: binary) {
            try h.time("holdings.1m.cli", runs: 7) {
                var pid: pid_t = 0
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                defer { posix_spawn_file_actions_destroy(&actions) }
                let words: [String] = [binary, "--db", dbPath, "holdings", "bench", "--json"]
                let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return }
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        try h.time("demo.init", runs: 3) {
            let path = scratch + "/bench-demo.db"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            let store = try PortfolioStore(path: path)
            try DemoSeeder.seed(store, now: 1_790_000_000)
        }
    }
}

/// Signal benchmarks: all indicators + rating + regime for 100 assets × 1 825 days; one asset's
/// indicators over 1 000 000 closes.
enum SignalBenchmarks {
    static func run(_ h: Harness) throws {
        var rng = SeededGenerator(seed: 3)
        var candles: [String: [Candle]] = [:]
        for a in 0..<100 {
            var p = 100.0
            candles["S\(a)"] = (0..<1825).map { d in
                p *= exp(0.03 * rng.nextNormal())
                return Candle(
                    day: 18_000 + d, open: p, high: p, low: p, close: p, volume: 1e6 * (1 + rng.nextUniform()))
            }
        }
        try h.time("signals.100x1825", runs: 11) {
            let signals = SignalEngine.evaluate(candles)
            _ = SignalEngine.regime(signals)
        }
        var closes = [Double](repeating: 0, count: 1_000_000)
        var p = 100.0
        for i in closes.indices {
            p *= exp(0.02 * rng.nextNormal())
            closes[i] = p
        }
        try h.time("indicators.1m", runs: 11) { _ = IndicatorSnapshot.latest(closes: closes) }
    }
}

/// Runs the market-data cases through the harness.
enum MarketBenchmarkRunner {
    static func run(_ h: Harness) throws {
        for c in MarketBenchmarks.cases where h.wants(c.name) {
            _ = c.run()
            h.record(c.name, (0..<20).map { _ in c.run() }, unit: c.unit)
        }
    }
}
