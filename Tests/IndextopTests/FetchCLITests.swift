import TestSupport
import Foundation
import Testing

/// `indextop fetch` against a real HTTP server on 127.0.0.1, with the key in a real vault (DESIGN §8, §9).
@Suite(.demoDatabase) struct FetchCLITests {
    static let coingeckoKey = "CG-integSECRET9f3Kq7Lm2Wx8"
    static let tokenMetricsKey = "tm-integSECRET4Rt6Yu8Io0Pa"

    let cli: ProcessHarness

    init() throws {
        cli = try ProcessHarness()
        try cli.copyDemo()
    }

    /// One coin as `/coins/markets` sends it (the fields the client reads, plus a few it ignores).
    static func coin(_ id: String, _ symbol: String, price: String, cap: String, updated: String) -> String {
        """
        {"id":"\(id)","symbol":"\(symbol)","name":"\(id)","image":"https://example.invalid/\(id).png",\
        "current_price":\(price),"market_cap":\(cap),"market_cap_rank":1,"total_volume":1000000,\
        "high_24h":null,"low_24h":null,"price_change_percentage_24h":-1.5,"last_updated":"\(updated)"}
        """
    }

    static var nowISO: String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    private func addKey(_ provider: String, _ secret: String) throws -> ProcessHarness.Result {
        let r = try cli.run(["keys", "add", "--provider", provider, "--scope", "read"], stdin: secret + "\n")
        #expect(r.code == 0, "\(r.err)")
        return r
    }

    private func expectNoLeak(_ secret: String, in results: [ProcessHarness.Result]) throws {
        try Self.expectNoLeak(secret, cli: cli, in: results)
    }

    static func expectNoLeak(_ secret: String, cli: ProcessHarness, in results: [ProcessHarness.Result]) throws {
        for r in results {
            #expect(!r.out.contains(secret))
            #expect(!r.err.contains(secret))
        }
        let bytes = try cli.allBytes()
        #expect(bytes.count > 0)
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the key is in a file under the home folder")
        // Not in the database even with its suffix cut (the UI shows only the last 4 characters).
        #expect(try cli.sqlite("SELECT COUNT(*) FROM settings WHERE value LIKE '%SECRET%'") == "0")
    }

    @Test func coingeckoPricesAreStoredAndTheKeyOnlyTravelsInItsHeader() throws {
        defer { cli.cleanUp() }
        let updated = Self.nowISO
        let body =
            "["
            + [
                Self.coin("bitcoin", "btc", price: "63123.5", cap: "1243000000000", updated: updated),
                Self.coin("ethereum", "eth", price: "3012.25", cap: "361800000000", updated: updated),
                Self.coin("solana", "sol", price: "135.5", cap: "60700000000", updated: updated),
            ].joined(separator: ",") + "]"
        let server = try TestHTTPServer { _, _ in .json(body) }
        defer { server.stop() }
        var results = [try addKey("coingecko", Self.coingeckoKey)]
        let fetch = try cli.run([
            "fetch", "--provider", "coingecko", "--base-url", server.baseURL.absoluteString, "--db", cli.db,
        ])
        results.append(fetch)
        #expect(fetch.code == 0, "\(fetch.err)")
        #expect(fetch.out.contains("coingecko: stored 3 prices"), "\(fetch.out)")

        #expect(server.requests.count == 1)
        let request = try #require(server.requests.first)
        #expect(request.path == "/coins/markets")
        #expect(request.headers["x-cg-demo-api-key"] == Self.coingeckoKey)
        #expect(request.raw.components(separatedBy: Self.coingeckoKey).count == 2, "the key once, in its header")
        let ids = Set((request.query["ids"] ?? "").split(separator: ",").map(String.init))
        #expect(ids.isSuperset(of: ["bitcoin", "ethereum", "solana", "aave"]))

        #expect(
            try cli.sqlite("SELECT symbol || '=' || price FROM prices WHERE source = 'coingecko' ORDER BY symbol")
                == "BTC=63123.5\nETH=3012.25\nSOL=135.5")
        let list = try cli.run(["assets", "list", "--json", "--db", cli.db])
        results.append(list)
        let assets = try #require(try parseJSON(list.out) as? [[String: Any]])
        #expect(assets.first { $0["symbol"] as? String == "BTC" }?["price"] as? Double == 63123.5)
        #expect(assets.first { $0["symbol"] as? String == "SOL" }?["price"] as? Double == 135.5)

        let feedLog = try String(
            contentsOf: cli.home.appendingPathComponent("state/indextop/feed.log"), encoding: .utf8)
        #expect(feedLog.contains("stored 3 prices"))
        let audit = try String(contentsOf: cli.dataDir.appendingPathComponent("audit-dev.jsonl"), encoding: .utf8)
        #expect(audit.contains("coingecko/dev/read"))
        results.append(try cli.run(["audit", "show", "--json"]))
        try expectNoLeak(Self.coingeckoKey, in: results)
    }

    @Test func aRejectedKeyIsOneRequestExitOneAndAudited() throws {
        defer { cli.cleanUp() }
        let server = try TestHTTPServer { _, _ in
            .json(#"{"status":{"error_code":401,"error_message":"Invalid API Key"}}"#, status: 401)
        }
        defer { server.stop() }
        var results = [try addKey("coingecko", Self.coingeckoKey)]
        let pricesBefore = try cli.sqlite("SELECT COUNT(*) FROM prices")
        let fetch = try cli.run([
            "fetch", "--provider", "coingecko", "--base-url", server.baseURL.absoluteString, "--db", cli.db,
        ])
        results.append(fetch)
        #expect(fetch.code == 1)
        #expect(fetch.err.contains("401"), "\(fetch.err)")
        #expect(server.requests.count == 1)
        #expect(try cli.sqlite("SELECT COUNT(*) FROM prices") == pricesBefore)

        let auditURL = cli.dataDir.appendingPathComponent("audit-dev.jsonl")
        let entries = try String(contentsOf: auditURL, encoding: .utf8).split(separator: "\n").map {
            try #require(try parseJSON(String($0)) as? [String: Any])
        }
        let rejected = entries.filter { $0["action"] as? String == "key.rejected" }
        #expect(rejected.count == 1)
        #expect(rejected.first?["key_id"] as? String == "coingecko/dev/read")
        // The provider's own text, one prefix; the key shows as rejected.
        #expect(fetch.err.contains("indextop: coingecko: HTTP 401: Invalid API Key"), "\(fetch.err)")
        #expect(!fetch.err.contains("coingecko: coingecko"), "\(fetch.err)")
        let keys = try cli.run(["keys", "list", "--json"])
        results.append(keys)
        let list = try #require(try parseJSON(keys.out) as? [[String: Any]])
        #expect(list.first?["state"] as? String == "rejected", "\(keys.out)")
        let verify = try cli.run(["audit", "verify"])
        results.append(verify)
        #expect(verify.code == 0, "\(verify.err)")
        try expectNoLeak(Self.coingeckoKey, in: results)
    }

    @Test func tokenMetricsSignalsAreStoredWithTheirSource() throws {
        defer { cli.cleanUp() }
        let signals = try cli.run(["signals", "--json", "--db", cli.db])
        let object = try #require(try parseJSON(signals.out) as? [String: Any])
        let btc = try #require((object["assets"] as? [[String: Any]])?.first { $0["symbol"] as? String == "BTC" })
        let day = try #require((btc["time"] as? String)?.prefix(10))
        let body = """
            {"success":true,"message":"Data fetched successfully","length":3,"data":[
            {"TOKEN_ID":3375,"TOKEN_NAME":"Bitcoin","TOKEN_SYMBOL":"BTC","DATE":"\(day)T00:00:00.000Z","TRADING_SIGNAL":1,"TM_TRADER_GRADE":90},
            {"TOKEN_ID":3306,"TOKEN_NAME":"Ethereum","TOKEN_SYMBOL":"ETH","DATE":"\(day)T00:00:00.000Z","TRADING_SIGNAL":0,"TOKEN_TREND":-1,"TM_TRADER_GRADE":30},
            {"TOKEN_ID":3988,"TOKEN_NAME":"Solana","TOKEN_SYMBOL":"SOL","DATE":"\(day)T00:00:00.000Z","TRADING_SIGNAL":0,"TM_TRADER_GRADE":null}]}
            """
        let server = try TestHTTPServer { _, _ in .json(body) }
        defer { server.stop() }
        var results = [try addKey("tokenmetrics", Self.tokenMetricsKey)]
        let fetch = try cli.run([
            "fetch", "--provider", "tokenmetrics", "--base-url", server.baseURL.absoluteString, "--db", cli.db,
        ])
        results.append(fetch)
        #expect(fetch.code == 0, "\(fetch.err)")
        // SOL says "no new signal" (0) with no trend and nothing stored before: no position, not stored.
        #expect(fetch.out.contains("stored 0 prices, 2 signals"), "\(fetch.out)")
        #expect(server.requests.count == 1)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v2/trading-signals")
        #expect(request.headers["x-api-key"] == Self.tokenMetricsKey)

        // Grades 90 and 30 are scores 90/50 − 1 = 0.8 and 30/50 − 1 = −0.4; ETH's position is its
        // TOKEN_TREND (−1) although its TRADING_SIGNAL is 0.
        #expect(
            try cli.sqlite(
                "SELECT symbol || ' ' || label || ' ' || score FROM signals WHERE source = 'tokenmetrics' ORDER BY symbol"
            ) == "BTC bullish 0.8\nETH bearish -0.4")
        let after = try cli.run(["signals", "--json", "--db", cli.db])
        results.append(after)
        let list = try #require((try parseJSON(after.out) as? [String: Any])?["assets"] as? [[String: Any]])
        let bySymbol = Dictionary(
            uniqueKeysWithValues: list.compactMap { a in (a["symbol"] as? String).map { ($0, a) } })
        #expect(bySymbol["BTC"]?["source"] as? String == "tokenmetrics")
        #expect(bySymbol["BTC"]?["score"] as? Double == 0.8)
        #expect(bySymbol["ETH"]?["label"] as? String == "bearish")
        #expect(bySymbol["SOL"]?["source"] as? String == "rating")
        #expect(bySymbol["AAVE"]?["source"] as? String == "rating")
        try expectNoLeak(Self.tokenMetricsKey, in: results)
    }
}

/// A new user's day one against a server on 127.0.0.1 that answers like CoinGecko and Binance:
/// empty database → discover and add the top 20 → backfill a year → a signal index with real
/// indicators (DESIGN §8, issue 10).
@Suite struct DayOneCLITests {
    let cli: ProcessHarness
    let db: String

    init() throws {
        cli = try ProcessHarness()
        db = cli.db
    }

    /// The top 20 by market cap: 18 coins, two stablecoins; ZCC's supply is unknown (cap 0).
    static let coins: [(id: String, symbol: String, base: Double, supply: Double)] = [
        ("bitcoin", "btc", 60_000, 19.7e6), ("ethereum", "eth", 3_000, 120e6), ("tether", "usdt", 1, 110e9),
        ("solana", "sol", 150, 440e6), ("usd-coin", "usdc", 1, 33e9), ("ripple", "xrp", 0.5, 55e9),
        ("dogecoin", "doge", 0.15, 144e9), ("cardano", "ada", 0.45, 35e9), ("avalanche-2", "avax", 35, 390e6),
        ("chainlink", "link", 14, 587e6), ("polkadot", "dot", 7, 1.4e9), ("tron", "trx", 0.12, 87e9),
        ("near", "near", 6, 1e9), ("uniswap", "uni", 8, 600e6), ("litecoin", "ltc", 80, 74e6),
        ("aave", "aave", 90, 14e6), ("maker", "mkr", 2_500, 0.9e6), ("zero-cap-coin", "zcc", 2, 0),
        ("arbitrum", "arb", 1.1, 2.6e9), ("render-token", "rndr", 7, 380e6),
    ]

    static func price(_ base: Double, day i: Int) -> Double {
        // A rising year with a 31-day wave that is climbing on the last day (day 365).
        base == 1 ? 1 : base * (1 + 0.002 * Double(i)) * (1 + 0.03 * sin(Double(i - 365) / 5 + 0.5))
    }

    static func marketCoin(_ c: (id: String, symbol: String, base: Double, supply: Double), rank: Int) -> String {
        let p = price(c.base, day: 365)
        return
            #"{"id":"\#(c.id)","symbol":"\#(c.symbol)","name":"\#(c.id.capitalized)","image":"https://example.invalid/x.png","current_price":\#(p),"market_cap":\#(p * c.supply),"market_cap_rank":\#(rank),"total_volume":123456789,"price_change_percentage_24h":1.2,"last_updated":"\#(FetchCLITests.nowISO)"}"#
    }

    /// `/coins/{id}/market_chart?days=N&interval=daily`: N + 1 midnights, then now.
    static func chart(_ c: (id: String, symbol: String, base: Double, supply: Double), days: Int) -> String {
        let now = Int64(Date().timeIntervalSince1970)
        let today = now / 86_400
        var stamps = (0...days).map { (today - Int64(days) + Int64($0)) * 86_400_000 }
        stamps.append(now * 1000)
        let offset = 365 - days
        let prices = stamps.enumerated().map { "[\($1),\(price(c.base, day: min($0 + offset, 366)))]" }
        let caps = stamps.enumerated().map { "[\($1),\(price(c.base, day: min($0 + offset, 366)) * c.supply)]" }
        let volumes = stamps.map { "[\($0),\(1e8)]" }
        return
            #"{"prices":[\#(prices.joined(separator: ","))],"market_caps":[\#(caps.joined(separator: ","))],"total_volumes":[\#(volumes.joined(separator: ","))]}"#
    }

    static func handler(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
        let path = request.path
        if path == "/coins/markets" {
            if request.query["category"] == "stablecoins" {
                return .json(
                    "["
                        + coins.enumerated().filter { $0.element.base == 1 }.map { marketCoin($1, rank: $0 + 1) }
                        .joined(separator: ",") + "]")
            }
            let n = Int(request.query["per_page"] ?? "") ?? 0
            let page = Int(request.query["page"] ?? "1") ?? 1
            let slice = coins.enumerated().dropFirst((page - 1) * n).prefix(n)
            return .json("[" + slice.map { marketCoin($1, rank: $0 + 1) }.joined(separator: ",") + "]")
        }
        if path.hasPrefix("/coins/"), path.hasSuffix("/market_chart") {
            let id = path.dropFirst("/coins/".count).dropLast("/market_chart".count)
            guard let coin = coins.first(where: { $0.id == id }) else {
                return .json(#"{"error":"coin not found"}"#, status: 404)
            }
            return .json(chart(coin, days: Int(request.query["days"] ?? "") ?? 1))
        }
        if path == "/api/v3/klines" {
            let pair = request.query["symbol"] ?? ""
            guard let coin = coins.first(where: { $0.symbol.uppercased() + "USDT" == pair }), coin.symbol != "zcc"
            else {
                return .json(#"{"code":-1121,"msg":"Invalid symbol."}"#, status: 400)
            }
            let start = (Int64(request.query["startTime"] ?? "") ?? 0) / 86_400_000
            let today = Int64(Date().timeIntervalSince1970) / 86_400
            let rows = (start...today).map { d -> String in
                let p = price(coin.base, day: 365 - Int(today - d))
                return
                    #"[\#(d * 86_400_000),"\#(p)","\#(p)","\#(p)","\#(p)","10.0",\#((d + 1) * 86_400_000 - 1),"1000.5",7,"5.0","500.0","0"]"#
            }
            return .json("[" + rows.joined(separator: ",") + "]")
        }
        return .json(#"{"error":"not found"}"#, status: 404)
    }

    private func run(_ args: [String], stdin: String = "") throws -> ProcessHarness.Result {
        try cli.run(args + ["--db", db], stdin: stdin)
    }

    @Test func withACoinGeckoKeyANewUserGetsASignalIndexInOneSitting() throws {
        defer { cli.cleanUp() }
        let server = try TestHTTPServer { request, _ in Self.handler(request) }
        defer { server.stop() }
        let base = server.baseURL.absoluteString
        #expect(try run(["init"]).code == 0)
        let key = try cli.run(
            ["keys", "add", "--provider", "coingecko", "--scope", "read"], stdin: FetchCLITests.coingeckoKey + "\n")
        #expect(key.code == 0, "\(key.err)")

        let add = try run(["assets", "add", "--top", "20", "--history", "0", "--base-url", base, "--rate", "60000"])
        #expect(add.code == 0, "\(add.err)")
        #expect(add.out.contains("added 20 asset(s)"), "\(add.out)")
        #expect(try cli.sqlite("SELECT COUNT(*) FROM assets") == "20")
        #expect(
            try cli.sqlite(
                "SELECT group_concat(symbol) FROM (SELECT symbol FROM assets WHERE is_stablecoin ORDER BY symbol)")
                == "USDC,USDT")
        // ZCC's market cap 0 means "supply unknown": stored as NULL, never 0.
        #expect(try cli.sqlite("SELECT COUNT(*) FROM prices WHERE symbol = 'ZCC' AND market_cap IS NULL") == "1")
        #expect(try cli.sqlite("SELECT COUNT(*) FROM prices WHERE market_cap = 0") == "0")

        let fetch = try run(["fetch", "--history", "365", "--base-url", base, "--rate", "60000"])
        #expect(fetch.code == 0, "\(fetch.err)")
        // 365 days per coin; today already has the price `assets add` stored.
        #expect(fetch.out.contains("stored \(20 * 364) daily prices for 20 asset(s)"), "\(fetch.out)")
        let chartRequest = try #require(server.requests.first { $0.path == "/coins/bitcoin/market_chart" })
        #expect(chartRequest.query == ["vs_currency": "usd", "days": "365", "interval": "daily"])
        #expect(chartRequest.headers["x-cg-demo-api-key"] == FetchCLITests.coingeckoKey)

        let asked = server.requests.count
        let again = try run(["fetch", "--history", "365", "--base-url", base, "--rate", "60000"])
        #expect(again.code == 0, "\(again.err)")
        #expect(again.out.contains("stored 0 daily prices for 0 asset(s); 20 already covered"), "\(again.out)")
        #expect(server.requests.count == asked, "a covered backfill asks nothing")

        let spec = cli.home.appendingPathComponent("signal.json")
        try Data(
            #"{"slug":"day-one","name":"Day one","initial_capital":10000,"universe":{"top":10},"methodology":{"type":"signal","cap":0.25,"stablecoin":"USDC"},"rebalance":{"schedule":"weekly","weekday":1}}"#
                .utf8
        ).write(to: spec)
        let create = try run(["index", "create", spec.path])
        #expect(create.code == 0, "\(create.err)")
        #expect(
            create.err.contains("warning: index 'day-one': no market cap known for ZCC: not eligible"), "\(create.err)")
        let preview = try run(["rebalance", "day-one"])
        #expect(preview.err.contains("no market cap known for ZCC"), "\(preview.err)")
        let signals = try run(["signals", "--json"])
        let object = try #require(try parseJSON(signals.out) as? [String: Any])
        let btc = try #require((object["assets"] as? [[String: Any]])?.first { $0["symbol"] as? String == "BTC" })
        let indicators = try #require(btc["indicators"] as? [String: Any])
        for name in ["sma20", "sma50", "sma200", "rsi14", "macd", "volatility30"] {
            #expect(indicators[name] is Double, "\(name) is \(String(describing: indicators[name]))")
        }
        let holdings = try #require(try parseJSON(try run(["holdings", "day-one", "--json"]).out) as? [String: Any])
        let held = (holdings["holdings"] as? [[String: Any]] ?? []).filter {
            ($0["symbol"] as? String) != "USDC" && ($0["weight"] as? Double ?? 0) > 0.01
        }
        #expect(held.count >= 3, "the signal index holds only the stablecoin: \(holdings)")
        try FetchCLITests.expectNoLeak(FetchCLITests.coingeckoKey, cli: cli, in: [add, fetch, again, create, signals])
    }

    @Test func withNoKeyAtAllBinanceFillsTheHistoryAndNamesWhatItLacks() throws {
        defer { cli.cleanUp() }
        let limited = LimitOnce()
        let server = try TestHTTPServer { request, _ in
            if request.path == "/api/v3/klines", limited.first() {
                return .json(#"{"code":-1003,"msg":"Too many requests."}"#, status: 429, headers: ["Retry-After": "1"])
            }
            return Self.handler(request)
        }
        defer { server.stop() }
        let base = server.baseURL.absoluteString
        #expect(try run(["init"]).code == 0)
        let add = try run(["assets", "add", "--top", "18", "--history", "0", "--base-url", base, "--rate", "60000"])
        #expect(add.code == 0, "\(add.err)")
        #expect(add.err.contains("keyless public API"), "\(add.err)")
        #expect(server.requests.allSatisfy { $0.headers["x-cg-demo-api-key"] == nil })

        let fetch = try run([
            "fetch", "--history", "30", "--provider", "binance", "--base-url", base, "--rate", "60000",
        ])
        #expect(fetch.code == 1, "ZCC has no USDT pair")
        #expect(
            fetch.err.contains("binance: rate limited (HTTP 429): waiting 1 s as the server asked (Retry-After)"),
            "\(fetch.err)")
        #expect(fetch.err.contains("binance: ZCC: not returned (HTTP 400: Invalid symbol.)"), "\(fetch.err)")
        #expect(fetch.err.contains("use --provider coingecko"), "\(fetch.err)")
        // 16 pairs and USDT (the quote, priced at 1) × 29 new days (today came with `assets add`).
        #expect(try cli.sqlite("SELECT COUNT(*) FROM prices WHERE source = 'binance'") == String(17 * 29))
        #expect(
            try cli.sqlite("SELECT COUNT(*) FROM prices WHERE source = 'binance' AND market_cap IS NOT NULL") == "0")
        let request = try #require(server.requests.last { $0.path == "/api/v3/klines" })
        #expect(request.query["interval"] == "1d")
        #expect(request.query["limit"] == "1000")
    }
}

/// True exactly once.
final class LimitOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var used = false
    func first() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        defer { used = true }
        return !used
    }
}
