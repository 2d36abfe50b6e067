import IndexCore
import SQLiteKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `import prices` at file speed (issue 16): the file is read in 1 MiB chunks, split by the one line
/// reader, parsed in place by the one price line parser and bound to prepared statements, all in ONE
/// transaction that also records the NAV points. Memory stays flat: nothing per row is kept except for
/// rows that overlap prices already stored (see ``PortfolioStore/importPrices(path:file:bounds:source:)``).
extension PortfolioStore {
    /// Imports a price file (CSV or JSONL, DESIGN §8) all or nothing, then records every index's NAV at
    /// the newest price time, in the same transaction.
    ///
    /// A (symbol, time) twice in the file is an error; a row for a (symbol, time) already stored replaces
    /// it. Duplicate detection keeps no memory for rows newer than the symbol's newest stored price (the
    /// insert itself detects them); only rows at or before it are remembered, 16 bytes each.
    /// - Parameters:
    ///   - path: the file to read.
    ///   - file: its name in messages (usually `path` as the user typed it).
    ///   - bounds: the plausible times.
    /// - Returns: the number of rows imported.
    /// - Throws: `InputError` `FILE:LINE: field: problem` for bad input (nothing is stored then), or a
    ///   database error.
    @discardableResult
    public func importPrices(path: String, file: String, bounds: TimeBounds, source: String = "import") throws -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: file, "cannot read file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        var parser = PriceLineParser(file: file, bounds: bounds, known: SymbolTable(try assets().map(\.symbol)))
        var ingest = try PriceIngest(db: db, source: source)
        var lines = LineReader()
        let count: Int = try db.transaction {
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
            defer { buffer.deallocate() }
            let take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void = { line, number in
                if let row = try parser.parse(line, number: number) {
                    try ingest.store(row, symbols: parser.symbols, file: file, line: number)
                }
            }
            do {
                while true {
                    let n = read(fd, buffer.baseAddress, buffer.count)
                    if n < 0, errno == EINTR { continue }
                    guard n >= 0 else {
                        throw InputError(file: file, "read failed (\(String(cString: strerror(errno))))")
                    }
                    if n == 0 { break }
                    try lines.feed(UnsafeBufferPointer(rebasing: buffer[0..<n]), take)
                }
                try lines.finish(take)
            } catch let e as LineReader.LineTooLong {
                throw InputError(file: file, line: e.line, "line longer than \(lines.maxLineLength) bytes")
            }
            try parser.finish()
            if let c = signalCache, ingest.earliest < c.tailStart { signalCache = nil }
            try recordNAVs(minInterval: 0)
            return ingest.rows
        }
        return count
    }
}

/// The prepared statements and duplicate bookkeeping of one price import.
struct PriceIngest {
    private let fresh: Statement
    private let replace: Statement
    private let db: Database
    private let newest: Statement
    /// Per symbol id: the newest stored time before the import (Int64.min when none), fetched lazily.
    private var storedNewest: [Int64?] = []
    private var overlap = Set<OverlapKey>()
    private var lastFresh = -1
    private var lastReplace = -1
    private(set) var rows = 0
    private(set) var earliest = Int64.max

    private struct OverlapKey: Hashable {
        var symbol: Int
        var time: Int64
    }

    init(db: Database, source: String) throws {
        self.db = db
        let columns = "INSERT INTO prices(symbol, time, price, market_cap, volume, source) VALUES (?, ?, ?, ?, ?, ?)"
        fresh = try db.prepare(columns + " ON CONFLICT(symbol, time) DO NOTHING")
        replace = try db.prepare(
            columns
                + """
                 ON CONFLICT(symbol, time) DO UPDATE SET price = excluded.price, market_cap = excluded.market_cap,
                    volume = excluded.volume, source = excluded.source
                """)
        newest = try db.prepare("SELECT MAX(time) FROM prices WHERE symbol = ?")
        try fresh.bind(.text(source), at: 6)
        try replace.bind(.text(source), at: 6)
    }

    /// Stores one row; a duplicate of an earlier row of this import is an `InputError` at `line`.
    mutating func store(_ row: PriceRow, symbols: SymbolTable, file: String, line: Int) throws {
        let id = row.symbol
        if id >= storedNewest.count { storedNewest += Array(repeating: nil, count: id + 1 - storedNewest.count) }
        let stored: Int64
        if let known = storedNewest[id] {
            stored = known
        } else {
            try newest.bind(.text(symbols.names[id]), at: 1)
            _ = try newest.step()
            stored = newest.columnIsNull(0) ? Int64.min : newest.columnInt64(0)
            newest.reset()
            storedNewest[id] = stored
        }
        let isFresh = row.time > stored
        if !isFresh, !overlap.insert(OverlapKey(symbol: id, time: row.time)).inserted {
            throw duplicate(row, symbols, file, line)
        }
        let st = isFresh ? fresh : replace
        if isFresh ? lastFresh != id : lastReplace != id {
            try st.bind(.text(symbols.names[id]), at: 1)
            if isFresh { lastFresh = id } else { lastReplace = id }
        }
        try st.bind(int: row.time, at: 2)
        try st.bind(double: row.price, at: 3)
        if let c = row.marketCap { try st.bind(double: c, at: 4) } else { try st.bindNull(at: 4) }
        if let v = row.volume { try st.bind(double: v, at: 5) } else { try st.bindNull(at: 5) }
        try st.execute()
        // A fresh row that changed nothing met a row this import already wrote.
        if isFresh, db.changes == 0 { throw duplicate(row, symbols, file, line) }
        rows += 1
        if row.time < earliest { earliest = row.time }
    }

    private func duplicate(_ row: PriceRow, _ symbols: SymbolTable, _ file: String, _ line: Int) -> InputError {
        InputError(
            file: file, line: line, field: "time",
            "duplicate row for \(symbols.names[row.symbol]) at \(UTCCalendar.iso(row.time))")
    }
}
