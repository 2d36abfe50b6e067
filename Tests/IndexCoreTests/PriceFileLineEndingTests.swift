import Foundation
import IndexCore
import Testing

/// Price files saved by spreadsheets (Windows line endings, a byte-order mark) parse like Unix ones
/// (`"\r\n"` is a single Swift `Character`, so splitting on `"\n"` alone used to leave the whole file as
/// its header line).
@Suite struct PriceFileLineEndingTests {
    @Test func crlfCSVParsesLikeLF() throws {
        let lf = "time,symbol,price,market_cap,volume\n2024-05-01,BTC,63000.5,1200,30\n1714608000,ETH,3000,,\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let expected = [
            PricePoint(symbol: "BTC", time: 1_714_521_600, price: 63000.5, marketCap: 1200, volume: 30),
            PricePoint(symbol: "ETH", time: 1_714_608_000, price: 3000),
        ]
        #expect(try PriceFile.parse(Data(lf.utf8), file: "p.csv") == expected)
        #expect(try PriceFile.parse(Data(crlf.utf8), file: "p.csv") == expected)
    }

    @Test func aByteOrderMarkIsIgnored() throws {
        let got = try PriceFile.parse(Data("\u{FEFF}time,symbol,price\n2024-05-01,BTC,2\n".utf8), file: "p.csv")
        #expect(got == [PricePoint(symbol: "BTC", time: 1_714_521_600, price: 2)])
    }

    @Test func crlfErrorsNameTheRightLine() throws {
        let text = "time,symbol,price\r\n2024-05-01,BTC,1\r\n2024-05-02,BTC,-3\r\n"
        let error = try #require(throws: InputError.self) {
            try PriceFile.parse(Data(text.utf8), file: "p.csv")
        }
        #expect(error.line == 3)
        #expect(error.field == "price")
    }
}
