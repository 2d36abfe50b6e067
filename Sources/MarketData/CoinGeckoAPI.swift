import Foundation
import IndexCore

/// A coin as CoinGecko's `/search` or `/coins/markets` describes it.
public struct CoinListing: Sendable, Equatable {
    /// CoinGecko id (`bitcoin`).
    public var id: String
    /// Upper-cased ticker (`BTC`).
    public var symbol: String
    public var name: String
    /// Market-cap rank, nil when CoinGecko has none.
    public var rank: Int?
    /// The latest price (markets only), with its cap (nil when unknown) and volume.
    public var price: PricePoint?

    public init(id: String, symbol: String, name: String, rank: Int?, price: PricePoint? = nil) {
        self.id = id
        self.symbol = symbol
        self.name = name
        self.rank = rank
        self.price = price
    }
}

/// CoinGecko's history and discovery endpoints (DESIGN §8): `/coins/{id}/market_chart`,
/// `/coins/{id}/market_chart/range`, `/search`, `/coins/markets` by rank and category, and
/// `/coins/categories/list`.
public struct CoinGeckoAPI: Sendable {
    public let config: CoinGeckoConfig
    public let http: ProviderHTTP

    public init(config: CoinGeckoConfig, http: ProviderHTTP) {
        self.config = config
        self.http = http
    }

    /// Most days the demo plan serves (`/market_chart?days=`); pro uses `/market_chart/range` beyond.
    public static let demoMaxDays = 365

    /// Daily prices, market caps and volumes of coin `id` since `from` (Unix s) until `now`.
    /// Demo: `/coins/{id}/market_chart?vs_currency=usd&days=N&interval=daily` (N ≤ 365);
    /// pro and more than 365 days: `/market_chart/range?from=&to=`.
    /// - Throws: ``FeedError`` (`HTTP 404: coin not found` for an unknown id).
    public func dailyHistory(id: String, symbol: String, from: Int64, now: Int64) throws -> [PricePoint] {
        let days = max(1, Int((now - from + 86_399) / 86_400))
        let url: URL
        let path = "/coins/\(Self.pathSafe(id))/market_chart"
        if days > Self.demoMaxDays, config.plan == .pro {
            url = try http.url(
                config.baseURL, path + "/range",
                [("vs_currency", "usd"), ("from", String(from)), ("to", String(now))])
        } else {
            url = try http.url(
                config.baseURL, path,
                [
                    ("vs_currency", "usd"), ("days", String(min(days, Self.demoMaxDays))),
                    ("interval", "daily"),
                ])
        }
        return try Self.parseMarketChart(http.get(url).body, symbol: symbol)
    }

    /// Parses a market chart body: `{"prices": [[ms, price]…], "market_caps": [[ms, cap]…],
    /// "total_volumes": [[ms, volume]…]}`; caps and volumes join prices by time stamp. A point
    /// whose price is missing, not finite or not positive is dropped; a cap of `0` or `null` is
    /// unknown (nil).
    /// - Throws: ``FeedError`` `.badResponse` when there is no `prices` array.
    public static func parseMarketChart(_ data: Data, symbol: String) throws -> [PricePoint] {
        let body: JSONValue
        do {
            body = try JSONValue.parse(data)
        } catch {
            throw FeedError(.badResponse, "market chart is not JSON (\(error))", context: "coingecko")
        }
        guard case .array(let prices)? = body["prices"] else {
            throw FeedError(.badResponse, "market chart has no prices array", context: "coingecko")
        }
        func series(_ key: String) -> [Int64: JSONValue] {
            guard case .array(let rows)? = body[key] else { return [:] }
            var out: [Int64: JSONValue] = [:]
            for row in rows {
                guard case .array(let pair) = row, pair.count >= 2, let ms = pair[0].double, ms.isFinite else {
                    continue
                }
                out[Int64(ms)] = pair[1]
            }
            return out
        }
        let caps = series("market_caps")
        let volumes = series("total_volumes")
        var out: [PricePoint] = []
        out.reserveCapacity(prices.count)
        for row in prices {
            guard case .array(let pair) = row, pair.count >= 2, let ms = pair[0].double, ms.isFinite, ms >= 0,
                case .number(let price) = pair[1], price.isFinite, price > 0
            else { continue }
            let key = Int64(ms)
            out.append(
                PricePoint(
                    symbol: symbol, time: key / 1000, price: price, marketCap: CoinGeckoClient.validCap(caps[key]),
                    volume: CoinGeckoClient.validAmount(volumes[key])))
        }
        return out
    }

    /// `/search?query=TEXT`: the coins whose name or symbol matches, best first.
    public func search(_ text: String) throws -> [CoinListing] {
        let body = try http.getJSON(try http.url(config.baseURL, "/search", [("query", text)]))
        guard case .array(let coins)? = body["coins"] else {
            throw FeedError(.badResponse, "search answer has no coins array", context: "coingecko")
        }
        return coins.compactMap { c in
            guard let id = c["id"]?.string, let symbol = c["symbol"]?.string else { return nil }
            return CoinListing(
                id: id, symbol: symbol.uppercased(), name: c["name"]?.string ?? id,
                rank: c["market_cap_rank"]?.double.map { Int($0) })
        }
    }

    /// `/coins/markets?order=market_cap_desc`: the `count` largest coins (optionally of one
    /// category), 250 a page, with their latest prices.
    public func top(_ count: Int, category: String? = nil, now: Int64) throws -> [CoinListing] {
        var out: [CoinListing] = []
        var page = 1
        var seen: Set<String> = []
        while out.count < count {
            let perPage = min(250, count)
            var query = [
                ("vs_currency", "usd"), ("order", "market_cap_desc"), ("per_page", String(perPage)),
                ("page", String(page)),
            ]
            if let category { query.append(("category", category)) }
            let listed = try markets(query, now: now)
            let fresh = listed.filter { seen.insert($0.id).inserted }
            out += fresh
            if listed.count < perPage || fresh.isEmpty { break }
            page += 1
        }
        return Array(out.prefix(count))
    }

    /// `/coins/markets?ids=…`: the listed coins among `ids` (an unknown id is simply absent).
    public func coins(ids: [String], now: Int64) throws -> [CoinListing] {
        var out: [CoinListing] = []
        for start in stride(from: 0, to: ids.count, by: 250) {
            let chunk = ids[start..<min(start + 250, ids.count)]
            out += try markets(
                [("vs_currency", "usd"), ("ids", chunk.joined(separator: ",")), ("per_page", "250")], now: now)
        }
        return out
    }

    /// The ids of every coin in CoinGecko's `stablecoins` category (up to 1 000, by market cap).
    public func stablecoinIds(now: Int64) throws -> Set<String> {
        Set(try top(1000, category: "stablecoins", now: now).map(\.id))
    }

    /// `/coins/categories/list`: every category id.
    public func categoryIds() throws -> [String] {
        let body = try http.getJSON(try http.url(config.baseURL, "/coins/categories/list", []))
        guard case .array(let items) = body else {
            throw FeedError(.badResponse, "categories answer is not an array", context: "coingecko")
        }
        return items.compactMap { $0["category_id"]?.string }
    }

    private func markets(_ query: [(String, String)], now: Int64) throws -> [CoinListing] {
        let response = try http.get(try http.url(config.baseURL, "/coins/markets", query))
        let body: JSONValue
        do {
            body = try JSONValue.parse(response.body)
        } catch {
            throw FeedError(.badResponse, "markets answer is not JSON (\(error))", context: "coingecko")
        }
        guard case .array(let items) = body else {
            throw FeedError(.badResponse, "markets answer is not an array", context: "coingecko")
        }
        return items.compactMap { c in
            guard let id = c["id"]?.string, let symbol = c["symbol"]?.string else { return nil }
            var price: PricePoint?
            if case .number(let p)? = c["current_price"], p.isFinite, p > 0 {
                let time = c["last_updated"]?.string.flatMap(ISOTime.parse) ?? now
                price = PricePoint(
                    symbol: symbol.uppercased(), time: time, price: p,
                    marketCap: CoinGeckoClient.validCap(c["market_cap"]),
                    volume: CoinGeckoClient.validAmount(c["total_volume"]))
            }
            return CoinListing(
                id: id, symbol: symbol.uppercased(), name: c["name"]?.string ?? id,
                rank: c["market_cap_rank"]?.double.map { Int($0) }, price: price)
        }
    }

    /// An id as one path segment (ids are lower-case words and dashes; anything else is escaped).
    static func pathSafe(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? id
    }
}
