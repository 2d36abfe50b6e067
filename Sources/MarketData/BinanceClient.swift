import Foundation
import IndexCore

/// Settings of the keyless Binance source (public market data, DESIGN §8).
public struct BinanceConfig: Sendable {
    /// API root (default `https://api.binance.com`; `https://data-api.binance.vision` serves
    /// the same market data).
    public var baseURL: URL
    /// The quote asset every symbol is paired with (`BTC` → `BTCUSDT`).
    public var quote: String
    /// Seconds between polls.
    public var interval: Double
    /// Request timeout, seconds.
    public var timeout: Double
    /// Requests a minute (Binance allows 6 000 request weight a minute; a kline request weighs 2).
    public var perMinute: Double

    public init(
        baseURL: URL? = nil, quote: String = "USDT", interval: Double = 30, timeout: Double = 15,
        perMinute: Double = 600
    ) {
        self.baseURL = baseURL ?? URL(string: "https://api.binance.com")!
        self.quote = quote
        self.interval = interval
        self.timeout = timeout
        self.perMinute = perMinute
    }

    /// The provider's HTTP access (no key).
    public func http(maxWaits: Int = 0, log: FeedLog? = nil, notice: @escaping @Sendable (String) -> Void = { _ in })
        -> ProviderHTTP
    {
        ProviderHTTP(
            name: "binance", keyHeader: nil, key: nil, timeout: timeout, perMinute: maxWaits > 0 ? perMinute : nil,
            maxWaits: maxWaits, log: log, notice: notice)
    }
}

/// The `binance` feed and history source: prices from `/api/v3/ticker/24hr`, daily history
/// from `/api/v3/klines?interval=1d`, for the pair `<SYMBOL><quote>`. No key and no market caps.
/// The quote asset itself (USDT) is priced at 1, without a request.
public final class BinanceClient: Feed, HistorySource {
    public let name = "binance"
    public let config: BinanceConfig
    private let symbols: [String]
    private let sink: (any PriceSink)?
    private let log: FeedLog?
    private let http: ProviderHTTP
    /// Symbols Binance answered "Invalid symbol." for: asked once, then left out (and reported once).
    private let invalid = Locked<Set<String>>([])

    /// - Parameters:
    ///   - assets: the assets in use.
    ///   - sink: where the feed writes prices (nil when used for history only).
    public init(
        config: BinanceConfig = BinanceConfig(), assets: [Asset], sink: (any PriceSink)?, log: FeedLog? = nil,
        http: ProviderHTTP? = nil
    ) {
        self.config = config
        symbols = Array(Set(assets.map(\.symbol))).sorted()
        self.sink = sink
        self.log = log
        self.http = http ?? config.http(log: log)
    }

    public var pollInterval: Double { config.interval }
    public var staleAfter: Double { 3 * config.interval }
    public var missingHint: String { "Binance has no \(config.quote) pair for it; use --provider coingecko" }

    /// `BTC` → `BTCUSDT`.
    public func pair(_ symbol: String) -> String { symbol.uppercased() + config.quote }

    public func unsupported(_ asset: Asset) -> String? { nil }

    // MARK: Prices

    /// One `/api/v3/ticker/24hr?symbols=[…]` request for every pair (one request per pair to
    /// find the culprit when Binance refuses the list for an invalid symbol).
    public func poll(now: Double) throws -> PollReport {
        var report = PollReport()
        let asked = symbols.filter { $0 != config.quote && !invalid.current.contains($0) }
        if symbols.contains(config.quote) {
            report.points.append(PricePoint(symbol: config.quote, time: Int64(now), price: 1))
        }
        if !asked.isEmpty {
            let list = "[" + asked.map { "\"\(pair($0))\"" }.joined(separator: ",") + "]"
            do {
                report.requests += 1
                let body = try http.get(try http.url(config.baseURL, "/api/v3/ticker/24hr", [("symbols", list)])).body
                report.points += try Self.parseTickers(body, symbols: asked, quote: config.quote)
            } catch let e as FeedError where e.kind == .badResponse && e.message.contains("Invalid symbol") {
                for symbol in asked {
                    report.requests += 1
                    do {
                        let body = try http.get(
                            try http.url(config.baseURL, "/api/v3/ticker/24hr", [("symbol", pair(symbol))])
                        ).body
                        report.points += try Self.parseTickers(body, symbols: [symbol], quote: config.quote)
                    } catch let e as FeedError where e.kind == .badResponse {
                        invalid.withLock { _ = $0.insert(symbol) }
                        report.rejected.append("\(symbol): \(pair(symbol)) \(e.message)")
                        log?.write(feed: name, level: "warn", "\(symbol): \(pair(symbol)) \(e.message)")
                    }
                }
            }
        }
        if let sink, !report.points.isEmpty {
            do {
                try sink.store(report.points, source: name)
            } catch {
                throw FeedError(.storage, "storing \(report.points.count) prices failed: \(error)", context: name)
            }
        }
        log?.write(feed: name, "stored \(report.points.count) prices in \(report.requests) request(s)")
        return report
    }

    /// Parses `/api/v3/ticker/24hr` (one object, or an array of them): `symbol`, `lastPrice`,
    /// `quoteVolume` (24h, in the quote currency) and `closeTime` (ms), numbers as strings.
    public static func parseTickers(_ data: Data, symbols: [String], quote: String) throws -> [PricePoint] {
        let body: JSONValue
        do {
            body = try JSONValue.parse(data)
        } catch {
            throw FeedError(.badResponse, "ticker answer is not JSON (\(error))", context: "binance")
        }
        let items: [JSONValue]
        switch body {
        case .array(let list): items = list
        case .object: items = [body]
        default: throw FeedError(.badResponse, "ticker answer is not an object or array", context: "binance")
        }
        let byPair = Dictionary(uniqueKeysWithValues: symbols.map { ($0.uppercased() + quote, $0) })
        return items.compactMap { item in
            guard let pair = item["symbol"]?.string, let symbol = byPair[pair],
                let price = item["lastPrice"]?.double, price.isFinite, price > 0,
                let closeMs = item["closeTime"]?.double, closeMs.isFinite
            else { return nil }
            let volume = item["quoteVolume"]?.double.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            return PricePoint(symbol: symbol, time: Int64(closeMs / 1000), price: price, volume: volume)
        }
    }

    // MARK: History

    /// Daily klines from `from` to `now`, 1 000 a request, paged by `startTime`.
    public func dailyHistory(for asset: Asset, from: Int64, now: Int64) throws -> [PricePoint] {
        if asset.symbol == config.quote {
            // The quote currency is worth 1 of itself: one close a day, no request.
            return stride(from: UTCCalendar.dayNumber(from), through: UTCCalendar.dayNumber(now), by: 1).map {
                PricePoint(symbol: asset.symbol, time: min(($0 + 1) * UTCCalendar.day - 1, now), price: 1)
            }
        }
        var out: [PricePoint] = []
        var start = from * 1000
        var seen: Set<Int64> = []
        while start <= now * 1000 {
            let url = try http.url(
                config.baseURL, "/api/v3/klines",
                [
                    ("symbol", pair(asset.symbol)), ("interval", "1d"), ("startTime", String(start)),
                    ("limit", "1000"),
                ])
            let page = try Self.parseKlines(http.get(url).body, symbol: asset.symbol, now: now)
            // A server that repeats a page (or ignores startTime) must not loop forever.
            let fresh = page.points.filter { seen.insert($0.openTime).inserted }
            out += fresh.map(\.point)
            guard page.count == 1000, let last = fresh.last else { break }
            start = last.openTime + 86_400_000
        }
        return out
    }

    /// Parses `/api/v3/klines`: arrays `[openTime, open, high, low, close, volume, closeTime,
    /// quoteAssetVolume, trades, takerBuyBase, takerBuyQuote, ignore]` (times in ms, prices as
    /// strings). The close is stamped at the kline's close time (or `now` for today's open kline);
    /// the volume is the quote-asset volume.
    public static func parseKlines(_ data: Data, symbol: String, now: Int64) throws
        -> (points: [(openTime: Int64, point: PricePoint)], count: Int)
    {
        let body: JSONValue
        do {
            body = try JSONValue.parse(data)
        } catch {
            throw FeedError(.badResponse, "klines answer is not JSON (\(error))", context: "binance")
        }
        guard case .array(let rows) = body else {
            throw FeedError(.badResponse, "klines answer is not an array", context: "binance")
        }
        var out: [(openTime: Int64, point: PricePoint)] = []
        for row in rows {
            guard case .array(let k) = row, k.count >= 8, let open = k[0].double, open.isFinite,
                let close = k[4].double, close.isFinite, close > 0, let closeMs = k[6].double, closeMs.isFinite
            else { continue }
            let volume = k[7].double.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            let time = min(Int64(closeMs / 1000), now)
            out.append((Int64(open), PricePoint(symbol: symbol, time: time, price: close, volume: volume)))
        }
        return (out, rows.count)
    }
}
