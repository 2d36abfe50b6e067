import Foundation
import Testing

/// Bad input through the whole command (issue 15 items 13–16): exit 1 (2 for usage), one short line on
/// stderr, nothing stored.
@Suite struct BadInputCLITests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["assets", "add", "BTC"]).status == 0)
    }

    private func priceCount() throws -> Int {
        // `holdings` needs an index; count through export-free means: a fresh import of nothing fails, so
        // read the database with the sqlite3 CLI the README documents.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [cli.db, "SELECT COUNT(*) FROM prices"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    private func expectOneLineError(_ r: CLIResult, status: Int32 = 1, contains fragment: String) {
        #expect(r.status == status, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect((lines.first?.count ?? 0) <= 300, "\(r.stderr.prefix(400))")
        #expect(r.stderr.contains(fragment), "\(r.stderr)")
    }

    @Test func implausibleTimesAreRefusedAndNothingIsStored() throws {
        for (i, time) in ["9999-12-31", "0001-01-01", "0", "99999999999", "2024-05-01T00:00:00+99:00", "2024-02-31"]
            .enumerated()
        {
            let file = try cli.write("p\(i).csv", "time,symbol,price\n2024-05-01,BTC,60000\n\(time),BTC,1\n")
            expectOneLineError(try cli.run(["import", "prices", file]), contains: "p\(i).csv:3: time: '\(time)'")
        }
        #expect(try priceCount() == 0)
    }

    @Test func strictNumbersHugeFieldsAndHeaderTyposAreRefused() throws {
        let big = String(repeating: "9", count: 500_000)
        let huge = String(repeating: "9", count: 5_000_000)
        for (text, fragment) in [
            ("time,symbol,price\n2024-05-01,BTC,1\u{0}2\n", "price: '1\\02' is not a decimal number"),
            ("time,symbol,price\n2024-05-01,BTC,0x10\n", "price: '0x10' is not a decimal number"),
            ("time,symbol,price\n2024-05-01,BTC,1.\(big)\n", "… (500002 bytes)"),
            ("time,symbol,price\n2024-05-01,BTC,\(huge)\n", "p.csv:2: line longer than 1048576 bytes"),
            ("time,symbol,price,marketcap\n2024-05-01,BTC,1,2\n", "header: unknown column 'marketcap'"),
            ("time,symbol,price,price\n2024-05-01,BTC,1,2\n", "header: duplicate column 'price'"),
        ] {
            let file = try cli.write("p.csv", text)
            expectOneLineError(try cli.run(["import", "prices", file]), contains: fragment)
        }
        #expect(try priceCount() == 0)
    }

    @Test func aSignalTimeOf1e30IsAnErrorNotACrash() throws {
        let file = try cli.write("s.jsonl", #"{"time": 1e30, "symbol": "BTC", "signal": "bullish"}"# + "\n")
        expectOneLineError(try cli.run(["import", "signals", file]), contains: "s.jsonl:1: time: '1e30' is outside")
    }

    @Test func depositAmountsAreStrict() throws {
        // (A NUL cannot travel in argv; `1<NUL>2` is refused by the number parser's own tests.)
        for amount in ["0x10", "1e-320", "1.7e308", "inf", "1e13", "0"] {
            let r = try cli.run(["deposit", "nope", amount])
            expectOneLineError(r, status: 2, contains: "must be a positive decimal number")
        }
    }

    @Test func assetsFilesRefuseLongSymbolsAndInvalidUTF8() throws {
        let long = String(repeating: "A", count: 1000)
        let file = try cli.write(
            "a.csv", "symbol,name,sector,coingecko_id,stablecoin\n\(long),x,y,,false\n")
        expectOneLineError(try cli.run(["assets", "import", file]), contains: "a.csv:2: symbol:")
        var bytes = Array("symbol,name,sector,coingecko_id,stablecoin\nETH,Eth".utf8)
        bytes += [0xC3, 0x28] + Array(",L1,,false\n".utf8)
        let path = cli.directory + "/bad.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectOneLineError(try cli.run(["assets", "import", path]), contains: "bad.csv:2: invalid UTF-8")
        let list = try cli.run(["assets", "list", "--json"]).array()
        #expect(list.compactMap { $0["symbol"] as? String } == ["BTC"])
    }
}
