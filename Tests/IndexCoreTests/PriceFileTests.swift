import Foundation
import IndexCore
import Testing

private let known: Set<String> = ["BTC", "ETH"]

private func parse(_ text: String, file: String = "prices.csv") throws -> [PricePoint] {
    try PriceFile.parse(Data(text.utf8), file: file, knownSymbols: known)
}

// 2025-03-10T00:00:00Z and the next day, as Unix seconds.
private let mar10: Int64 = 1_741_564_800
private let mar11: Int64 = 1_741_651_200

@Suite struct PriceFileTests {
    @Test func aGoodCSVParses() throws {
        let points = try parse(
            """
            time,symbol,price,market_cap,volume
            2025-03-10T00:00:00Z,btc,80000.5,1.6e12,3e10
            1741651200,ETH,2000,,
            2025-03-11,BTC,81000,,0

            """)
        #expect(
            points == [
                PricePoint(symbol: "BTC", time: mar10, price: 80000.5, marketCap: 1.6e12, volume: 3e10),
                PricePoint(symbol: "ETH", time: mar11, price: 2000, marketCap: nil, volume: nil),
                PricePoint(symbol: "BTC", time: mar11, price: 81000, marketCap: nil, volume: 0),
            ])
    }

    @Test func columnsMayComeInAnyOrderWithCRLFLineEnds() throws {
        let points = try parse("symbol, Price ,time\r\nETH,1999.5,2025-03-10\r\n")
        #expect(points == [PricePoint(symbol: "ETH", time: mar10, price: 1999.5)])
    }

    @Test func aGoodJSONLParses() throws {
        let points = try parse(
            """
            {"time":"2025-03-10T00:00:00Z","symbol":"BTC","price":80000.5,"market_cap":1.6e12,"volume":3e10}

            {"time":1741651200,"symbol":"eth","price":"2000"}
            """, file: "prices.jsonl")
        #expect(
            points == [
                PricePoint(symbol: "BTC", time: mar10, price: 80000.5, marketCap: 1.6e12, volume: 3e10),
                PricePoint(symbol: "ETH", time: mar11, price: 2000),
            ])
    }

    @Test func withoutAListOfKnownSymbolsAnySymbolIsTaken() throws {
        let points = try PriceFile.parse(Data("time,symbol,price\n2025-03-10,DOGE,0.1\n".utf8), file: "p.csv")
        #expect(points.map(\.symbol) == ["DOGE"])
    }

    @Test(arguments: [
        ("time,symbol,price\n2025-03-10,BTC,1\n2025-03-10,ETH,abc\n", 3, "price"),
        ("time,symbol,price\n2025-03-10,BTC,nan\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,NaN\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,inf\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,-infinity\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,1e400\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,-5\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,0\n", 2, "price"),
        ("time,symbol,price\n2025-03-10,BTC,\n", 2, "price"),
        ("time,symbol,price,market_cap,volume\n2025-03-10,BTC,1,NaN,1\n", 2, "market_cap"),
        ("time,symbol,price,market_cap,volume\n2025-03-10,BTC,1,1,-3\n", 2, "volume"),
        ("time,symbol,price\n2025-03-10,BTC,1\n2025-03-10,DOGE,1\n", 3, "symbol"),
        ("time,symbol,price\n2025-03-10,,1\n", 2, "symbol"),
        ("time,symbol,price\n2025-02-30,BTC,1\n", 2, "time"),
        ("time,symbol,price\nyesterday,BTC,1\n", 2, "time"),
        ("time,symbol,price\n2025-03-10,BTC,1\n2025-03-11,BTC,2\n2025-03-10T00:00:00Z,btc,3\n", 4, "time"),
        ("time,symbol,prise\n2025-03-10,BTC,1\n", 1, "header"),
    ])
    func aBadCSVValueNamesLineAndField(text: String, line: Int, field: String) {
        let error = #expect(throws: InputError.self) { _ = try parse(text) }
        #expect(error?.file == "prices.csv")
        #expect(error?.line == line, "\(text)")
        #expect(error?.field == field, "\(text)")
        #expect(error?.description.hasPrefix("prices.csv:\(line): \(field): ") == true)
    }

    @Test(arguments: [
        ("time,symbol,price\n2025-03-10,BTC\n", 2),
        ("time,symbol,price\n2025-03-10,BTC,1\n2025-03-11,BTC,1,5\n", 3),
    ])
    func aWrongFieldCountNamesTheLine(text: String, line: Int) {
        let error = #expect(throws: InputError.self) { _ = try parse(text) }
        #expect(error?.line == line)
        #expect(error?.message.contains("fields") == true)
    }

    @Test(arguments: ["", "\n\n", "time,symbol,price\n", "time,symbol,price\n\n  \n"])
    func anEmptyFileIsRefused(text: String) {
        let error = #expect(throws: InputError.self) { _ = try parse(text) }
        #expect(error?.message.contains("empty") == true)
    }

    @Test(
        arguments: [
            (
                #"{"time":"2025-03-10","symbol":"BTC","price":1}"# + "\n" + #"{"time":"2025-03-10","symbol":"BTC""#, 2,
                nil
            ),
            (#"{"time":"2025-03-10","symbol":"BTC","price":NaN}"#, 1, "price"),
            (#"{"time":"2025-03-10","symbol":"BTC","price":"NaN"}"#, 1, "price"),
            (#"{"time":"2025-03-10","symbol":"BTC","price":true}"#, 1, "price"),
            (#"{"time":"2025-03-10","symbol":"BTC","price":-1}"#, 1, "price"),
            (#"{"time":"2025-03-10","symbol":"BTC"}"#, 1, "price"),
            (#"{"time":"2025-03-10","price":1}"#, 1, "symbol"),
            (#"{"time":"2025-03-10","symbol":"XRP","price":1}"#, 1, "symbol"),
            (#"{"time":"2025-13-10","symbol":"BTC","price":1}"#, 1, "time"),
            (#"{"time":-5,"symbol":"BTC","price":1}"#, 1, "time"),
            (#"{"symbol":"BTC","price":1}"#, 1, "time"),
            (#"{"time":"2025-03-10","symbol":"BTC","price":1,"volume":"lots"}"#, 1, "volume"),
            (
                #"{"time":"2025-03-10","symbol":"BTC","price":1}"# + "\n"
                    + #"{"time":1741564800,"symbol":"BTC","price":2}"#,
                2, "time"
            ),
        ] as [(String, Int, String?)])
    func aBadJSONLLineNamesLineAndField(text: String, line: Int, field: String?) {
        let error = #expect(throws: InputError.self) { _ = try parse(text, file: "p.jsonl") }
        #expect(error?.file == "p.jsonl")
        #expect(error?.line == line, "\(text)")
        #expect(error?.field == field, "\(text)")
    }
}
