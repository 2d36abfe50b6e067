import Foundation
import IndexCore

/// Settings of the CoinGecko feed.
public struct CoinGeckoConfig: Sendable {
    /// Which API plan the key belongs to: it decides the header and the default base URL.
    public enum Plan: String, Sendable {
        case demo, pro

        /// The key header: `x-cg-demo-api-key` or `x-cg-pro-api-key`.
        public var headerName: String { self == .pro ? "x-cg-pro-api-key" : "x-cg-demo-api-key" }

        /// `https://api.coingecko.com/api/v3` or `https://pro-api.coingecko.com/api/v3`.
        public var defaultBaseURL: URL {
            URL(string: self == .pro ? "https://pro-api.coingecko.com/api/v3" : "https://api.coingecko.com/api/v3")!
        }
    }

    public var plan: Plan
    /// API root; `/coins/markets` is appended.
    public var baseURL: URL
    /// Seconds between polls (default 60, within the free plan's rate limit).
    public var interval: Double
    /// Request timeout, seconds.
    public var timeout: Double
    /// Requests a minute allowed by the plan (demo 30, pro 500); backfills and discovery keep to it.
    public var perMinute: Double

    public init(
        plan: Plan = .demo, baseURL: URL? = nil, interval: Double = 60, timeout: Double = 15, perMinute: Double? = nil
    ) {
        self.plan = plan
        self.baseURL = baseURL ?? plan.defaultBaseURL
        self.interval = interval
        self.timeout = timeout
        self.perMinute = perMinute ?? (plan == .pro ? 500 : 30)
    }

    /// The provider's HTTP access for this configuration.
    /// - Parameters:
    ///   - key: the key, or nil for the keyless public API.
    ///   - maxWaits: rate limits one request waits out (0 for the feed runner, which backs off).
    ///   - notice: where waits are announced.
    public func http(
        key: KeyProvider?, maxWaits: Int = 0, log: FeedLog? = nil,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) -> ProviderHTTP {
        ProviderHTTP(
            name: "coingecko", keyHeader: plan.headerName, key: key, timeout: timeout,
            perMinute: maxWaits > 0 ? perMinute : nil, maxWaits: maxWaits, log: log, notice: notice)
    }
}

/// The `coingecko` feed: polls `/coins/markets` for the assets in use and stores their prices.
public final class CoinGeckoClient: Feed {
    public let name = "coingecko"
    public let config: CoinGeckoConfig
    private let idToSymbol: [String: String]
    private let ids: [String]
    private let sink: any PriceSink
    private let log: FeedLog?
    private let http: ProviderHTTP
    private struct Memory {
        var reported: Set<String> = []
    }
    private let memory = Locked(Memory())

    /// Creates the feed.
    /// - Parameters:
    ///   - config: plan, base URL, interval, timeout.
    ///   - assets: the assets in use; those without a CoinGecko id are skipped.
    ///   - key: the API key provider, or nil to send no key.
    ///   - sink: where prices are written (one batch per poll).
    ///   - log: the feed log.
    ///   - http: the provider access to share (else one is made from `config` and `key`).
    public init(
        config: CoinGeckoConfig = CoinGeckoConfig(), assets: [Asset], key: KeyProvider?, sink: any PriceSink,
        log: FeedLog? = nil, http: ProviderHTTP? = nil
    ) {
        self.config = config
        var map: [String: String] = [:]
        for asset in assets {
            if let id = asset.coingeckoId, !id.isEmpty, map[id] == nil { map[id] = asset.symbol }
        }
        idToSymbol = map
        ids = map.keys.sorted()
        self.sink = sink
        self.log = log
        self.http = http ?? config.http(key: key, log: log)
    }

    public var pollInterval: Double { config.interval }
    public var staleAfter: Double { 3 * config.interval }

    /// Requests every asset's market data (250 ids a request), validates it and stores it.
    /// - Throws: ``FeedError``; after a 401/403 every later call throws `.keyRejected`
    ///   without sending a request, so a rejected key is never retried in a loop.
    public func poll(now: Double) throws -> PollReport {
        guard !ids.isEmpty else {
            throw FeedError(.configuration, "no asset has a CoinGecko id", context: name)
        }
        var report = PollReport()
        var returned: Set<String> = []
        for start in stride(from: 0, to: ids.count, by: 250) {
            // `http.get` asks for the key before every request: the vault may have revoked it meanwhile.
            let chunk = Array(ids[start..<min(start + 250, ids.count)])
            let url = try marketsURL(ids: chunk)
            report.requests += 1
            let response = try http.get(url)
            let parsed = Self.parse(response.body, idToSymbol: idToSymbol, now: Int64(now))
            if let bodyError = parsed.bodyError, parsed.points.isEmpty, parsed.rejected.isEmpty {
                throw FeedError(.badResponse, bodyError, context: name)
            }
            report.points += parsed.points
            returned.formUnion(parsed.returnedIds)
            for rejection in parsed.rejected {
                report.rejected.append(rejection.reason)
                if rejection.isUnknownId {
                    reportOnce(rejection.reason)
                } else {
                    log?.write(feed: name, level: "warn", "rejected \(rejection.reason)")
                }
            }
            if let bodyError = parsed.bodyError {
                report.rejected.append(bodyError)
                log?.write(feed: name, level: "warn", bodyError)
            }
        }
        for id in chunkMissing(returned) { reportOnce("\(id): not returned by CoinGecko") }
        if !report.points.isEmpty {
            do {
                try sink.store(report.points, source: name)
            } catch {
                throw FeedError(.storage, "storing \(report.points.count) prices failed: \(error)", context: name)
            }
        }
        log?.write(
            feed: name,
            "stored \(report.points.count) prices, rejected \(report.rejected.count), "
                + "\(report.requests) request(s)")
        return report
    }

    private func chunkMissing(_ returned: Set<String>) -> [String] {
        ids.filter { !returned.contains($0) }
    }

    private func reportOnce(_ reason: String) {
        let first = memory.withLock { $0.reported.insert(reason).inserted }
        if first { log?.write(feed: name, level: "warn", reason) }
    }

    private func marketsURL(ids chunk: [String]) throws -> URL {
        try http.url(
            config.baseURL, "/coins/markets",
            [("vs_currency", "usd"), ("ids", chunk.joined(separator: ",")), ("per_page", "250")])
    }

    /// Parses a `/coins/markets` body into prices.
    /// - Parameters:
    ///   - data: the body (a JSON array of coins).
    ///   - idToSymbol: CoinGecko id → our symbol; other ids are rejected as unknown.
    ///   - now: time for coins without `last_updated`; without it such coins are rejected.
    /// - Returns: the valid points (time from `last_updated`) and one reason per rejected item;
    ///   a price that is missing, not a number, NaN, infinite, zero or negative rejects the
    ///   item; a bad market cap or volume only drops that field.
    public static func parseMarkets(_ data: Data, idToSymbol: [String: String], now: Int64? = nil)
        -> (points: [PricePoint], rejected: [String])
    {
        let parsed = parse(data, idToSymbol: idToSymbol, now: now)
        return (parsed.points, parsed.rejected.map(\.reason) + (parsed.bodyError.map { [$0] } ?? []))
    }

    struct Rejection {
        var reason: String
        var isUnknownId: Bool
    }

    struct Parsed {
        var points: [PricePoint] = []
        var rejected: [Rejection] = []
        var returnedIds: Set<String> = []
        var bodyError: String?
    }

    static func parse(_ data: Data, idToSymbol: [String: String], now: Int64?) -> Parsed {
        var out = Parsed()
        let scanned = JSONScanner.arrayItems(data)
        if let error = scanned.bodyError {
            out.bodyError = scanned.items.isEmpty ? "body is not a JSON array of coins (\(error))" : "\(error)"
        }
        out.points.reserveCapacity(scanned.items.count)
        for (index, item) in scanned.items.enumerated() {
            let coin: JSONValue
            switch item {
            case .success(let value): coin = value
            case .failure(let error):
                out.rejected.append(
                    Rejection(reason: "item \(index): malformed JSON (\(error.message))", isUnknownId: false))
                continue
            }
            guard let id = coin["id"]?.string, !id.isEmpty else {
                out.rejected.append(Rejection(reason: "item \(index): missing id", isUnknownId: false))
                continue
            }
            out.returnedIds.insert(id)
            guard let symbol = idToSymbol[id] else {
                out.rejected.append(Rejection(reason: "\(id): unknown CoinGecko id", isUnknownId: true))
                continue
            }
            guard let priceValue = coin["current_price"], priceValue != .null else {
                out.rejected.append(Rejection(reason: "\(id): missing current_price", isUnknownId: false))
                continue
            }
            guard case .number(let price) = priceValue else {
                out.rejected.append(Rejection(reason: "\(id): current_price is not a number", isUnknownId: false))
                continue
            }
            guard price.isFinite else {
                out.rejected.append(Rejection(reason: "\(id): current_price is not finite", isUnknownId: false))
                continue
            }
            guard price > 0 else {
                out.rejected.append(Rejection(reason: "\(id): current_price is not positive", isUnknownId: false))
                continue
            }
            var time = now
            if let text = coin["last_updated"]?.string, let parsed = ISOTime.parse(text) { time = parsed }
            guard let time else {
                out.rejected.append(Rejection(reason: "\(id): missing or bad last_updated", isUnknownId: false))
                continue
            }
            out.points.append(
                PricePoint(
                    symbol: symbol, time: time, price: price, marketCap: validCap(coin["market_cap"]),
                    volume: validAmount(coin["total_volume"])))
        }
        return out
    }

    /// A volume: finite and ≥ 0, else nil.
    static func validAmount(_ value: JSONValue?) -> Double? {
        guard case .number(let v)? = value, v.isFinite, v >= 0 else { return nil }
        return v
    }

    /// A market cap: finite and > 0, else nil. CoinGecko sends `0` (and `null`) when the
    /// circulating supply is unknown; that is an unknown cap, never a real 0 (DESIGN §4).
    static func validCap(_ value: JSONValue?) -> Double? {
        guard let v = validAmount(value), v > 0 else { return nil }
        return v
    }
}
