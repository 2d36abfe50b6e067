import Foundation

/// One price line, parsed in place: the symbol as an id into the parser's ``SymbolTable``.
public struct PriceRow: Sendable, Equatable {
    /// Index into ``PriceLineParser/symbols``.
    public var symbol: Int
    /// Unix seconds, within the parser's ``TimeBounds``.
    public var time: Int64
    /// USD, > 0.
    public var price: Double
    /// USD, ≥ 0, when given.
    public var marketCap: Double?
    /// USD, ≥ 0, when given.
    public var volume: Double?
}

/// The one price line parser (DESIGN §8), used by `import prices` and the `file:` feed alike.
///
/// CSV with header `time,symbol,price[,market_cap,volume]` (any order) or JSONL objects with those keys;
/// time is ISO-8601 or Unix seconds (a JSON string or number) within ``TimeBounds``; numbers follow
/// ``StrictNumber`` and ``NumberLimits`` (a JSON number or a string holding one); `null` or an empty
/// field is "not given" for market cap and volume. Byte level: no `String` or Foundation per line.
public struct PriceLineParser {
    /// The column names, in the default order of a headerless followed file.
    public static let columns = ["time", "symbol", "price", "market_cap", "volume"]
    /// The shared record layer (format, header, fields).
    public private(set) var reader: RecordReader
    /// Symbols seen or known; a row's `symbol` indexes ``SymbolTable/names``.
    public private(set) var symbols: SymbolTable
    /// The accepted times (a follower moves them with its clock).
    public var bounds: TimeBounds
    private let closed: Bool

    /// A parser for `file`.
    /// - Parameters:
    ///   - known: the accepted symbols; nil accepts any valid symbol (adding it to ``symbols``).
    ///   - requireHeader: CSV must start with a header (import); false lets a followed file go without
    ///     one (columns in ``columns`` order) and re-read a header line later.
    public init(file: String, bounds: TimeBounds, known: SymbolTable?, requireHeader: Bool = true) {
        reader = RecordReader(
            file: file, columns: Self.columns, required: ["time", "symbol", "price"], requireHeader: requireHeader)
        symbols = known ?? SymbolTable()
        closed = known != nil
        self.bounds = bounds
    }

    /// Parses one line (without its terminator); nil for a header, blank or comment line.
    /// - Throws: `InputError` `FILE:LINE: field: problem` quoting at most 80 characters of the value.
    public mutating func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws -> PriceRow? {
        let bounds = bounds
        let file = reader.file
        var table = symbols
        let closed = closed
        defer { symbols = table }
        return try reader.read(line, number: number) { f -> PriceRow in
            let time = try Self.time(f, 0, bounds, file)
            let sym = f.bytes(1)
            guard f.kind(1) == .text else {
                throw InputError(file: file, line: f.line, field: "symbol", "must be text")
            }
            guard SymbolRule.isValid(sym) else {
                throw InputError(file: file, line: f.line, field: "symbol", SymbolRule.problem(sym))
            }
            let id: Int
            if let found = table.find(sym) {
                id = found
            } else if closed {
                throw InputError(
                    file: file, line: f.line, field: "symbol",
                    "unknown symbol \(InputError.quote(bytes: sym)) (add it with `indextop assets add`)")
            } else {
                id = table.insert(sym)
            }
            let price = try Self.number(f, 2, NumberLimits.price, exclusiveLower: true, file)!
            let cap = try Self.number(f, 3, NumberLimits.marketValue, exclusiveLower: false, file)
            let volume = try Self.number(f, 4, NumberLimits.marketValue, exclusiveLower: false, file)
            return PriceRow(symbol: id, time: time, price: price, marketCap: cap, volume: volume)
        }
    }

    /// At the end of input: an empty file or a header without rows is an error.
    public func finish() throws { try reader.finish(what: "prices") }

    /// The point of `row` (allocates the symbol `String`'s reference only).
    public func point(_ row: PriceRow) -> PricePoint {
        PricePoint(
            symbol: symbols.names[row.symbol], time: row.time, price: row.price, marketCap: row.marketCap,
            volume: row.volume)
    }

    /// A time field: text through the one time parser, or a JSON number of Unix seconds.
    static func time(_ f: RecordReader.Fields, _ i: Int, _ bounds: TimeBounds, _ file: String) throws -> Int64 {
        let b = f.bytes(i)
        switch f.kind(i) {
        case .text:
            return try bounds.time(b, file: file, line: f.line)
        case .number:
            if case .success(let t) = UTCCalendar.parseTime(b) {
                guard bounds.contains(t) else {
                    throw InputError(
                        file: file, line: f.line, field: "time", bounds.message(InputError.quote(bytes: b)))
                }
                return t
            }
            switch StrictNumber.parse(b) {
            case .success(let v):
                return try bounds.time(seconds: v, quoted: InputError.quote(bytes: b), file: file, line: f.line)
            case .failure:
                throw InputError(
                    file: file, line: f.line, field: "time",
                    UTCCalendar.TimeProblem.malformed.message(InputError.quote(bytes: b)))
            }
        default:
            throw InputError(file: file, line: f.line, field: "time", "must be ISO-8601 text or Unix seconds")
        }
    }

    /// A numeric field (JSON number, or text holding one); nil when absent or null.
    static func number(
        _ f: RecordReader.Fields, _ i: Int, _ range: ClosedRange<Double>, exclusiveLower: Bool, _ file: String
    ) throws -> Double? {
        switch f.kind(i) {
        case .absent, .null: return nil
        case .text, .number:
            return try StrictNumber.value(
                f.bytes(i), in: range, exclusiveLower: exclusiveLower, file: file, line: f.line,
                field: PriceLineParser.columns[i])
        case .bool:
            throw InputError(
                file: file, line: f.line, field: PriceLineParser.columns[i], "must be a number, not a boolean")
        }
    }
}

/// Whole price files in memory (small files, tests); `import prices` streams through
/// `PortfolioStore.importPrices` instead, with the same parser.
public enum PriceFile {
    /// Parses `data`. `file` names it in errors; `knownSymbols` (when given) rejects other symbols;
    /// times must be within `bounds` (default ``TimeBounds/syntaxOnly``).
    /// - Throws: `InputError` naming file, line and field of the first bad value; nothing is returned then.
    public static func parse(
        _ data: Data, file: String, knownSymbols: Set<String>? = nil,
        bounds: TimeBounds = .syntaxOnly
    ) throws -> [PricePoint] {
        var parser = PriceLineParser(
            file: file, bounds: bounds, known: knownSymbols.map { SymbolTable($0.sorted()) })
        var lines = LineReader()
        var out: [PricePoint] = []
        var seen = Set<PriceKey>()
        func take(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            guard let row = try parser.parse(line, number: number) else { return }
            guard seen.insert(PriceKey(symbol: row.symbol, time: row.time)).inserted else {
                throw InputError(
                    file: file, line: number, field: "time",
                    "duplicate row for \(parser.symbols.names[row.symbol]) at \(UTCCalendar.iso(row.time))")
            }
            out.append(parser.point(row))
        }
        do {
            try data.withUnsafeBytes { raw in
                try lines.feed(raw.bindMemory(to: UInt8.self), take)
                try lines.finish(take)
            }
        } catch let e as LineReader.LineTooLong {
            throw InputError(file: file, line: e.line, "line longer than \(lines.maxLineLength) bytes")
        }
        try parser.finish()
        return out
    }
}

/// A (symbol id, time) pair for duplicate checks.
struct PriceKey: Hashable {
    var symbol: Int
    var time: Int64
}
