import Foundation
import IndexCore
import Testing

@testable import MarketData

@Suite struct JSONAndTimeTests {
    @Test func parsesNestedValuesEscapesAndSurrogates() throws {
        let value = try JSONValue.parse(
            Data(#"{"a":[1,-2.5e3,true,false,null],"s":"x\"\\\/\n\u00e9\ud83d\ude00","o":{}}"#.utf8))
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(value["s"]?.string == "x\"\\/\né😀")
        #expect(value["o"] == .object([:]))
    }

    @Test(arguments: ["", "[1,", "{\"a\" 1}", "[1] x", "\"abc", "[tru]", "{\"a\":01x}"])
    func rejectsMalformedDocuments(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func nanAndInfinityTokensBecomeNonFiniteNumbers() throws {
        let value = try JSONValue.parse(Data("[NaN, Infinity, -Infinity]".utf8))
        guard case .array(let items) = value else {
            Issue.record("not an array")
            return
        }
        #expect(items[0].double?.isNaN == true)
        #expect(items[1].double == .infinity)
        #expect(items[2].double == -.infinity)
    }

    @Test(arguments: [
        ("2024-05-01T12:34:56.789Z", Int64(1_714_566_896)),
        ("2024-05-01T00:00:00Z", 1_714_521_600),
        ("2024-02-29T23:59:59+02:00", 1_709_243_999),
        ("1999-12-31", 946_598_400),
    ])
    func parsesISOTimes(text: String, expected: Int64) {
        // Expected values from Python's datetime.
        #expect(ISOTime.parse(text) == expected)
    }

    @Test func rejectsBadTimesAndFormatsUTC() {
        #expect(ISOTime.parse("2024-13-01") == nil)
        #expect(ISOTime.parse("2024-05-01T25:00:00Z") == nil)
        #expect(ISOTime.parse("yesterday") == nil)
        #expect(ISOTime.parse("1714566896") == 1_714_566_896)
        #expect(ISOTime.parse("2024-02-31") == nil)
        #expect(ISOTime.format(1_732_838_405) == "2024-11-29T00:00:05Z")
    }
}

@Suite struct CoinGeckoParseTests {
    @Test func parsesTheRecordedResponse() {
        let result = CoinGeckoClient.parseMarkets(Data(recordedMarkets.utf8), idToSymbol: testIdToSymbol)
        #expect(result.rejected.isEmpty)
        #expect(result.points.map(\.symbol) == ["BTC", "ETH", "SOL"])
        #expect(result.points.map(\.price) == [63123.5, 3012.25, 135.5])
        #expect(result.points[0].marketCap == 1_243_000_000_000)
        #expect(result.points[0].volume == 28_100_000_000)
        #expect(result.points.allSatisfy { $0.time == 1_714_566_896 })
    }

    @Test func rejectsBadItemsOneByOneWithReasons() {
        let body =
            "["
            + [
                coinJSON(id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "NaN"),
                coinJSON(id: "ethereum", symbol: "eth", name: "Ethereum", price: "0"),
                coinJSON(id: "solana", symbol: "sol", name: "Solana", price: "-3"),
                coinJSON(id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "\"12\""),
                coinJSON(id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "null"),
                #"{"id":"ethereum","symbol":"eth","market_cap":5}"#,
                #"{"symbol":"xyz","current_price":5}"#,
                coinJSON(id: "dogecoin", symbol: "doge", name: "Dogecoin", price: "0.1"),
                #"{"id":"solana","current_price": ,"last_updated":"2024-05-01T00:00:00Z"}"#,
                coinJSON(id: "solana", symbol: "sol", name: "Solana", price: "140", cap: "-1", volume: "NaN"),
            ].joined(separator: ",") + "]"
        let result = CoinGeckoClient.parseMarkets(Data(body.utf8), idToSymbol: testIdToSymbol)
        #expect(result.points.count == 1)
        #expect(result.points.first?.symbol == "SOL")
        #expect(result.points.first?.price == 140)
        #expect(result.points.first?.marketCap == nil)
        #expect(result.points.first?.volume == nil)
        #expect(
            result.rejected == [
                "bitcoin: current_price is not finite",
                "ethereum: current_price is not positive",
                "solana: current_price is not positive",
                "bitcoin: current_price is not a number",
                "bitcoin: missing current_price",
                "ethereum: missing current_price",
                "item 6: missing id",
                "dogecoin: unknown CoinGecko id",
                "item 8: malformed JSON (unexpected character)",
            ])
    }

    @Test func truncatedBodyKeepsTheCompleteItems() {
        let full = recordedMarkets
        let cut = String(full.prefix(full.count - 40))
        let result = CoinGeckoClient.parseMarkets(Data(cut.utf8), idToSymbol: testIdToSymbol)
        #expect(result.points.map(\.symbol) == ["BTC", "ETH"])
        #expect(result.rejected.count == 1)
        #expect(result.rejected.first?.contains("cut short") == true)
    }

    @Test func errorObjectsAndGarbageStoreNothing() {
        for body in [#"{"status":{"error_code":429,"error_message":"rate limited"}}"#, "<html>", ""] {
            let result = CoinGeckoClient.parseMarkets(Data(body.utf8), idToSymbol: testIdToSymbol)
            #expect(result.points.isEmpty)
            #expect(result.rejected.count == 1)
        }
    }

    @Test func missingLastUpdatedUsesNowOnlyWhenGiven() {
        let body = "[" + coinJSON(id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "1", updated: "null") + "]"
        #expect(CoinGeckoClient.parseMarkets(Data(body.utf8), idToSymbol: testIdToSymbol).points.isEmpty)
        let withNow = CoinGeckoClient.parseMarkets(Data(body.utf8), idToSymbol: testIdToSymbol, now: 42)
        #expect(withNow.points.first?.time == 42)
    }
}

let recordedSignalsPage =
    #"""
    {"success":true,"message":"Data fetched successfully","length":3,"data":[
    {"TOKEN_ID":3375,"TOKEN_NAME":"Bitcoin","TOKEN_SYMBOL":"BTC","DATE":"2024-05-01T00:00:00.000Z","TRADING_SIGNAL":1,"TOKEN_TREND":1,"TRADING_SIGNALS_RETURNS":2.35,"HOLDING_RETURNS":45.1,"tm_link":"bitcoin","TM_TRADER_GRADE":80,"TM_INVESTOR_GRADE":72.5,"TM_LINK":"https://app.tokenmetrics.com/bitcoin"},
    {"TOKEN_ID":3306,"TOKEN_NAME":"Ethereum","TOKEN_SYMBOL":"ETH","DATE":"2024-05-01T00:00:00.000Z","TRADING_SIGNAL":-1,"TOKEN_TREND":-1,"TRADING_SIGNALS_RETURNS":1.1,"HOLDING_RETURNS":20.4,"tm_link":"ethereum","TM_TRADER_GRADE":25,"TM_INVESTOR_GRADE":60.0,"TM_LINK":"https://app.tokenmetrics.com/ethereum"},
    {"TOKEN_ID":3988,"TOKEN_NAME":"Solana","TOKEN_SYMBOL":"SOL","DATE":"2024-05-01T00:00:00.000Z","TRADING_SIGNAL":0,"TOKEN_TREND":0,"TRADING_SIGNALS_RETURNS":0.4,"HOLDING_RETURNS":10.0,"tm_link":"solana","TM_TRADER_GRADE":null,"TM_INVESTOR_GRADE":50.0,"TM_LINK":"https://app.tokenmetrics.com/solana"}
    ]}
    """#

@Suite struct TokenMetricsParseTests {
    @Test func parsesTheRecordedEnvelope() throws {
        let result = try TokenMetricsClient.parseSignals(Data(recordedSignalsPage.utf8))
        #expect(result.count == 3)
        #expect(result.rejected.isEmpty)
        #expect(
            result.items == [
                TokenMetricsItem(tokenId: "3375", symbol: "BTC", day: 1_714_521_600, signal: 1, trend: 1, grade: 80),
                TokenMetricsItem(tokenId: "3306", symbol: "ETH", day: 1_714_521_600, signal: -1, trend: -1, grade: 25),
                TokenMetricsItem(tokenId: "3988", symbol: "SOL", day: 1_714_521_600, signal: 0, trend: nil, grade: nil),
            ])
    }

    @Test func rejectsBadItemsAndFailedEnvelopes() throws {
        let body = #"""
            {"success":true,"message":"ok","length":4,"data":[
            {"TOKEN_SYMBOL":"BTC","DATE":"2024-05-01","TRADING_SIGNAL":2,"TM_TRADER_GRADE":50},
            {"TOKEN_SYMBOL":"ETH","DATE":"soon","TRADING_SIGNAL":1},
            {"DATE":"2024-05-01","TRADING_SIGNAL":1},
            {"TOKEN_SYMBOL":"SOL","DATE":"2024-05-01","TRADING_SIGNAL":1,"TM_TRADER_GRADE":140}]}
            """#
        let result = try TokenMetricsClient.parseSignals(Data(body.utf8))
        #expect(result.items.isEmpty)
        #expect(result.count == 4)
        #expect(
            result.rejected == [
                "BTC: TRADING_SIGNAL is not 1, 0 or -1", "ETH: missing or bad DATE", "item 2: missing TOKEN_SYMBOL",
                "SOL: TM_TRADER_GRADE is not in 0-100",
            ])
        let failed = #"{"success":false,"message":"Invalid API key","length":0,"data":[]}"#
        #expect(throws: FeedError.self) { try TokenMetricsClient.parseSignals(Data(failed.utf8)) }
        #expect(throws: FeedError.self) { try TokenMetricsClient.parseSignals(Data("[]".utf8)) }
    }
}

@Suite struct BackoffTests {
    let policy = Backoff(base: 2, maximum: 60, jitter: 0.5)

    @Test func firstRetryHonoursRetryAfterExactly() {
        #expect(policy.delay(attempt: 1, retryAfter: 1, random: 0.9) == 1)
        #expect(policy.delay(attempt: 1, retryAfter: 30, random: 0) == 30)
    }

    @Test func laterRetriesGrowExponentiallyWithJitterAndCap() {
        // d = min(60, 2 × 2^(n−1)) × (0.5 + 0.5 r)
        #expect(policy.delay(attempt: 1, retryAfter: nil, random: 0.5) == 1.5)
        #expect(policy.delay(attempt: 2, retryAfter: nil, random: 0.5) == 3)
        #expect(policy.delay(attempt: 3, retryAfter: nil, random: 0) == 4)
        #expect(policy.delay(attempt: 4, retryAfter: nil, random: 1) == 16)
        #expect(policy.delay(attempt: 10, retryAfter: nil, random: 1) == 60)
        #expect(policy.delay(attempt: 3, retryAfter: 20, random: 0) == 20)
    }

    @Test func parsesRetryAfterSecondsAndDates() {
        #expect(Backoff.parseRetryAfter("1", now: 0) == 1)
        #expect(Backoff.parseRetryAfter(" 120 ", now: 0) == 120)
        // Wed, 01 May 2024 12:35:56 GMT is 1 714 566 956.
        #expect(Backoff.parseRetryAfter("Wed, 01 May 2024 12:35:56 GMT", now: 1_714_566_896) == 60)
        #expect(Backoff.parseRetryAfter("soon", now: 0) == nil)
    }

    @Test func parsesFeedKinds() throws {
        #expect(try FeedKind(parsing: "sim") == .sim)
        #expect(try FeedKind(parsing: "file:/tmp/p.csv") == .file(path: "/tmp/p.csv"))
        #expect(try FeedKind(parsing: "none").name == "none")
        #expect(throws: FeedError.self) { try FeedKind(parsing: "bloomberg") }
        #expect(throws: FeedError.self) { try FeedKind(parsing: "file:") }
    }
}
