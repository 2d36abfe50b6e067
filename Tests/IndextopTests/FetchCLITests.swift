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
