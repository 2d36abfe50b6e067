import Foundation
import IndexCore
import MarketData
import PortfolioStore
import TestSupport

/// `history.backfill.100x365`: `fetch --history 365` for 100 coins from a CoinGecko-shaped server
/// on 127.0.0.1 (HTTP, parse and store, one transaction per coin; signals and NAVs not included),
/// in stored rows a second, to compare with `ingest.1m`.
enum HistoryBenchmark {
    static let name = "history.backfill.100x365"
    static let now: Int64 = 1_790_000_000

    /// One `/coins/{id}/market_chart?days=365&interval=daily` body: 366 midnights and "now".
    static func chart(_ i: Int) -> Data {
        let today = now / 86_400
        var stamps = (0...365).map { (today - 365 + Int64($0)) * 86_400_000 }
        stamps.append(now * 1000)
        var prices: [String] = []
        var caps: [String] = []
        var volumes: [String] = []
        for (k, t) in stamps.enumerated() {
            let p = Double(i + 1) * (1 + 0.001 * Double(k)) + 0.123456789
            prices.append("[\(t),\(p)]")
            caps.append("[\(t),\(p * 1_234_567.89)]")
            volumes.append("[\(t),\(p * 98_765.4321)]")
        }
        return Data(
            #"{"prices":[\#(prices.joined(separator: ","))],"market_caps":[\#(caps.joined(separator: ","))],"total_volumes":[\#(volumes.joined(separator: ","))]}"#
                .utf8)
    }

    static func run(_ h: Harness, scratch: String) throws {
        guard h.wants(name) else { return }
        let bodies = (0..<100).map(chart)
        let server = try TestHTTPServer { request, _ in
            let id = request.path.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            guard let i = Int(id.dropFirst(5)), bodies.indices.contains(i) else {
                return .json(#"{"error":"coin not found"}"#, status: 404)
            }
            return .respond(status: 200, headers: ["Content-Type": "application/json"], body: bodies[i])
        }
        defer { server.stop() }
        let assets = (0..<100).map {
            Asset(symbol: "C\($0)", name: "Coin \($0)", sector: "", coingeckoId: "coin-\($0)")
        }
        var run = 0
        try h.throughput(name, runs: 3) {
            run += 1
            let path = scratch + "/bench-history-\(run).db"
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            let store = try PortfolioStore(path: path, clock: { now })
            try store.upsertAssets(assets)
            let config = CoinGeckoConfig(baseURL: server.baseURL, perMinute: 1e12)
            let source = CoinGeckoHistory(api: CoinGeckoAPI(config: config, http: config.http(key: nil, maxWaits: 1)))
            let t0 = Harness.now()
            let report = try HistoryBackfill(source: source).run(
                assets, days: 365, store: store, now: now, recompute: false)
            let elapsed = Harness.now() - t0
            precondition(report.stored == 100 * 365 && report.missing.isEmpty, "backfill stored \(report.stored)")
            return Double(report.stored) / elapsed
        }
    }
}
