import Foundation
import IndexCore

/// Settings of the Token Metrics signal feed.
public struct TokenMetricsConfig: Sendable {
    /// API root; `/v2/trading-signals` is appended (default `https://api.tokenmetrics.com`).
    public var baseURL: URL
    /// Items per page (the API allows at most 100).
    public var pageLimit: Int
    /// Most pages read in one poll.
    public var maxPages: Int
    /// Seconds between polls (signals are daily: default one hour).
    public var interval: Double
    /// Request timeout, seconds.
    public var timeout: Double

    public init(
        baseURL: URL = URL(string: "https://api.tokenmetrics.com")!, pageLimit: Int = 100, maxPages: Int = 20,
        interval: Double = 3600, timeout: Double = 15
    ) {
        self.baseURL = baseURL
        self.pageLimit = min(max(pageLimit, 1), 100)
        self.maxPages = max(maxPages, 1)
        self.interval = interval
        self.timeout = timeout
    }
}

/// The `tokenmetrics` feed: reads `/v2/trading-signals` page by page and stores them as
/// imported signals (source `tokenmetrics`).
public final class TokenMetricsClient: Feed {
    public let name = "tokenmetrics"
    public let config: TokenMetricsConfig
    private let symbols: Set<String>
    private let key: KeyProvider
    private let sink: any SignalSink
    private let log: FeedLog?
    private let transport: HTTPTransport
    private struct Memory {
        var keyRejected: Int?
        var reported: Set<String> = []
    }
    private let memory = Locked(Memory())

    /// Creates the feed.
    /// - Parameters:
    ///   - symbols: the symbols in use (sent as the `symbol` filter; others are reported once
    ///     and skipped). Empty means every symbol the API returns.
    ///   - key: the API key provider (header `x-api-key`).
    ///   - sink: where signals are written (one batch per poll).
    public init(
        config: TokenMetricsConfig = TokenMetricsConfig(), symbols: Set<String>, key: @escaping KeyProvider,
        sink: any SignalSink, log: FeedLog? = nil
    ) {
        self.config = config
        self.symbols = Set(symbols.map { $0.uppercased() })
        self.key = key
        self.sink = sink
        self.log = log
        transport = HTTPTransport(timeout: config.timeout)
    }

    public var pollInterval: Double { config.interval }
    public var staleAfter: Double { 3 * 86_400 }

    /// Reads every page (until a short page or `maxPages`) and stores the valid signals.
    /// - Throws: ``FeedError``; after a 401/403 every later call throws `.keyRejected` at once.
    public func poll(now: Double) throws -> PollReport {
        if let status = memory.current.keyRejected {
            throw FeedError(
                .keyRejected(status: status), "API key was rejected (HTTP \(status)); not retrying",
                context: name)
        }
        var report = PollReport()
        for page in 1...config.maxPages {
            // The key is asked for before every request: the vault may have revoked it meanwhile.
            let headers: [String: String]
            do {
                headers = ["x-api-key": try key()]
            } catch {
                throw FeedError(.configuration, "no usable API key: \(error)", context: name)
            }
            let response = try transport.get(try pageURL(page), headers: headers, context: name)
            report.requests += 1
            try HTTPStatusCheck.check(
                response, now: now, feed: name, log: log,
                onRejected: { status in memory.withLock { $0.keyRejected = status } })
            let parsed = try Self.parseSignals(response.body)
            for signal in parsed.signals {
                if symbols.isEmpty || symbols.contains(signal.symbol) {
                    report.signals.append(signal)
                } else {
                    reportOnce("\(signal.symbol): not an asset in use")
                }
            }
            for reason in parsed.rejected { log?.write(feed: name, level: "warn", "rejected \(reason)") }
            report.rejected += parsed.rejected
            if parsed.count < config.pageLimit { break }
        }
        if !report.signals.isEmpty {
            do {
                try sink.store(report.signals)
            } catch {
                throw FeedError(.storage, "storing \(report.signals.count) signals failed: \(error)", context: name)
            }
        }
        log?.write(
            feed: name,
            "stored \(report.signals.count) signals, rejected \(report.rejected.count), "
                + "\(report.requests) request(s)")
        return report
    }

    private func reportOnce(_ reason: String) {
        if memory.withLock({ $0.reported.insert(reason).inserted }) { log?.write(feed: name, level: "warn", reason) }
    }

    private func pageURL(_ page: Int) throws -> URL {
        let base =
            config.baseURL.absoluteString.hasSuffix("/")
            ? String(config.baseURL.absoluteString.dropLast()) : config.baseURL.absoluteString
        guard var components = URLComponents(string: base + "/v2/trading-signals") else {
            throw FeedError(.configuration, "bad base URL", context: name)
        }
        var items = [
            URLQueryItem(name: "limit", value: String(config.pageLimit)),
            URLQueryItem(name: "page", value: String(page)),
        ]
        if !symbols.isEmpty {
            items.append(URLQueryItem(name: "symbol", value: symbols.sorted().joined(separator: ",")))
        }
        components.queryItems = items
        guard let url = components.url else { throw FeedError(.configuration, "bad base URL", context: name) }
        return url
    }

    /// Parses a `/v2/trading-signals` body: envelope `{success, message, length, data[]}`, items
    /// with `TOKEN_SYMBOL`, `DATE`, `TRADING_SIGNAL` (1, 0, −1) and `TM_TRADER_GRADE` (0–100,
    /// optional; mapped to score = (grade − 50) / 50).
    /// - Returns: the valid signals, one reason per rejected item, and the number of items in
    ///   `data` (to decide whether another page follows).
    /// - Throws: ``FeedError`` `.badResponse` when the body is not the envelope or says
    ///   `success: false` (with the API's message).
    public static func parseSignals(_ data: Data, source: String = "tokenmetrics") throws
        -> (signals: [ExternalSignal], rejected: [String], count: Int)
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
        guard case .array(let items)? = body["data"] else {
            throw FeedError(.badResponse, "body has no data array", context: source)
        }
        var signals: [ExternalSignal] = []
        var rejected: [String] = []
        for (index, item) in items.enumerated() {
            guard let symbol = item["TOKEN_SYMBOL"]?.string?.uppercased(), !symbol.isEmpty else {
                rejected.append("item \(index): missing TOKEN_SYMBOL")
                continue
            }
            guard let dateText = item["DATE"]?.string, let time = ISOTime.parse(dateText) else {
                rejected.append("\(symbol): missing or bad DATE")
                continue
            }
            guard let raw = item["TRADING_SIGNAL"]?.double, raw.isFinite, [-1, 0, 1].contains(raw) else {
                rejected.append("\(symbol): TRADING_SIGNAL is not 1, 0 or -1")
                continue
            }
            var score: Double?
            if let grade = item["TM_TRADER_GRADE"], grade != .null {
                guard let g = grade.double, g.isFinite, (0...100).contains(g) else {
                    rejected.append("\(symbol): TM_TRADER_GRADE is not in 0-100")
                    continue
                }
                score = (g - 50) / 50
            }
            // Signals are daily: keep the UTC day.
            let day = time - ((time % 86_400) + 86_400) % 86_400
            signals.append(ExternalSignal(symbol: symbol, time: day, label: Int(raw), score: score, source: source))
        }
        return (signals, rejected, items.count)
    }
}
