import Foundation
import IndexCore
import Testing

/// `SignalFile.parse` (DESIGN §5 outside signals): CSV and JSONL, labels, scores, UTC days, and one
/// `InputError` naming line and field for each kind of bad input.
@Suite struct SignalFileTests {
    /// 2024-05-01T00:00:00Z and 2024-05-02T00:00:00Z (worked out with python3 `calendar.timegm`).
    static let may1: Int64 = 1_714_521_600
    static let may2: Int64 = 1_714_608_000
    static let known: Set<String> = ["BTC", "ETH", "SOL", "AAVE"]

    private func parse(_ text: String, file: String = "s.csv", known: Set<String>? = SignalFileTests.known)
        throws -> [ImportedSignal]
    {
        try SignalFile.parse(Data(text.utf8), file: file, knownSymbols: known)
    }

    @Test func csvWithEveryLabelFormScoresAndDayRounding() throws {
        let text = """
            time,symbol,signal,score
            2024-05-01T13:45:00Z,BTC,bullish,0.8
            2024-05-01,ETH,bearish,
            1714694399,SOL,0,
            2024-05-03T01:30:00+02:00,btc,-1,-0.25
            2024-05-02,ETH,1,
            2024-05-02,AAVE,neutral,0.05

            """
        let got = try parse(text)
        #expect(
            got == [
                ImportedSignal(symbol: "BTC", day: Self.may1, label: "bullish", score: 0.8, source: "import"),
                ImportedSignal(symbol: "ETH", day: Self.may1, label: "bearish", score: -1, source: "import"),
                ImportedSignal(symbol: "SOL", day: Self.may2, label: "neutral", score: 0, source: "import"),
                // 01:30 at +02:00 is 23:30 UTC the day before.
                ImportedSignal(symbol: "BTC", day: Self.may2, label: "bearish", score: -0.25, source: "import"),
                ImportedSignal(symbol: "ETH", day: Self.may2, label: "bullish", score: 1, source: "import"),
                ImportedSignal(symbol: "AAVE", day: Self.may2, label: "neutral", score: 0.05, source: "import"),
            ])
    }

    @Test func csvColumnsInAnyOrderWithoutScoreAndCRLF() throws {
        let text = "symbol,signal,time\r\nBTC,Bullish,2024-05-01T23:59:59Z\r\nETH,-1,2024-05-02\r\n"
        let got = try SignalFile.parse(Data(text.utf8), file: "x.csv", source: "desk")
        #expect(
            got == [
                ImportedSignal(symbol: "BTC", day: Self.may1, label: "bullish", score: 1, source: "desk"),
                ImportedSignal(symbol: "ETH", day: Self.may2, label: "bearish", score: -1, source: "desk"),
            ])
    }

    @Test func aByteOrderMarkIsIgnored() throws {
        let got = try parse("\u{FEFF}time,symbol,signal\r\n2024-05-01,BTC,bullish\r\n")
        #expect(got == [ImportedSignal(symbol: "BTC", day: Self.may1, label: "bullish", score: 1, source: "import")])
        let jsonl = try parse("\u{FEFF}{\"time\":\"2024-05-01\",\"symbol\":\"ETH\",\"signal\":0}\n", file: "s.jsonl")
        #expect(jsonl.map(\.label) == ["neutral"])
    }

    @Test func jsonlWithNumbersStringsAndOptionalScore() throws {
        let text = """
            {"time":"2024-05-01T12:00:00Z","symbol":"BTC","signal":"bullish","score":0.6}
            {"time":1714608000,"symbol":"eth","signal":-1}

            {"time":"2024-05-02","symbol":"SOL","signal":0,"score":null}
            {"time":"2024-05-02T08:00:00Z","symbol":"BTC","signal":"1","score":-0.5}
            """
        let got = try parse(text, file: "s.jsonl")
        #expect(
            got == [
                ImportedSignal(symbol: "BTC", day: Self.may1, label: "bullish", score: 0.6, source: "import"),
                ImportedSignal(symbol: "ETH", day: Self.may2, label: "bearish", score: -1, source: "import"),
                ImportedSignal(symbol: "SOL", day: Self.may2, label: "neutral", score: 0, source: "import"),
                ImportedSignal(symbol: "BTC", day: Self.may2, label: "bullish", score: -0.5, source: "import"),
            ])
    }

    @Test func withoutKnownSymbolsAnySymbolIsAccepted() throws {
        let got = try parse("time,symbol,signal\n2024-05-01,NEWCOIN,bearish\n", known: nil)
        #expect(got.map(\.symbol) == ["NEWCOIN"])
    }

    /// A bad file, the line and field its error must name (nil = none), and a fragment of the message.
    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var text: String
        var line: Int?
        var field: String?
        var fragment: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(
            name: "unknown symbol", file: "a.csv",
            text: "time,symbol,signal\n2024-05-01,BTC,bullish\n2024-05-01,DOGE,bullish\n", line: 3,
            field: "symbol", fragment: "unknown symbol 'DOGE'"),
        BadCase(
            name: "bad label", file: "a.csv", text: "time,symbol,signal\n2024-05-01,BTC,buy\n", line: 2,
            field: "signal", fragment: "'buy'"),
        BadCase(
            name: "label 2", file: "a.csv", text: "time,symbol,signal\n2024-05-01,BTC,bullish\n2024-05-02,BTC,2\n",
            line: 3, field: "signal", fragment: "'2'"),
        BadCase(
            name: "bad month", file: "a.csv", text: "time,symbol,signal\n2024-13-01,BTC,bullish\n", line: 2,
            field: "time", fragment: "2024-13-01"),
        BadCase(
            name: "words for a date", file: "a.csv", text: "time,symbol,signal\n2024-05-01,ETH,0\nyesterday,BTC,1\n",
            line: 3, field: "time", fragment: "yesterday"),
        BadCase(
            name: "duplicate symbol and day", file: "a.csv",
            text: "time,symbol,signal\n2024-05-01T01:00:00Z,BTC,1\n2024-05-01T23:00:00Z,btc,-1\n", line: 3,
            field: "time", fragment: "duplicate signal for BTC on 2024-05-01"),
        BadCase(
            name: "score above 1", file: "a.csv", text: "time,symbol,signal,score\n2024-05-01,BTC,bullish,1.5\n",
            line: 2, field: "score", fragment: "[-1, 1]"),
        BadCase(
            name: "score below -1", file: "a.csv",
            text: "time,symbol,signal,score\n2024-05-01,BTC,1,0.5\n2024-05-01,ETH,-1,-1.01\n", line: 3,
            field: "score", fragment: "-1.01"),
        BadCase(
            name: "score not a number", file: "a.csv", text: "time,symbol,signal,score\n2024-05-01,BTC,1,high\n",
            line: 2, field: "score", fragment: "'high'"),
        BadCase(
            name: "too few fields", file: "a.csv", text: "time,symbol,signal\n2024-05-01,BTC,1\n2024-05-02,ETH\n",
            line: 3, field: nil, fragment: "has 2 fields, the header has 3"),
        BadCase(
            name: "too many fields", file: "a.csv", text: "time,symbol,signal\n2024-05-01,BTC,1,0.5\n", line: 2,
            field: nil, fragment: "has 4 fields"),
        BadCase(
            name: "header without signal", file: "a.csv", text: "time,symbol,label\n2024-05-01,BTC,1\n", line: 1,
            field: "header", fragment: "unknown column 'label'"),
        BadCase(
            name: "header missing signal", file: "a.csv", text: "time,symbol\n2024-05-01,BTC\n", line: 1,
            field: "header", fragment: "needs time,symbol,signal"),
        BadCase(name: "empty file", file: "a.csv", text: "", line: nil, field: nil, fragment: "empty file"),
        BadCase(name: "blank lines only", file: "a.csv", text: "\n  \n", line: nil, field: nil, fragment: "empty file"),
        BadCase(
            name: "header only", file: "a.csv", text: "time,symbol,signal\n", line: nil, field: nil,
            fragment: "no signals"),
        BadCase(
            name: "jsonl unknown symbol", file: "b.jsonl",
            text:
                "{\"time\":\"2024-05-01\",\"symbol\":\"BTC\",\"signal\":1}\n{\"time\":\"2024-05-01\",\"symbol\":\"XYZ\",\"signal\":1}\n",
            line: 2, field: "symbol", fragment: "XYZ"),
        BadCase(
            name: "jsonl not an object", file: "b.jsonl",
            text: "{\"time\":\"2024-05-01\",\"symbol\":\"BTC\",\"signal\":1}\n[1,2]\n", line: 2, field: nil,
            fragment: "not a JSON object"),
        BadCase(
            name: "jsonl bad date", file: "b.jsonl", text: "{\"time\":\"May 1st\",\"symbol\":\"BTC\",\"signal\":1}\n",
            line: 1, field: "time", fragment: "May 1st"),
        BadCase(
            name: "jsonl boolean signal", file: "b.jsonl",
            text: "{\"time\":\"2024-05-01\",\"symbol\":\"BTC\",\"signal\":true}\n", line: 1, field: "signal",
            fragment: "true"),
        BadCase(
            name: "jsonl boolean score", file: "b.jsonl",
            text: "{\"time\":\"2024-05-01\",\"symbol\":\"BTC\",\"signal\":1,\"score\":false}\n", line: 1,
            field: "score", fragment: "false"),
        BadCase(
            name: "jsonl duplicate", file: "b.jsonl",
            text:
                "{\"time\":\"2024-05-02\",\"symbol\":\"ETH\",\"signal\":1}\n{\"time\":1714608000,\"symbol\":\"ETH\",\"signal\":0}\n",
            line: 2, field: "time", fragment: "duplicate signal for ETH on 2024-05-02"),
        BadCase(
            name: "jsonl score out of range", file: "b.jsonl",
            text: "{\"time\":\"2024-05-02\",\"symbol\":\"ETH\",\"signal\":1,\"score\":2}\n", line: 1, field: "score",
            fragment: "[-1, 1]"),
    ]

    @Test(arguments: badCases) func badFileIsOneInputErrorNamingLineAndField(_ c: BadCase) throws {
        let error = try #require(throws: InputError.self) { try parse(c.text, file: c.file) }
        #expect(error.file == c.file)
        #expect(error.line == c.line)
        #expect(error.field == c.field)
        #expect(error.message.contains(c.fragment), "\(error.message)")
        var prefix = c.file
        if let line = c.line { prefix += ":\(line)" }
        prefix += ": "
        if let field = c.field { prefix += "\(field): " }
        #expect(error.description.hasPrefix(prefix), "\(error.description)")
    }
}
