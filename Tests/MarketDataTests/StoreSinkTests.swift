import Foundation
import IndexCore
@testable import MarketData
@testable import PortfolioStore
import Testing

/// `StoreSink` over a real temporary database: batches, NAV points, daily signal refresh, imported signals.
/// Every check reads through a second connection, as the dashboard does.
@Suite struct StoreSinkTests {
    /// 2024-03-01T00:00:00Z, the last day of the seeded history.
    static let lastDay: Int64 = 1_709_251_200
    static let day: Int64 = 86_400

    let dir: URL
    let path: String
    /// The reader connection.
    let reader: PortfolioStore

    /// BTC, ETH, a stablecoin and a coin without prices; 40 days of prices (no signals computed yet) and
    /// a fixed 50/50 BTC/ETH index.
    init() throws {
        dir = try temporaryDirectory()
        path = dir.appendingPathComponent("sink.db").path
        reader = try PortfolioStore(path: path, clock: { StoreSinkTests.lastDay })
        try reader.upsertAssets([
            Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1", coingeckoId: "bitcoin"),
            Asset(symbol: "ETH", name: "Ethereum", sector: "Layer-1", coingeckoId: "ethereum"),
            Asset(symbol: "USDC", name: "USD Coin", sector: "Stablecoin", isStablecoin: true, coingeckoId: "usd-coin"),
        ])
        var points: [PricePoint] = []
        for i in 0..<40 {
            let t = Self.lastDay - Int64(39 - i) * Self.day
            points.append(PricePoint(symbol: "BTC", time: t, price: 60_000 + Double(i) * 100, marketCap: 1e12))
            points.append(PricePoint(symbol: "ETH", time: t, price: 3_000 - Double(i) * 10, marketCap: 4e11))
            points.append(PricePoint(symbol: "USDC", time: t, price: 1, marketCap: 3e10))
        }
        try reader.insertPrices(points.sorted { ($0.symbol, $0.time) < ($1.symbol, $1.time) })
        let spec = try IndexSpec.parse(
            Data(
                #"{"slug":"pair","name":"Pair","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"none"},"fees_bps":0,"slippage_bps":0,"min_trade":0}"#
                    .utf8), file: "pair.json")
        try reader.createIndex(spec, at: Self.lastDay)
    }

    private func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    private func count(_ sql: String, _ args: [Int64] = []) throws -> Int64 {
        try reader.rowsForTesting(sql, args).first?.first.flatMap { $0.flatMap { Int64($0) } } ?? -1
    }

    @Test func aBatchWithAnUnknownSymbolStoresTheKnownOnes() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        let stored = Locked<[Int]>([])
        sink.onStored = { n in stored.withLock { $0.append(n) } }
        let t = Self.lastDay + 3_600
        try sink.store(
            [
                PricePoint(symbol: "ETH", time: t, price: 2_500, marketCap: 3e11, volume: 1e9),
                PricePoint(symbol: "DOGE", time: t, price: 0.1),
                PricePoint(symbol: "BTC", time: t, price: 65_000, marketCap: 1.3e12),
            ], source: "coingecko")
        let rows = try reader.rowsForTesting(
            "SELECT symbol, price, source FROM prices WHERE time = ? ORDER BY symbol", [t]
        ).map { ($0[0] ?? "", Double($0[1] ?? "") ?? .nan, $0[2] ?? "") }
        #expect(rows.map(\.0) == ["BTC", "ETH"])
        #expect(rows.map(\.1) == [65_000, 2_500])
        #expect(rows.allSatisfy { $0.2 == "coingecko" })
        #expect(stored.current == [2])
        #expect(try count("SELECT COUNT(*) FROM assets WHERE symbol = 'DOGE'") == 0)
    }

    @Test func aBatchIsOneTransaction() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        let t = Self.lastDay + 3_600
        let before = try reader.priceCount()
        // ETH's negative market cap breaks a CHECK constraint after BTC's row was written: nothing stays.
        #expect(throws: (any Error).self) {
            try sink.store(
                [
                    PricePoint(symbol: "BTC", time: t, price: 65_000),
                    PricePoint(symbol: "ETH", time: t, price: 2_500, marketCap: -5),
                ], source: "coingecko")
        }
        #expect(try reader.priceCount() == before)
        #expect(try count("SELECT COUNT(*) FROM prices WHERE time = ?", [t]) == 0)
        #expect(try count("SELECT COUNT(*) FROM index_values WHERE time = ?", [t]) == 0)
    }

    @Test func navPointsFollowTheBatchesAtMostOnceAMinute() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        let nav = "SELECT COUNT(*) FROM index_values WHERE time = ?"
        let t = Self.lastDay + 3_600
        try sink.store([PricePoint(symbol: "BTC", time: t, price: 66_000)], source: "sim")
        #expect(try count(nav, [t]) == 1)
        let v = try #require(
            try reader.rowsForTesting("SELECT nav FROM index_values WHERE time = ?", [t]).first?.first?.flatMap {
                Double($0)
            })
        // Bought at 63 900 and 2 610 with 5 000 each; BTC now 66 000.
        let expected = 5_000 / 63_900 * 66_000 + 5_000.0
        #expect(abs(v - expected) < 1e-6)
        try sink.store([PricePoint(symbol: "BTC", time: t + 30, price: 66_100)], source: "sim")
        #expect(try count(nav, [t + 30]) == 0)
        try sink.store([PricePoint(symbol: "BTC", time: t + 90, price: 66_200)], source: "sim")
        #expect(try count(nav, [t + 90]) == 1)
    }

    @Test func signalsAreRefreshedWhenANewUTCDayArrives() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        let rating = "SELECT COUNT(*) FROM signals WHERE source = 'rating'"
        #expect(try count(rating) == 0)
        // Later on the newest stored day: no refresh.
        try sink.store([PricePoint(symbol: "BTC", time: Self.lastDay + 7_200, price: 64_000)], source: "sim")
        #expect(try count(rating) == 0)
        #expect(try count("SELECT COUNT(*) FROM regimes") == 0)
        // The next day: one rating per asset with prices, and the regime, at that day's midnight.
        let next = Self.lastDay + Self.day
        try sink.store(
            [
                PricePoint(symbol: "BTC", time: next + 60, price: 64_500),
                PricePoint(symbol: "ETH", time: next + 60, price: 2_600),
            ], source: "sim")
        #expect(try count(rating) == 3)
        #expect(try count("SELECT COUNT(*) FROM signals WHERE source = 'rating' AND time = ?", [next]) == 2)
        #expect(try count("SELECT COUNT(*) FROM regimes WHERE time = ?", [next]) == 1)
        // More ticks the same day do not recompute.
        try sink.store([PricePoint(symbol: "ETH", time: next + 600, price: 2_000)], source: "sim")
        #expect(try count(rating) == 3)
        #expect(try count("SELECT COUNT(*) FROM regimes") == 1)
    }

    @Test func externalSignalsBecomeImportedSignalsWithTheirSource() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        let noon = Self.lastDay + 12 * 3_600
        try sink.store([
            ExternalSignal(symbol: "BTC", time: noon, label: 1, score: 0.6, source: "tokenmetrics"),
            ExternalSignal(symbol: "ETH", time: Self.lastDay, label: -1, source: "tokenmetrics"),
            ExternalSignal(symbol: "USDC", time: Self.lastDay, label: 0, source: "file"),
            ExternalSignal(symbol: "DOGE", time: Self.lastDay, label: 1, source: "tokenmetrics"),
        ])
        let rows = try reader.rowsForTesting(
            "SELECT symbol, time, label, score, source FROM signals ORDER BY symbol"
        ).map { ($0[0] ?? "", Int64($0[1] ?? "") ?? -1, $0[2] ?? "", Double($0[3] ?? "") ?? .nan, $0[4] ?? "") }
        #expect(rows.map(\.0) == ["BTC", "ETH", "USDC"])
        #expect(rows.allSatisfy { $0.1 == Self.lastDay })
        #expect(rows.map(\.2) == ["bullish", "bearish", "neutral"])
        #expect(rows.map(\.3) == [0.6, -1, 0])
        #expect(rows.map(\.4) == ["tokenmetrics", "tokenmetrics", "file"])
        let views = try reader.signalViews()
        #expect(views.first { $0.symbol == "BTC" }?.source == "tokenmetrics")
        #expect(views.first { $0.symbol == "BTC" }?.label == "bullish")
        #expect(views.first { $0.symbol == "ETH" }?.score == -1)
    }
}
