import Foundation
import IndexCore

/// Settings of the Token Metrics signal feed.
public struct TokenMetricsConfig: Sendable {
    /// API root; `/v2/trading-signals` is appended (default `https://api.tokenmetrics.com`).
    public var baseURL: URL
    /// Items per page (the API allows at most 100).
    public var pageLimit: Int
    /// Most pages read per date window.
    public var maxPages: Int
    /// Seconds between polls (signals are daily: default one day).
    public var interval: Double
    /// Request timeout, seconds.
    public var timeout: Double
    /// Days read back from today on each poll, in windows of at most ``maxWindowDays``.
    public var lookbackDays: Int
    /// The longest date window one request asks for (the API's `page` cannot be trusted, so
    /// windows stay short enough to fit).
    public static let maxWindowDays = 29

    public init(
        baseURL: URL = URL(string: "https://api.tokenmetrics.com")!, pageLimit: Int = 100, maxPages: Int = 20,
        interval: Double = 86_400, timeout: Double = 15, lookbackDays: Int = 29
    ) {
        self.baseURL = baseURL
        self.pageLimit = min(max(pageLimit, 1), 100)
        self.maxPages = max(maxPages, 1)
        self.interval = interval
        self.timeout = timeout
        self.lookbackDays = max(lookbackDays, 1)
    }
}

/// One `/v2/trading-signals` item as the API sends it.
public struct TokenMetricsItem: Sendable, Equatable {
    /// `TOKEN_ID` (as text), nil when absent.
    public var tokenId: String?
    /// `TOKEN_SYMBOL`, upper-cased.
    public var symbol: String
    /// Start of the UTC day of `DATE`.
    public var day: Int64
    /// `TRADING_SIGNAL`: 1 new long, −1 new short, 0 no new signal.
    public var signal: Int
    /// `TOKEN_TREND`: 1 bullish, −1 bearish; nil when absent or 0.
    public var trend: Int?
    /// `TM_TRADER_GRADE`, 0–100.
    public var grade: Double?
}

/// The `tokenmetrics` feed: reads `/v2/trading-signals` in date windows of at most 29 days,
/// de-duplicated, and stores the position in force as imported signals (DESIGN §5).
public final class TokenMetricsClient: Feed {
    public let name = "tokenmetrics"
    public let config: TokenMetricsConfig
    private let symbols: [String]
    private let idOf: [String: String]
    private let sink: any SignalSink
    private let log: FeedLog?
    private let http: ProviderHTTP
    private let reported = Locked<Set<String>>([])

    /// - Parameters:
    ///   - symbols: the assets in use (sent as the `symbol` filter).
    ///   - tokenMetricsIds: Token Metrics id by symbol, for the assets that have one: their items
    ///     are taken by id only.
    ///   - key: the API key provider (header `x-api-key`).
    public init(
        config: TokenMetricsConfig = TokenMetricsConfig(), symbols: Set<String>,
        tokenMetricsIds: [String: String] = [:],
        key: @escaping KeyProvider, sink: any SignalSink, log: FeedLog? = nil, http: ProviderHTTP? = nil
    ) {
        self.config = config
        self.symbols = Set(symbols.map { $0.uppercased() }).sorted()
        idOf = tokenMetricsIds
        self.sink = sink
        self.log = log
        self.http =
            http
            ?? ProviderHTTP(name: "tokenmetrics", keyHeader: "x-api-key", key: key, timeout: config.timeout, log: log)
    }

    public var pollInterval: Double { config.interval }
    public var staleAfter: Double { 3 * 86_400 }

    /// Reads the last `lookbackDays` days and stores the positions.
    /// - Throws: ``FeedError``; after a 401/403 every later call throws `.keyRejected` at once.
    public func poll(now: Double) throws -> PollReport {
        var report = PollReport()
        let today = UTCCalendar.dayNumber(Int64(now))
        var items: [TokenMetricsItem] = []
        var keys: Set<String> = []
        var first = today - Int64(config.lookbackDays) + 1
        while first <= today {
            let last = min(first + Int64(TokenMetricsConfig.maxWindowDays) - 1, today)
            for page in 1...config.maxPages {
                report.requests += 1
                let parsed = try Self.parseSignals(
                    http.get(try windowURL(from: first, to: last, page: page)).body)
                report.rejected += parsed.rejected
                var fresh = 0
                for item in parsed.items where keys.insert("\(item.tokenId ?? item.symbol)|\(item.day)").inserted {
                    items.append(item)
                    fresh += 1
                }
                // A short page ends the window; so does a page with nothing new (a repeated page).
                if parsed.count < config.pageLimit || fresh == 0 { break }
            }
            first = last + 1
        }
        let resolved = resolve(items, carry: sink.lastImportedLabels(source: name))
        report.signals = resolved.signals
        for reason in resolved.reported { reportOnce(reason) }
        report.rejected += resolved.reported
        if !report.signals.isEmpty {
            do {
                try sink.store(report.signals)
            } catch {
                throw FeedError(.storage, "storing \(report.signals.count) signals failed: \(error)", context: name)
            }
        }
        log?.write(
            feed: name,
            "stored \(report.signals.count) signals, rejected \(report.rejected.count), \(report.requests) request(s)")
        return report
    }

    /// Maps items to assets (by Token Metrics id where the asset has one, else by symbol, never
    /// collapsing two tokens with one symbol) and turns each into the position in force:
    /// `TOKEN_TREND` when present, else the last non-zero `TRADING_SIGNAL` carried forward
    /// (from `carry`, the last stored label, before the first item); score = grade / 50 − 1.
    func resolve(_ items: [TokenMetricsItem], carry: [String: Int]) -> (signals: [ExternalSignal], reported: [String]) {
        var bySymbol: [String: [TokenMetricsItem]] = [:]
        for item in items { bySymbol[item.symbol, default: []].append(item) }
        var signals: [ExternalSignal] = []
        var reported: [String] = []
        for symbol in bySymbol.keys.sorted() {
            guard symbols.isEmpty || symbols.contains(symbol) else {
                reported.append("\(symbol): not an asset in use")
                continue
            }
            var list = bySymbol[symbol]!
            if let id = idOf[symbol] {
                list = list.filter { $0.tokenId == id }
            } else {
                let ids = Set(list.compactMap(\.tokenId))
                if ids.count > 1 {
                    reported.append(
                        "\(symbol): Token Metrics has \(ids.count) tokens with this symbol (ids \(ids.sorted().joined(separator: ", "))); "
                            + "choose one with `indextop assets add \(symbol) --tokenmetrics-id ID`")
                    continue
                }
            }
            var position = carry[symbol] ?? 0
            for item in list.sorted(by: { $0.day < $1.day }) {
                if item.signal != 0 { position = item.signal }
                let label = item.trend ?? position
                guard label != 0 else { continue }
                // grade / 50 − 1, written as (grade − 50) / 50 so that round grades give exact scores.
                let score = item.grade.map { ($0 - 50) / 50 } ?? Double(label)
                signals.append(ExternalSignal(symbol: symbol, time: item.day, label: label, score: score, source: name))
            }
        }
        return (signals, reported)
    }

    private func reportOnce(_ reason: String) {
        if reported.withLock({ $0.insert(reason).inserted }) { log?.write(feed: name, level: "warn", reason) }
    }

    private func windowURL(from: Int64, to: Int64, page: Int) throws -> URL {
        var query = [
            ("startDate", UTCCalendar.isoDate(from * UTCCalendar.day)),
            ("endDate", UTCCalendar.isoDate(to * UTCCalendar.day)),
            ("limit", String(config.pageLimit)), ("page", String(page)),
        ]
        if !symbols.isEmpty { query.append(("symbol", symbols.joined(separator: ","))) }
        return try http.url(config.baseURL, "/v2/trading-signals", query)
    }

    /// Parses a `/v2/trading-signals` body: envelope `{success, message, length, data[]}`, items
    /// with `TOKEN_ID`, `TOKEN_SYMBOL`, `DATE`, `TRADING_SIGNAL` (1, 0, −1), `TOKEN_TREND` (1, −1,
    /// optional) and `TM_TRADER_GRADE` (0–100, optional).
    /// - Returns: the valid items, one reason per rejected item, and the number of items in `data`.
    /// - Throws: ``FeedError`` `.badResponse` when the body is not the envelope or says
    ///   `success: false` (with the API's message).
    public static func parseSignals(_ data: Data, source: String = "tokenmetrics") throws
        -> (items: [TokenMetricsItem], rejected: [String], count: Int)
    {
        let body: JSONValue
        do {
            body = try JSONValue.parse(data)
        } catch {
            throw FeedError(.badResponse, "body is not JSON (\(error))", context: source)
        }
        if case .bool(false)? = body["success"] {
            let message = body["message"]?.string ?? "no message"
            throw FeedError(.badResponse, "API answered success=false: \(message.prefix(200))", context: source)
        }
        guard case .array(let list)? = body["data"] else {
            throw FeedError(.badResponse, "body has no data array", context: source)
        }
        var items: [TokenMetricsItem] = []
        var rejected: [String] = []
        for (index, item) in list.enumerated() {
            guard let symbol = item["TOKEN_SYMBOL"]?.string?.uppercased(), !symbol.isEmpty else {
                rejected.append("item \(index): missing TOKEN_SYMBOL")
                continue
            }
            guard let dateText = item["DATE"]?.string, let time = ISOTime.parse(dateText) else {
                rejected.append("\(symbol): missing or bad DATE")
                continue
            }
            guard let raw = item["TRADING_SIGNAL"]?.double, [-1, 0, 1].contains(raw) else {
                rejected.append("\(symbol): TRADING_SIGNAL is not 1, 0 or -1")
                continue
            }
            var trend: Int?
            if let t = item["TOKEN_TREND"]?.double, t == 1 || t == -1 { trend = Int(t) }
            var grade: Double?
            if let g = item["TM_TRADER_GRADE"], g != .null {
                guard let v = g.double, v.isFinite, (0...100).contains(v) else {
                    rejected.append("\(symbol): TM_TRADER_GRADE is not in 0-100")
                    continue
                }
                grade = v
            }
            var tokenId: String?
            if let id = item["TOKEN_ID"] {
                if let n = id.double, n.isFinite, n == n.rounded() {
                    tokenId = String(Int64(n))
                } else {
                    tokenId = id.string
                }
            }
            items.append(
                TokenMetricsItem(
                    tokenId: tokenId, symbol: symbol, day: UTCCalendar.dayNumber(time) * UTCCalendar.day,
                    signal: Int(raw), trend: trend, grade: grade))
        }
        return (items, rejected, list.count)
    }
}
