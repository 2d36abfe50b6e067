import TestSupport
import Foundation
import IndexCore
@testable import MarketData
import PortfolioStore
import Testing

/// Token Metrics read as DESIGN §5 says, against a server on 127.0.0.1, and how long its
/// signals stay in force against the computed rating.
@Suite struct TokenMetricsTests {
    /// 2024-05-10T12:00:00Z (day 19 853).
    static let now = 1_715_342_400.0
    static let today: Int64 = 19_853

    static func item(_ id: Int, _ symbol: String, day: Int64, signal: Int, trend: Int? = nil, grade: Double? = nil)
        -> String
    {
        let date = UTCCalendar.isoDate(day * 86_400)
        let trendText = trend.map { #","TOKEN_TREND":\#($0)"# } ?? ""
        let gradeText = grade.map { "\($0)" } ?? "null"
        return
            #"{"TOKEN_ID":\#(id),"TOKEN_NAME":"\#(symbol) token","TOKEN_SYMBOL":"\#(symbol)","DATE":"\#(date)T00:00:00.000Z","TRADING_SIGNAL":\#(signal)\#(trendText),"TRADING_SIGNALS_RETURNS":1.5,"HOLDING_RETURNS":2.5,"TM_TRADER_GRADE":\#(gradeText),"TM_INVESTOR_GRADE":55.0}"#
    }

    static func page(_ items: [String]) -> String {
        #"{"success":true,"message":"Data fetched successfully","length":\#(items.count),"data":[\#(items.joined(separator: ","))]}"#
    }

    @Test func positionsComeFromTheTrendElseTheLastSignalCarriedForward() throws {
        let t = Self.today
        let body = Self.page([
            // ETH: a short on day −2, then "no new signal" days: still short.
            Self.item(3306, "ETH", day: t - 2, signal: -1, grade: 20),
            Self.item(3306, "ETH", day: t - 1, signal: 0, grade: 40),
            Self.item(3306, "ETH", day: t, signal: 0),
            // SOL: the trend says bullish although the signal is 0.
            Self.item(3988, "SOL", day: t, signal: 0, trend: 1, grade: 75),
            // ADA: 0 and nothing to carry (no stored label either): no position.
            Self.item(3408, "ADA", day: t, signal: 0),
            // LINK: nothing new today, carried from the stored label (bullish).
            Self.item(3596, "LINK", day: t, signal: 0, grade: 60),
        ])
        let server = try TestHTTPServer { _, _ in .json(body) }
        defer { server.stop() }
        let sink = CarrySink(labels: ["LINK": 1])
        let feed = TokenMetricsClient(
            config: TokenMetricsConfig(baseURL: server.baseURL), symbols: ["ETH", "SOL", "ADA", "LINK"],
            key: { "tm-k" }, sink: sink)
        _ = try feed.poll(now: Self.now)
        let day = { (d: Int64) in d * 86_400 }
        // score = grade / 50 − 1: 20 → −0.6, 40 → −0.2, 75 → 0.5, 60 → 0.2; no grade: the label.
        #expect(
            sink.memory.signals == [
                ExternalSignal(symbol: "ETH", time: day(t - 2), label: -1, score: -0.6, source: "tokenmetrics"),
                ExternalSignal(symbol: "ETH", time: day(t - 1), label: -1, score: -0.2, source: "tokenmetrics"),
                ExternalSignal(symbol: "ETH", time: day(t), label: -1, score: -1, source: "tokenmetrics"),
                ExternalSignal(symbol: "LINK", time: day(t), label: 1, score: 0.2, source: "tokenmetrics"),
                ExternalSignal(symbol: "SOL", time: day(t), label: 1, score: 0.5, source: "tokenmetrics"),
            ])
    }

    @Test func twoTokensWithOneSymbolAreReportedUnlessTheAssetHasAnId() throws {
        let t = Self.today
        let body = Self.page([
            Self.item(3375, "BTC", day: t, signal: 1, grade: 90),
            Self.item(99_001, "BTC", day: t, signal: -1, grade: 10),
            Self.item(1_111, "UNI", day: t, signal: 1, grade: 70),
            Self.item(2_222, "UNI", day: t, signal: -1, grade: 30),
        ])
        let server = try TestHTTPServer { _, _ in .json(body) }
        defer { server.stop() }
        let sink = CarrySink(labels: [:])
        let feed = TokenMetricsClient(
            config: TokenMetricsConfig(baseURL: server.baseURL), symbols: ["BTC", "UNI"],
            tokenMetricsIds: ["BTC": "3375"], key: { "tm-k" }, sink: sink)
        let report = try feed.poll(now: Self.now)
        #expect(
            sink.memory.signals == [
                ExternalSignal(symbol: "BTC", time: t * 86_400, label: 1, score: 0.8, source: "tokenmetrics")
            ])
        #expect(
            report.rejected == [
                "UNI: Token Metrics has 2 tokens with this symbol (ids 1111, 2222); choose one with `indextop assets add UNI --tokenmetrics-id ID`"
            ])
    }

    @Test func dateWindowsAreAtMost29DaysAndARepeatedPageEndsAWindow() throws {
        let t = Self.today
        let full = Self.page([
            Self.item(3375, "BTC", day: t, signal: 1, grade: 90),
            Self.item(3375, "BTC", day: t - 1, signal: 1, grade: 80),
        ])
        // Every page of every window is the same full page: the second page adds nothing new.
        let server = try TestHTTPServer { _, _ in .json(full) }
        defer { server.stop() }
        let sink = CarrySink(labels: [:])
        let feed = TokenMetricsClient(
            config: TokenMetricsConfig(baseURL: server.baseURL, pageLimit: 2, lookbackDays: 60), symbols: ["BTC"],
            key: { "tm-k" }, sink: sink)
        _ = try feed.poll(now: Self.now)
        let windows = server.requests.map {
            "\($0.query["startDate"] ?? "")..\($0.query["endDate"] ?? "") p\($0.query["page"] ?? "")"
        }
        // 60 days back from 2024-05-10: 2024-03-12 … 2024-04-09, 2024-04-10 … 2024-05-08, 2024-05-09 … 2024-05-10.
        #expect(
            windows == [
                "2024-03-12..2024-04-09 p1", "2024-03-12..2024-04-09 p2", "2024-04-10..2024-05-08 p1",
                "2024-05-09..2024-05-10 p1",
            ])
        #expect(sink.memory.signals.count == 2, "de-duplicated by token and day")
    }

    @Test func anImportedSignalStaysInForceForSevenDays() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let last: Int64 = Self.today * 86_400
        let store = try PortfolioStore(path: dir.appendingPathComponent("p.db").path, clock: { last })
        store.enableSignals()
        try store.upsertAssets([
            Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1"),
            Asset(symbol: "ETH", name: "Ethereum", sector: "Layer-1"),
        ])
        var points: [PricePoint] = []
        for i in 0..<60 {
            let time = last - Int64(59 - i) * 86_400
            points.append(PricePoint(symbol: "BTC", time: time, price: 100 + Double(i), marketCap: 1e9))
            points.append(PricePoint(symbol: "ETH", time: time, price: 50 + Double(i), marketCap: 1e8))
        }
        try store.insertPrices(points.sorted { ($0.symbol, $0.time) < ($1.symbol, $1.time) })
        try store.refreshSignals()
        // BTC: imported bearish yesterday (in force); ETH: 8 days ago (too old): rising closes rate bullish.
        try store.insertImportedSignals([
            ImportedSignal(symbol: "BTC", day: last - 86_400, label: "bearish", score: -0.5, source: "tokenmetrics"),
            ImportedSignal(
                symbol: "ETH", day: last - 8 * 86_400, label: "bearish", score: -0.5, source: "tokenmetrics"),
        ])
        let stored = try store.storedSignals()
        #expect(stored["BTC"]?.source == "tokenmetrics")
        #expect(stored["BTC"]?.label == "bearish")
        #expect(stored["BTC"]?.indicators["sma20"] != nil, "the rating's indicators are kept for display")
        #expect(stored["ETH"]?.source == "rating")
        let views = Dictionary(uniqueKeysWithValues: try store.signalViews().map { ($0.symbol, $0) })
        #expect(views["BTC"]?.source == "tokenmetrics")
        #expect(views["ETH"]?.source == "rating")
        #expect(try store.importedSignal("BTC", day: Self.today)?.label == "bearish")
        #expect(try store.importedSignal("BTC", day: Self.today + 6) != nil)
        #expect(try store.importedSignal("BTC", day: Self.today + 7) == nil)
    }
}

/// A memory sink that knows the last stored labels.
final class CarrySink: SignalSink, @unchecked Sendable {
    let memory = MemorySink()
    let labels: [String: Int]
    init(labels: [String: Int]) { self.labels = labels }
    func store(_ signals: [ExternalSignal]) throws { try memory.store(signals) }
    func lastImportedLabels(source: String) -> [String: Int] { labels }
}
