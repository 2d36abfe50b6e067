import TestSupport
import Foundation
import IndexCore
@testable import MarketData
@testable import PortfolioStore
import SQLiteKit
import Testing

/// `fetch --history` against real servers on 127.0.0.1 serving CoinGecko's and Binance's
/// documented shapes, into a real temporary database.
@Suite struct HistoryBackfillTests {
    /// 2024-05-10T12:00:00Z.
    static let now: Int64 = 1_715_342_400
    static let today: Int64 = 19_853
    static let day: Int64 = 86_400

    let dir: URL
    let store: PortfolioStore

    init() throws {
        dir = try temporaryDirectory()
        store = try PortfolioStore(path: dir.appendingPathComponent("h.db").path, clock: { HistoryBackfillTests.now })
        try store.upsertAssets([
            Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1", coingeckoId: "bitcoin"),
            Asset(symbol: "ETH", name: "Ethereum", sector: "Layer-1", coingeckoId: "ethereum"),
            Asset(symbol: "DOGE", name: "Doge", sector: "Memecoins", coingeckoId: "not-a-coin"),
            Asset(symbol: "USDT", name: "Tether", sector: "Stablecoin", isStablecoin: true),
        ])
    }

    private func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    /// A market chart the way `interval=daily` sends it: `caps.count − 1` midnight points ending
    /// today, then "now"; prices `base`, `base + 1`, ...
    static func chart(base: Double, caps: [String]) -> String {
        let n = caps.count - 1
        let days = (0..<n).map { today - Int64(n - 1) + Int64($0) }
        var stamps = days.map { $0 * day * 1000 }
        stamps.append(now * 1000)
        let prices = stamps.enumerated().map { "[\($1),\(base + Double($0))]" }
        let capRows = zip(stamps, caps).map { "[\($0),\($1)]" }
        let volumes = stamps.map { "[\($0),1000000.5]" }
        return
            #"{"prices":[\#(prices.joined(separator: ","))],"market_caps":[\#(capRows.joined(separator: ","))],"total_volumes":[\#(volumes.joined(separator: ","))]}"#
    }

    private func coingecko(_ server: TestHTTPServer) -> CoinGeckoHistory {
        let config = CoinGeckoConfig(baseURL: server.baseURL, perMinute: 60_000)
        return CoinGeckoHistory(api: CoinGeckoAPI(config: config, http: config.http(key: { "CG-k" }, maxWaits: 2)))
    }

    private func rows(_ symbol: String) throws -> [String] {
        try store.db.query(
            "SELECT time, price, COALESCE(market_cap, 'null') FROM prices WHERE symbol = ? ORDER BY time", [symbol]
        ) { "\($0.int64(0)) \($0.double(1)) \($0.string(2))" }
    }

    @Test func coingeckoBackfillStoresUnknownCapsAsNullAndIsIdempotent() throws {
        defer { cleanUp() }
        // Points at D−4 … D 00:00 and D 12:00 (prices 100 … 105); caps null, null, 0, a value, 0, a value.
        let btc = Self.chart(base: 100, caps: ["null", "null", "0", "900000000000", "0", "950000000000"])
        let eth = Self.chart(base: 10, caps: ["1", "2", "3", "4", "5", "6"])
        let server = try TestHTTPServer { request, _ in
            switch request.path {
            case "/coins/bitcoin/market_chart": .json(btc)
            case "/coins/ethereum/market_chart": .json(eth)
            default: .json(#"{"error":"coin not found"}"#, status: 404)
            }
        }
        defer { server.stop() }
        let notes = NoteRecorder()
        let reporter = ProgressReporter(showsProgress: false, write: { notes.add($0) })
        let assets = try store.assets()
        let first = try HistoryBackfill(source: coingecko(server), reporter: reporter).run(
            assets, days: 3, store: store, now: Self.now)
        // Days D−2, D−1, D: D's last point is 12:00 (not midnight); D−1's zero cap is unknown.
        let d = Self.today * Self.day
        #expect(
            try rows("BTC") == [
                "\(d - 2 * Self.day) 102.0 null", "\(d - Self.day) 103.0 900000000000.0",
                "\(Self.now) 105.0 950000000000.0",
            ])
        #expect(try rows("ETH").count == 3)
        #expect(first.stored == 6)
        #expect(first.fetched == ["BTC", "DOGE", "ETH"])
        #expect(
            first.missing == [
                .init(symbol: "DOGE", reason: "HTTP 404: coin not found"),
                .init(symbol: "USDT", reason: "no CoinGecko id (set one with `assets add USDT --coingecko-id ID`)"),
            ])
        let request = try #require(server.requests.first { $0.path == "/coins/bitcoin/market_chart" })
        #expect(request.query == ["vs_currency": "usd", "days": "3", "interval": "daily"])
        #expect(request.headers["x-cg-demo-api-key"] == "CG-k")

        let asked = server.requests.count
        let second = try HistoryBackfill(source: coingecko(server), reporter: reporter).run(
            assets, days: 3, store: store, now: Self.now)
        #expect(second.stored == 0)
        #expect(second.skipped == ["BTC", "ETH"])
        #expect(server.requests.count == asked + 1, "only the missing coin is asked again")
        #expect(try store.priceCount() == 6)
    }

    @Test func anInterruptedBackfillResumesFromTheFirstMissingDay() throws {
        defer { cleanUp() }
        try store.insertPrices([PricePoint(symbol: "BTC", time: (Self.today - 4) * Self.day, price: 1)], source: "x")
        let server = try TestHTTPServer { _, _ in .json(Self.chart(base: 100, caps: ["1", "1", "1", "1", "1", "1"])) }
        defer { server.stop() }
        let btc = try store.assets().filter { $0.symbol == "BTC" }
        let report = try HistoryBackfill(source: coingecko(server)).run(btc, days: 5, store: store, now: Self.now)
        // D−4 is stored; D−3 00:00 is 3.5 days before now: days=4 covers it.
        #expect(server.requests.first?.query["days"] == "4")
        #expect(report.stored == 4)
        #expect(try store.coveredDays("BTC", from: 0) == Set((Self.today - 4)...Self.today))
    }

    /// `count` daily klines from `firstDay`, in Binance's array layout (prices as strings).
    static func klines(from firstDay: Int64, count: Int) -> String {
        let rows = (0..<count).map { i -> String in
            let open = (firstDay + Int64(i)) * day * 1000
            return
                #"[\#(open),"1.0","2.0","0.5","\#(1.5 + Double(i))","100.0",\#(open + day * 1000 - 1),"150.25",42,"50.0","75.0","0"]"#
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    @Test func binanceKlinesArePagedByStartTimeAndARepeatedPageEndsTheLoop() throws {
        defer { cleanUp() }
        let firstDay = Self.today - 1499
        let page = Self.klines(from: firstDay, count: 1000)
        // The server ignores startTime and repeats its first page.
        let server = try TestHTTPServer { _, _ in .json(page) }
        defer { server.stop() }
        let client = BinanceClient(
            config: BinanceConfig(baseURL: server.baseURL), assets: [], sink: nil,
            http: BinanceConfig(baseURL: server.baseURL).http(maxWaits: 1))
        let btc = try store.assets().filter { $0.symbol == "BTC" }
        let report = try HistoryBackfill(source: client).run(btc, days: 1500, store: store, now: Self.now)
        #expect(server.requests.count == 2)
        let q = server.requests.map(\.query)
        #expect(
            q[0] == [
                "symbol": "BTCUSDT", "interval": "1d", "startTime": String(firstDay * Self.day * 1000), "limit": "1000",
            ])
        #expect(q[1]["startTime"] == String((firstDay + 1000) * Self.day * 1000))
        #expect(report.stored == 1000)
        // A kline's close is stamped at its close time, its volume is the quote volume, and no cap.
        #expect(try rows("BTC").first == "\((firstDay + 1) * Self.day - 1) 1.5 null")
        #expect(try store.db.scalarDouble("SELECT volume FROM prices WHERE symbol = 'BTC' LIMIT 1") == 150.25)
        #expect(report.missing.isEmpty)
    }

    @Test func binanceTickersPriceTheQuoteAtOneAndDropAnInvalidSymbolOnce() throws {
        defer { cleanUp() }
        let ticker =
            #"{"symbol":"BTCUSDT","priceChange":"-94.99","priceChangePercent":"-0.15","weightedAvgPrice":"63000.1","prevClosePrice":"63100.0","lastPrice":"63005.01","lastQty":"0.01","bidPrice":"63005.00","askPrice":"63005.01","openPrice":"63100.00","highPrice":"64000.00","lowPrice":"62000.00","volume":"20000.5","quoteVolume":"1260000000.25","openTime":1715256000000,"closeTime":1715342399999,"firstId":1,"lastId":2,"count":2}"#
        let server = try TestHTTPServer { request, _ in
            let list = request.query["symbols"] ?? request.query["symbol"] ?? ""
            if list.contains("XYZUSDT") { return .json(#"{"code":-1121,"msg":"Invalid symbol."}"#, status: 400) }
            return .json(request.query["symbols"] != nil ? "[\(ticker)]" : ticker)
        }
        defer { server.stop() }
        let sink = MemorySink()
        let assets = [
            Asset(symbol: "BTC", name: "Bitcoin", sector: ""), Asset(symbol: "XYZ", name: "X", sector: ""),
            Asset(symbol: "USDT", name: "Tether", sector: "", isStablecoin: true),
        ]
        let feed = BinanceClient(config: BinanceConfig(baseURL: server.baseURL), assets: assets, sink: sink)
        let report = try feed.poll(now: Double(Self.now))
        #expect(sink.points.map(\.symbol).sorted() == ["BTC", "USDT"])
        #expect(sink.points.first { $0.symbol == "BTC" }?.price == 63005.01)
        #expect(sink.points.first { $0.symbol == "BTC" }?.volume == 1_260_000_000.25)
        #expect(sink.points.first { $0.symbol == "BTC" }?.time == 1_715_342_399)
        #expect(sink.points.allSatisfy { $0.marketCap == nil })
        #expect(report.rejected == ["XYZ: XYZUSDT HTTP 400: Invalid symbol."])
        #expect(server.requests.count == 3)
        _ = try feed.poll(now: Double(Self.now))
        #expect(server.requests.count == 4, "the invalid symbol is not asked again")
        #expect(server.requests.last?.query["symbols"] == #"["BTCUSDT"]"#)
    }
}
