import Dashboard
import Foundation
import IndexCore
import PortfolioStore
import TerminalUI
import Vault

/// Dashboard benchmarks: one frame (snapshot → buffer) for 10 indices × 100 holdings, and the snapshot
/// load from the 1-million-row database.
enum DashboardBenchmarks {
    static func bigSnapshot() -> DashboardSnapshot {
        var rng = SeededGenerator(seed: 5)
        var indices: [IndexSnapshot] = []
        for i in 0..<10 {
            var holdings: [Dashboard.HoldingRow] = []
            for h in 0..<100 {
                let w = 1.0 / 100
                holdings.append(
                    Dashboard.HoldingRow(
                        symbol: "T\(h)", name: "Token \(h)", sector: ["DeFi", "AI", "Layer-1", "Memecoins"][h % 4],
                        quantity: rng.nextUniform() * 1000, price: 1 + rng.nextUniform() * 100, prevPrice: nil,
                        value: 1000 * rng.nextUniform(), weight: w + 0.001 * rng.nextNormal(), target: w,
                        change24h: 0.05 * rng.nextNormal(),
                        signal: SignalBadge(label: .bullish, score: 0.4, conviction: 0.4), pnl: 10))
            }
            let series = (0..<500).map { SeriesPoint(time: Int64($0) * 86_400, value: 1000 + Double($0)) }
            indices.append(
                IndexSnapshot(
                    slug: "idx\(i)", name: "Index \(i)",
                    methodology: MethodologySummary(
                        type: "market-cap", cap: 0.1, universe: "top 100", schedule: "monthly"),
                    nav: 100_000, navPerUnit: 1000, change24h: 0.01, maxDrift: 0.01, driftBand: 0.05,
                    holdings: holdings, navSeries: series, btcSeries: series, buyHoldSeries: series))
        }
        return DashboardSnapshot(time: 1_790_000_000, totalValue: 1_000_000, indices: indices)
    }

    /// A database of `indices` indices × `holdings` holdings: `holdings` assets with 30 daily prices each,
    /// and equal-weight indices over all of them (each holds every asset). Returns the time of the newest price.
    @discardableResult
    static func makePortfolio(path: String, indices: Int, holdings: Int) throws -> Int64 {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try PortfolioStore(path: path)
        let assets = (0..<holdings).map {
            Asset(symbol: "A\($0)", name: "Asset \($0)", sector: ["DeFi", "AI", "Layer-1", "Memecoins"][$0 % 4])
        }
        try store.upsertAssets(assets)
        let end = Int64(1_790_000_000)
        var rng = SeededGenerator(seed: 9)
        var points: [PricePoint] = []
        for (i, a) in assets.enumerated() {
            var p = 1.0 + Double(i)
            for d in 0..<30 {
                p *= 1 + 0.02 * rng.nextNormal()
                points.append(
                    PricePoint(
                        symbol: a.symbol, time: end - Int64(29 - d) * 86_400, price: p,
                        marketCap: p * Double(1_000_000 * (i + 1)), volume: 1e6))
            }
        }
        try store.insertPrices(points, source: "bench")
        for k in 0..<indices {
            let spec = try IndexSpec.parse(
                Data(
                    #"{"slug":"i\#(k)","name":"Index \#(k)","initial_capital":100000,"universe":{"top":\#(holdings)},"methodology":{"type":"equal"},"rebalance":{"schedule":"monthly","drift_band":0.05}}"#
                        .utf8),
                file: "bench")
            try store.createIndex(spec, at: end)
        }
        return end
    }

    /// `snapshot.50x500`: the dashboard's snapshot load after one feed tick (a new price for every asset,
    /// written by another connection) on 50 indices × 500 holdings. `INDEXTOP_BENCH_DB_50X500` keeps the
    /// database at that path (made when missing) for `.ci/idle-cpu.sh`.
    static func runPortfolio(_ h: Harness, scratch: String) throws {
        guard h.wants("snapshot.50x500") else { return }
        let environment = ProcessInfo.processInfo.environment
        let kept = environment["INDEXTOP_BENCH_DB_50X500"]
        let path = kept ?? scratch + "/bench-50x500.db"
        // INDEXTOP_BENCH_SIZE=10x100 makes the smaller portfolio (for the idle-CPU script); default 50x500.
        let size = (environment["INDEXTOP_BENCH_SIZE"] ?? "50x500").split(separator: "x").compactMap { Int($0) }
        let (indices, holdings) = size.count == 2 ? (size[0], size[1]) : (50, 500)
        if kept == nil || !FileManager.default.fileExists(atPath: path) {
            try makePortfolio(path: path, indices: indices, holdings: holdings)
        }
        let backend = try StoreBackend(
            path: path, writer: nil, env: "bench", passphrase: .prompt, historyInBackground: false
        ) {
            Dashboard.FeedStatus(name: "none")
        }
        try h.time("snapshot.50x500.first", runs: 1) { _ = try backend.loadSnapshot() }
        try h.time("snapshot.50x500.unchanged", runs: 21) { _ = try backend.loadSnapshot() }
        let writer = try PortfolioStore(path: path, create: false)
        let symbols = (0..<holdings).map { "A\($0)" }
        var t = (try writer.latestPriceTime() ?? 0)
        var tick = 0
        try h.time(
            "snapshot.50x500", runs: 11,
            setup: {
                t += 2
                tick += 1
                try writer.insertPrices(
                    symbols.enumerated().map { i, s in
                        PricePoint(
                            symbol: s, time: t, price: (1.0 + Double(i)) * (1 + 0.001 * Double(tick % 5)),
                            marketCap: nil,
                            volume: nil)
                    }, source: "bench")
            }
        ) { _ = try backend.loadSnapshot() }
    }

    static func run(_ h: Harness, scratch: String) throws {
        try runPortfolio(h, scratch: scratch)
        let snapshot = bigSnapshot()
        for (view, name) in [(1, "frame.10x100"), (4, "frame.10x100.performance"), (6, "frame.10x100.exposure")] {
            var state = UIState()
            state.view = DashboardView(rawValue: view) ?? .holdings
            state.width = 200
            state.height = 60
            state.now = snapshot.time
            try h.time(name, runs: 51) {
                _ = renderDashboard(snapshot, state, width: 200, height: 60, theme: .standard)
            }
        }
        let dbPath = scratch + "/bench-1m.db"
        if h.wants("snapshot.1m") {
            if !FileManager.default.fileExists(atPath: dbPath) {
                _ = try CoreBenchmarks.makeDatabase(path: dbPath, rows: 1_000_000)
            }
            let backend = try StoreBackend(
                path: dbPath, writer: nil, env: "bench", passphrase: .prompt, historyInBackground: false
            ) {
                Dashboard.FeedStatus(name: "none")
            }
            try h.time("snapshot.1m.first", runs: 1) {
                let b = try StoreBackend(
                    path: dbPath, writer: nil, env: "bench", passphrase: .prompt, historyInBackground: false
                ) {
                    Dashboard.FeedStatus(name: "none")
                }
                _ = try b.loadSnapshot()
            }
            try h.time("snapshot.1m.unchanged", runs: 21) { _ = try backend.loadSnapshot() }
            // A new price from another connection (as the feed writes) before each load.
            let writer = try StoreWriter(path: dbPath)
            var t = (try writer.perform { try $0.latestPriceTime() } ?? 0) + 1
            try h.time(
                "snapshot.1m", runs: 21,
                setup: {
                    t += 2
                    try writer.perform {
                        try $0.insertPrices(
                            [PricePoint(symbol: "A1", time: t, price: 11, marketCap: 1e7, volume: 1e6)],
                            source: "bench")
                    }
                }
            ) { _ = try backend.loadSnapshot() }
        }
    }
}
