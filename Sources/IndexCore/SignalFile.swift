import Foundation

/// A signal from outside (a file or a provider), for one asset and UTC day.
public struct ImportedSignal: Sendable, Equatable {
    public var symbol: String
    /// Start of the UTC day (Unix seconds).
    public var day: Int64
    /// `bullish`, `neutral` or `bearish`.
    public var label: String
    /// Score in [−1, 1] (from the file, else +1/0/−1 from the label).
    public var score: Double
    /// Where it came from (`import`, `tokenmetrics`...).
    public var source: String

    public init(symbol: String, day: Int64, label: String, score: Double, source: String) {
        self.symbol = symbol
        self.day = day
        self.label = label
        self.score = score
        self.source = source
    }
}

/// Parses signal files (DESIGN §5): CSV `time,symbol,signal[,score]` or JSONL with those keys;
/// signal is what ``SignalLabel/init(parsing:)`` accepts; score a ``StrictNumber`` in [−1, 1]; time
/// through the one time parser within `bounds`. Same record layer as the price files (header and key
/// errors, UTF-8, 80-character quotes).
public enum SignalFile {
    /// The column names.
    public static let columns = ["time", "symbol", "signal", "score"]

    /// - Throws: `InputError` naming file, line and field of the first problem.
    public static func parse(
        _ data: Data, file: String, knownSymbols: Set<String>? = nil, source: String = "import",
        bounds: TimeBounds = .syntaxOnly
    ) throws -> [ImportedSignal] {
        var reader = RecordReader(file: file, columns: columns, required: ["time", "symbol", "signal"])
        let known = knownSymbols.map { SymbolTable($0.sorted()) }
        var out: [ImportedSignal] = []
        var seen = Set<PriceKey>()
        var symbols = SymbolTable()
        func take(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            let row = try reader.read(line, number: number) { f -> (Int, Int64, SignalLabel, Double?) in
                let t = try PriceLineParser.time(f, 0, bounds, file)
                let sym = f.bytes(1)
                guard f.kind(1) == .text, SymbolRule.isValid(sym) else {
                    throw InputError(file: file, line: f.line, field: "symbol", SymbolRule.problem(sym))
                }
                if let known, known.find(sym) == nil {
                    throw InputError(
                        file: file, line: f.line, field: "symbol", "unknown symbol \(InputError.quote(bytes: sym))")
                }
                guard f.kind(2) == .text || f.kind(2) == .number, let label = SignalLabel(parsing: f.string(2)) else {
                    throw InputError(
                        file: file, line: f.line, field: "signal",
                        "\(InputError.quote(bytes: f.bytes(2))) must be bullish, neutral, bearish, 1, 0 or -1")
                }
                var score: Double?
                switch f.kind(3) {
                case .absent, .null: score = nil
                case .text, .number, .bool:
                    let b = f.bytes(3)
                    guard f.kind(3) != .bool, case .success(let v) = StrictNumber.parse(b),
                        NumberLimits.score.contains(v)
                    else {
                        throw InputError(
                            file: file, line: f.line, field: "score",
                            "\(InputError.quote(bytes: b)) must be a decimal number in [-1, 1]")
                    }
                    score = v
                }
                return (symbols.insert(sym), t, label, score)
            }
            guard let (id, t, label, score) = row else { return }
            let day = UTCCalendar.dayNumber(t) * UTCCalendar.day
            let sym = symbols.names[id]
            guard seen.insert(PriceKey(symbol: id, time: day)).inserted else {
                throw InputError(
                    file: file, line: number, field: "time",
                    "duplicate signal for \(sym) on \(UTCCalendar.isoDate(day))")
            }
            out.append(
                ImportedSignal(
                    symbol: sym, day: day, label: label.rawValue, score: score ?? Double(label.direction),
                    source: source))
        }
        var lines = LineReader()
        do {
            try data.withUnsafeBytes { raw in
                try lines.feed(raw.bindMemory(to: UInt8.self), take)
                try lines.finish(take)
            }
        } catch let e as LineReader.LineTooLong {
            throw InputError(file: file, line: e.line, "line longer than \(lines.maxLineLength) bytes")
        }
        try reader.finish(what: "signals")
        return out
    }
}
