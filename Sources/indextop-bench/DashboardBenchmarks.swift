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
                        signal: SignalBadge(label: "bullish", score: 0.4, conviction: 0.4), pnl: 10))
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

    static func run(_ h: Harness, scratch: String) throws {
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
                Dashboard.FeedStatus(name: "none", state: "off")
            }
            try h.time("snapshot.1m.first", runs: 1) {
                let b = try StoreBackend(
                    path: dbPath, writer: nil, env: "bench", passphrase: .prompt, historyInBackground: false
                ) {
                    Dashboard.FeedStatus(name: "none", state: "off")
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
