import IndexCore
import Testing

/// The one line reader, the one number parser and the one time parser (issue 9 and 15).
@Suite struct LineReaderTests {
    /// Feeds `bytes` cut at `cut` (two chunks) and returns the lines with their numbers.
    private func lines(_ bytes: [UInt8], cut: Int) throws -> [String] {
        var reader = LineReader()
        var out: [String] = []
        let take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void = { line, n in
            out.append("\(n):" + String(decoding: line, as: UTF8.self))
        }
        try bytes.withUnsafeBufferPointer { all in
            try reader.feed(UnsafeBufferPointer(rebasing: all[0..<cut]), take)
            try reader.feed(UnsafeBufferPointer(rebasing: all[cut...]), take)
            try reader.finish(take)
        }
        return out
    }

    @Test(arguments: [
        "a\nb\n", "a\r\nb\r\n", "a\rb\r", "\u{FEFF}a\nb", "a\r\nb", "\u{FEFF}a\rb\r\n",
    ])
    func everyTerminatorAndBOMGiveTheSameLinesWhereverTheChunksAreCut(text: String) throws {
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            #expect(try lines(bytes, cut: cut) == ["1:a", "2:b"], "cut at \(cut)")
        }
    }

    @Test func blankLinesAreCountedAndAFinalTerminatorStartsNoLine() throws {
        let bytes = Array("a\r\n\r\nb\n\n".utf8)
        for cut in 0...bytes.count {
            #expect(try lines(bytes, cut: cut) == ["1:a", "2:", "3:b", "4:"])
        }
    }

    @Test func stringSplitMatchesTheStreamingReader() {
        #expect(TextLines.split("\u{FEFF}x = 1\r\ny = 2\rz\n") == ["x = 1", "y = 2", "z"])
        #expect(TextLines.split("") == [])
        #expect(TextLines.split("\n") == [""])
    }

    @Test func overlongLinesAreRefusedNotBuffered() {
        var reader = LineReader(maxLineLength: 8)
        let bytes = Array(repeating: UInt8(ascii: "x"), count: 20)
        #expect(throws: LineReader.LineTooLong.self) {
            try bytes.withUnsafeBufferPointer { try reader.feed($0) { _, _ in } }
        }
    }

    @Test func invalidUTF8IsRefusedWithItsLine() throws {
        #expect(throws: InputError(file: "t", line: 2, "invalid UTF-8 (byte 0xFF)")) {
            try TextLines.decode(Array("ok\r\nb".utf8) + [0xFF], file: "t")
        }
        #expect(throws: InputError.self) { try TextLines.decode([0xC0, 0x80], file: "t") }  // overlong NUL
        #expect(throws: InputError.self) { try TextLines.decode([0xED, 0xA0, 0x80], file: "t") }  // surrogate
        #expect(try TextLines.decode(Array("é€😀".utf8), file: "t") == "é€😀")
    }

    @Test func quotesAreCutAt80CharactersAndEscapeControls() {
        let long = String(repeating: "9", count: 50_000_000 / 1000)
        let q = InputError.quote(long)
        #expect(q.count < 120)
        #expect(q.hasSuffix("… (50000 characters)"))
        #expect(InputError.quote("1\u{0}2") == "'1\\02'")
    }
}

@Suite struct StrictNumberTests {
    @Test(arguments: [
        ("1", 1.0), ("-2.5", -2.5), ("+3", 3), ("0.1", 0.1), (".5", 0.5), ("5.", 5), ("1e3", 1000),
        ("1.5E-3", 0.0015), ("0", 0), ("63000.12345678", 63000.12345678),
        ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("12345678901234567890123", 1.2345678901234568e22), ("0.000000000000000000000000001", 1e-27),
    ])
    func acceptsDecimalTextCorrectlyRounded(text: String, expected: Double) throws {
        #expect(try StrictNumber.parse(text).get() == expected)
    }

    @Test(arguments: [
        ("", StrictNumber.Problem.empty), ("0x10", .notDecimal), ("1\u{0}2", .notDecimal), ("inf", .notDecimal),
        ("nan", .notDecimal), ("1_000", .notDecimal), ("1e", .notDecimal), ("-", .notDecimal), (".", .notDecimal),
        (" 1", .notDecimal), ("1 ", .notDecimal), ("1,5", .notDecimal), ("1e400", .tooLarge), ("1e-320", .tooSmall),
        ("4.9e-324", .tooSmall),
    ])
    func refusesEverythingElse(text: String, problem: StrictNumber.Problem) {
        #expect(throws: problem) { try StrictNumber.parse(text).get() }
    }

    @Test func rangesSayWhichBoundIsBroken() {
        #expect(throws: InputError(file: "f", line: 3, field: "price", "'0' must be > 0")) {
            try StrictNumber.value(
                "0", in: NumberLimits.price, exclusiveLower: true, file: "f", line: 3, field: "price")
        }
        // 1.7e308 is finite, but a sum of two overflows: amounts stop at 1e12.
        #expect(throws: InputError.self) {
            try StrictNumber.value("1.7e308", in: NumberLimits.cashAmount, file: "f", line: nil, field: "amount")
        }
    }
}

@Suite struct TimeParserTests {
    @Test func invalidCalendarDatesAndOffsetsAreRefusedWithTheirReason() {
        func problem(_ s: String) -> UTCCalendar.TimeProblem? {
            var t = s
            return t.withUTF8 {
                if case .failure(let p) = UTCCalendar.parseTime($0) { return p }
                return nil
            }
        }
        #expect(problem("2024-02-31") == .invalidDate)
        #expect(problem("2024-02-30T00:00:00Z") == .invalidDate)
        #expect(problem("2024-05-01T00:00:00+99:00") == .badOffset)
        #expect(problem("2024-05-01T00:00:00+14:01") == .badOffset)
        #expect(problem("2024-05-01T00:00:00+05:60") == .badOffset)
        #expect(problem("yesterday") == .malformed)
        // 2024-05-01T00:00:00+05 is 2024-04-30T19:00:00Z = 1 714 503 600 (python3 datetime).
        #expect(UTCCalendar.parse("2024-05-01T00:00:00+05") == 1_714_503_600)
        #expect(UTCCalendar.parse("2024-05-01T00:00:00-14:00") == 1_714_572_000)
    }

    @Test func boundsRefuseImplausibleTimes() throws {
        let now: Int64 = 1_764_547_200  // 2025-12-01
        let bounds = TimeBounds.standard(now: now)
        for text in ["9999-12-31", "0001-01-01", "0", "99999999999", "2009-01-02T23:59:59Z"] {
            #expect(throws: InputError.self, "\(text)") { try bounds.time(text, file: "f", line: 1) }
        }
        #expect(try bounds.time("2009-01-03", file: "f", line: 1) == TimeBounds.genesis)
        #expect(try bounds.time("\(now + 86_400)", file: "f", line: 1) == now + 86_400)
        #expect(throws: InputError.self) { try bounds.time(seconds: 1e30, quoted: "1e30", file: "f", line: 1) }
        let wide = try TimeBounds(
            now: now, environment: ["INDEXTOP_TIME_MIN": "2000-01-01", "INDEXTOP_TIME_MAX_AHEAD": "0"])
        #expect(wide.earliest == 946_684_800)
        #expect(wide.latest == now)
        #expect(throws: InputError.self) { try TimeBounds(now: now, environment: ["INDEXTOP_TIME_MAX_AHEAD": "x"]) }
    }
}
