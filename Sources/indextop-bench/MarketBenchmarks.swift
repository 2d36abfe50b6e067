import Foundation
import IndexCore
import MarketData
import PortfolioStore

/// The market-data benchmarks (`sim.tick.100`, `coingecko.parse.250`): each case returns the
/// duration of one run in milliseconds; the harness repeats it and reports median and minimum.
enum MarketBenchmarks {
    /// Name, unit and one timed run.
    static let cases: [(name: String, unit: String, run: @Sendable () -> Double)] = [
        ("sim.tick.100", "ms", simTick),
        ("coingecko.parse.250", "ms", coingeckoParse),
    ]

    /// 100 simulated assets: the demo universe repeated under new symbols.
    static let hundredAssets: [SimAsset] = (0..<100).map { i in
        var a = DemoUniverse.simAssets[i % DemoUniverse.simAssets.count]
        a.asset.symbol += "\(i)"
        return a
    }

    /// One 2 s tick of the simulator for 100 assets (points built, not stored: storing is the
    /// store's `ingest` benchmark, 100 rows at ≥ 300 000 rows/s ≈ 0.3 ms).
    static func simTick() -> Double {
        var sim = MarketSimulator(seed: 1, assets: hundredAssets)
        _ = sim.step(dt: 2.0 / 86_400, time: 0)
        let start = DispatchTime.now().uptimeNanoseconds
        var count = 0
        for k in 0..<100 { count += sim.step(dt: 2.0 / 86_400, time: Int64(k)).count }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / 100
        precondition(count == 100 * 100)
        return elapsed
    }

    /// A 250-coin `/coins/markets` body in CoinGecko's exact shape.
    static let marketsBody: (Data, [String: String]) = {
        var map: [String: String] = [:]
        var items: [String] = []
        for i in 0..<250 {
            let id = "coin-\(i)"
            map[id] = "C\(i)"
            items.append(
                """
                {"id":"\(id)","symbol":"c\(i)","name":"Coin \(i)","image":"https://coin-images.coingecko.com/coins/images/\(i)/large/c.png",\
                "current_price":\(Double(i) * 1.37 + 0.01),"market_cap":\(1_000_000_000 + i * 7919),"market_cap_rank":\(i + 1),\
                "fully_diluted_valuation":\(2_000_000_000 + i),"total_volume":\(50_000_000 + i * 31),"high_24h":\(Double(i) * 1.4),\
                "low_24h":\(Double(i) * 1.3),"price_change_24h":-0.0123,"price_change_percentage_24h":-1.234,\
                "market_cap_change_24h":-12345678.9,"market_cap_change_percentage_24h":-1.2,\
                "circulating_supply":\(1e9 + Double(i)),"total_supply":21000000.0,"max_supply":null,"ath":\(Double(i) * 3),\
                "ath_change_percentage":-50.1,"ath_date":"2024-03-14T07:10:36.635Z","atl":0.001,\
                "atl_change_percentage":1000.5,"atl_date":"2020-01-01T00:00:00.000Z",\
                "roi":{"times":1.5,"currency":"usd","percentage":150.0},"last_updated":"2024-05-01T12:34:56.789Z"}
                """)
        }
        return (Data(("[" + items.joined(separator: ",") + "]").utf8), map)
    }()

    static func coingeckoParse() -> Double {
        let (body, map) = marketsBody
        let start = DispatchTime.now().uptimeNanoseconds
        let result = CoinGeckoClient.parseMarkets(body, idToSymbol: map)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        precondition(result.points.count == 250 && result.rejected.isEmpty)
        return elapsed
    }
}

/// `sim.tick.100.stored`: one simulator tick for 100 assets written through the feeds' store sink
/// (one transaction, NAV points at most once a minute) on a database with 100 assets and one index.
enum StoredTickBenchmark {
    static func run(_ h: Harness, scratch: String) throws {
        guard h.wants("sim.tick.100.stored") else { return }
        let path = scratch + "/bench-tick.db"
        let store = try PortfolioStore(path: path)
        let assets = MarketBenchmarks.hundredAssets
        try store.upsertAssets(assets.map(\.asset))
        var sim = MarketSimulator(seed: 9, assets: assets)
        var t: Int64 = 1_790_000_000
        try store.insertPrices(sim.step(dt: 1, time: t), source: "bench")
        let spec = try IndexSpec.parse(
            Data(
                #"{"slug":"b","name":"B","initial_capital":100000,"universe":{"top":50},"methodology":{"type":"market-cap"}}"#
                    .utf8),
            file: "bench")
        try store.createIndex(spec)
        let sink = try StoreSink(path: path)
        var batch: [PricePoint] = []
        try h.time(
            "sim.tick.100.stored", runs: 51,
            setup: {
                t += 2
                batch = sim.step(dt: 2.0 / 86_400, time: t)
            }
        ) { try sink.store(batch, source: "sim") }
    }
}
