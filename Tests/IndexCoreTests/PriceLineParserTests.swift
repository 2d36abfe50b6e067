import IndexCore
import Testing

/// The one price line parser in its follower form (no header needed, CSV and JSONL mixed) and the
/// errors both forms give.
@Suite struct PriceLineParserTests {
    let bounds = TimeBounds.standard(now: 1_764_547_200)  // 2025-12-01

    private func parse(_ parser: inout PriceLineParser, _ line: String, _ number: Int = 1) throws -> PricePoint? {
        var s = line
        return try s.withUTF8 { bytes in try parser.parse(bytes, number: number).map { parser.point($0) } }
    }

    private func follower() -> PriceLineParser {
        PriceLineParser(file: "f", bounds: bounds, known: nil, requireHeader: false)
    }

    @Test func parsesCSVWithAndWithoutHeaderAndJSONL() throws {
        var parser = follower()
        #expect(
            try parse(&parser, "1714566896,btc,63000.5,1240000000000,28000000000")
                == PricePoint(symbol: "BTC", time: 1_714_566_896, price: 63000.5, marketCap: 1.24e12, volume: 2.8e10))
        #expect(try parse(&parser, "symbol,price,time") == nil)
        #expect(
            try parse(&parser, "ETH,3000,2024-05-01T00:00:00Z")
                == PricePoint(symbol: "ETH", time: 1_714_521_600, price: 3000))
        #expect(
            try parse(&parser, #"{"time":"2024-05-01T00:00:00Z","symbol":"SOL","price":135.5,"volume":7}"#)
                == PricePoint(symbol: "SOL", time: 1_714_521_600, price: 135.5, volume: 7))
        #expect(
            try parse(&parser, #"{"time":1714521600.9,"symbol":"S\u004fL","price":"1.5","market_cap":null}"#)
                == PricePoint(symbol: "SOL", time: 1_714_521_600, price: 1.5))
        #expect(try parse(&parser, "") == nil)
        #expect(try parse(&parser, "# comment") == nil)
    }

    @Test(arguments: [
        ("1714566896,BTC,0", "f:1: price: '0' must be > 0"),
        ("1714566896,BTC,abc", "f:1: price: 'abc' is not a decimal number"),
        ("1714566896,BTC,0x10", "f:1: price: '0x10' is not a decimal number"),
        ("1714566896,BTC,1\u{0}2", "f:1: price: '1\\02' is not a decimal number"),
        ("1714566896,BTC,1,-5", "f:1: market_cap: '-5' must be ≥ 0"),
        ("1714566896,BTC,1,2,3,4", "f:1: has 6 fields, the header has 5"),
        ("1714566896,BTC", "f:1: price: missing"),
        ("later,BTC,5,,", "f:1: time: 'later' is not ISO-8601 or Unix seconds"),
        ("2024-02-31,BTC,5,,", "f:1: time: '2024-02-31' is not a valid calendar date and time"),
        (
            "9999-12-31,BTC,5,,",
            "f:1: time: '9999-12-31' is outside the plausible range 2009-01-03 to 2025-12-02T00:00:00Z (set INDEXTOP_TIME_MIN / INDEXTOP_TIME_MAX_AHEAD to change it)"
        ),
        (
            #"{"time":1e30,"symbol":"BTC","price":1}"#,
            "f:1: time: '1e30' is outside the plausible range 2009-01-03 to 2025-12-02T00:00:00Z (set INDEXTOP_TIME_MIN / INDEXTOP_TIME_MAX_AHEAD to change it)"
        ),
        (#"{"time":1714566896,"symbol":"BTC","price":NaN}"#, "f:1: price: malformed JSON value"),
        (#"{"time":1714566896,"symbol":"BTC""#, "f:1: malformed JSON: unterminated object"),
        (
            #"{"time":1714566896,"symbol":"BTC","price":1,"marketcap":2}"#,
            "f:1: unknown key 'marketcap' (keys: time, symbol, price, market_cap, volume)"
        ),
        (#"{"time":1714566896,"symbol":"BTC","price":1,"price":2}"#, "f:1: duplicate key 'price'"),
        (#"{"time":1714566896,"symbol":"BTC","price":{"usd":1}}"#, "f:1: price: nested JSON values are not accepted"),
        (#"{"time":1714566896,"symbol":"BTC","price":true}"#, "f:1: price: must be a number, not a boolean"),
    ])
    func refusesBadLinesNamingTheField(line: String, message: String) {
        var parser = follower()
        #expect(throws: InputError.self) { try parse(&parser, line) }
        do {
            _ = try parse(&parser, line)
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func aNegativeMarketCapIsAnErrorInBothFormsNotDropped() throws {
        // Before: the follower stored the point with a nil cap while `import prices` refused it.
        var parser = follower()
        #expect(throws: InputError.self) { try parse(&parser, "1714566896,BTC,1,-1,") }
        var importer = PriceLineParser(file: "f", bounds: bounds, known: SymbolTable(["BTC"]))
        #expect(try parse(&importer, "time,symbol,price,market_cap") == nil)
        #expect(throws: InputError.self) { try parse(&importer, "1714566896,BTC,1,-1") }
    }

    @Test func headerTyposUnknownAndDuplicateColumnsAreNamed() {
        for (header, message) in [
            (
                "time,symbol,price,marketcap",
                "f:1: header: unknown column 'marketcap' (columns: time, symbol, price, market_cap, volume)"
            ),
            ("time,symbol,price,price", "f:1: header: duplicate column 'price'"),
            ("time,symbol,volume", "f:1: header: missing column 'price' (needs time,symbol,price)"),
        ] {
            var importer = PriceLineParser(file: "f", bounds: bounds, known: nil)
            do {
                _ = try parse(&importer, header)
                Issue.record("accepted \(header)")
            } catch {
                #expect("\(error)" == message)
            }
        }
    }

    @Test func aHugeFieldIsQuotedAt80Characters() {
        var parser = follower()
        let field = String(repeating: "7", count: 1_000_000)
        do {
            _ = try parse(&parser, "1714566896,BTC,1,\(field),")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".count < 200)
        }
    }
}
