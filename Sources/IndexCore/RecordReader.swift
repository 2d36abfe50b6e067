/// The shared layer of the tabular text formats (prices, signals, assets): one line in, its fields by
/// column out, at the byte level (no per-line allocation).
///
/// A file is CSV with a header line naming its columns (any order; names are case-insensitive), or JSONL
/// (one flat JSON object a line whose keys are the column names); the first meaningful line decides.
/// Blank lines and lines starting with `#` are skipped. Refused, with `FILE:LINE: field: problem`:
/// unknown, duplicate and missing columns or keys (named), a wrong field count, invalid UTF-8, nested
/// JSON values. CSV fields are trimmed of spaces and tabs and may not be quoted.
public struct RecordReader {
    /// The file's format, once known.
    public enum Format: Sendable, Equatable {
        case csv
        case jsonl
    }

    /// What a field held.
    public enum Kind: Sendable, Equatable {
        /// Not in the line (no such CSV column, JSON key absent) or an empty CSV field.
        case absent
        /// JSON `null`.
        case null
        /// Text (a CSV field or a JSON string, unescaped).
        case text
        /// A JSON number (its text).
        case number
        /// JSON `true` or `false` (the text says which).
        case bool
    }

    /// The file named in errors.
    public let file: String
    /// The accepted column names, lowercase.
    public let columns: [String]
    private let columnBytes: [[UInt8]]
    private let required: [Bool]
    private let inHeader: [Bool]
    /// Whether a CSV file must start with a header; when false (the file follower) a file without one
    /// uses the columns in the order given, and a later header line may reorder them.
    public let requireHeader: Bool
    /// The format, decided by the first meaningful line.
    public private(set) var format: Format?
    /// CSV: the column of each field position (nil before the header).
    private var layout: [Int]?
    private var starts: [Int]
    private var counts: [Int]
    private var kinds: [Kind]
    private let arena = Arena()
    /// The number of data lines returned.
    public private(set) var records = 0

    /// A reader for `columns` (lowercase names); `required` lists those every line must give a value;
    /// `header` those a CSV header must name (default: `required`).
    public init(
        file: String, columns: [String], required: Set<String>, header: Set<String>? = nil, requireHeader: Bool = true
    ) {
        self.file = file
        self.columns = columns
        columnBytes = columns.map { Array($0.utf8) }
        self.required = columns.map { required.contains($0) }
        inHeader = columns.map { (header ?? required).contains($0) }
        self.requireHeader = requireHeader
        starts = Array(repeating: 0, count: columns.count)
        counts = Array(repeating: 0, count: columns.count)
        kinds = Array(repeating: .absent, count: columns.count)
        if !requireHeader { layout = Array(columns.indices) }
    }

    /// The fields of one line, valid only during the ``RecordReader/read(_:number:_:)`` call.
    public struct Fields {
        let base: UnsafePointer<UInt8>
        let arena: UnsafePointer<UInt8>
        let starts: UnsafeBufferPointer<Int>
        let counts: UnsafeBufferPointer<Int>
        let kinds: UnsafeBufferPointer<Kind>
        /// The 1-based line number.
        public let line: Int

        /// What column `i` (index into ``RecordReader/columns``) held.
        public func kind(_ i: Int) -> Kind { kinds[i] }

        /// The bytes of column `i` (empty when absent or null).
        public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let s = starts[i]
            // Negative starts point into the arena (unescaped JSON strings).
            if s < 0 { return UnsafeBufferPointer(start: arena + (-s - 1), count: counts[i]) }
            return UnsafeBufferPointer(start: base + s, count: counts[i])
        }

        /// Column `i` as a `String` (allocates: for cold paths and messages).
        public func string(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }
    }

    /// Reads one line (without its terminator). Calls `body` with its fields when it is a data line;
    /// headers, blank and comment lines only update the reader.
    /// - Throws: `InputError` naming the file, `number` and the field; what `body` throws.
    public mutating func read<T>(_ line: UnsafeBufferPointer<UInt8>, number: Int, _ body: (Fields) throws -> T)
        throws -> T?
    {
        let text = UTCCalendar.trimmed(line)
        guard let base = text.baseAddress, text.count > 0, text[0] != UInt8(ascii: "#") else { return nil }
        guard UTF8Check.isValid(line) else { throw InputError(file: file, line: number, "invalid UTF-8") }
        // A followed file (no header required) may mix the two; a file to import is one or the other.
        if format == nil || !requireHeader { format = text[0] == UInt8(ascii: "{") ? .jsonl : .csv }
        for i in kinds.indices { kinds[i] = .absent }
        switch format! {
        case .jsonl:
            guard text[0] == UInt8(ascii: "{") else {
                throw InputError(file: file, line: number, "not a JSON object (the file is JSONL)")
            }
            try parseObject(text, line: number)
        case .csv:
            if layout == nil || (!requireHeader && isHeader(text)) {
                try parseHeader(text, line: number)
                return nil
            }
            try splitCSV(text, line: number)
        }
        for i in columns.indices where required[i] && (kinds[i] == .absent || kinds[i] == .null) {
            throw InputError(file: file, line: number, field: columns[i], "missing")
        }
        records += 1
        return try starts.withUnsafeBufferPointer { s in
            try counts.withUnsafeBufferPointer { c in
                try kinds.withUnsafeBufferPointer { k in
                    try body(Fields(base: base, arena: arena.base, starts: s, counts: c, kinds: k, line: number))
                }
            }
        }
    }

    /// Checks the end of input: an empty file, or a header with no data, is an error.
    /// - Throws: `InputError` saying what `what` (e.g. "prices") the file lacked.
    public func finish(what: String) throws {
        if format == nil { throw InputError(file: file, "empty file: no \(what)") }
        if records == 0 { throw InputError(file: file, "empty file: a header but no \(what)") }
    }

    // MARK: CSV

    private func column(named name: UnsafeBufferPointer<UInt8>) -> Int? {
        outer: for (i, c) in columnBytes.enumerated() where c.count == name.count {
            for k in 0..<c.count {
                var b = name[k]
                if b >= 65, b <= 90 { b += 32 }
                if b != c[k] { continue outer }
            }
            return i
        }
        return nil
    }

    private func isHeader(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var allNames = true
        forEachField(text) { f in if column(named: f) == nil { allNames = false } }
        return allNames
    }

    private func forEachField(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for i in 0...text.count where i == text.count || text[i] == UInt8(ascii: ",") {
            body(UTCCalendar.trimmed(UnsafeBufferPointer(rebasing: text[start..<i])))
            start = i + 1
        }
    }

    private mutating func parseHeader(_ text: UnsafeBufferPointer<UInt8>, line: Int) throws {
        var map: [Int] = []
        var problem: String?
        forEachField(text) { f in
            guard problem == nil else { return }
            guard let c = column(named: f) else {
                problem =
                    f.isEmpty
                    ? "empty column name"
                    : "unknown column \(InputError.quote(bytes: f)) (columns: \(columns.joined(separator: ", ")))"
                return
            }
            if map.contains(c) { problem = "duplicate column '\(columns[c])'" }
            map.append(c)
        }
        if let problem { throw InputError(file: file, line: line, field: "header", problem) }
        for i in columns.indices where inHeader[i] && !map.contains(i) {
            let needed = columns.indices.filter { inHeader[$0] }.map { columns[$0] }
            throw InputError(
                file: file, line: line, field: "header",
                "missing column '\(columns[i])' (needs \(needed.joined(separator: ",")))")
        }
        layout = map
    }

    private mutating func splitCSV(_ text: UnsafeBufferPointer<UInt8>, line: Int) throws {
        let layout = layout!
        var field = 0
        var start = 0
        var i = 0
        let n = text.count
        while true {
            if i == n || text[i] == UInt8(ascii: ",") {
                if field < layout.count {
                    var lo = start
                    var hi = i
                    while lo < hi, text[lo] == 32 || text[lo] == 9 { lo += 1 }
                    while hi > lo, text[hi - 1] == 32 || text[hi - 1] == 9 { hi -= 1 }
                    let c = layout[field]
                    starts[c] = lo
                    counts[c] = hi - lo
                    kinds[c] = hi > lo ? .text : .absent
                }
                field += 1
                if i == n { break }
                start = i + 1
            }
            i += 1
        }
        // In a followed file (no header required), trailing optional columns may be left out.
        guard field == layout.count || (!requireHeader && field < layout.count) else {
            throw InputError(file: file, line: line, "has \(field) fields, the header has \(layout.count)")
        }
    }

    // MARK: JSON

    private mutating func parseObject(_ t: UnsafeBufferPointer<UInt8>, line: Int) throws {
        var i = 1
        let n = t.count
        arena.used = 0
        func fail(_ message: String, _ field: String? = nil) -> InputError {
            InputError(file: file, line: line, field: field, message)
        }
        func skip() { while i < n, t[i] == 32 || t[i] == 9 { i += 1 } }
        skip()
        if i < n, t[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skip()
                guard i < n, t[i] == UInt8(ascii: "\"") else { throw fail("malformed JSON: expected a key") }
                let (ks, kc, kEscaped) = try scanString(t, &i, line: line)
                let key = kEscaped ? arenaBuffer(ks, kc) : UnsafeBufferPointer(rebasing: t[ks..<(ks + kc)])
                guard let c = column(named: key), key.allSatisfy({ $0 < 65 || $0 > 90 }) else {
                    throw fail("unknown key \(InputError.quote(bytes: key)) (keys: \(columns.joined(separator: ", ")))")
                }
                guard kinds[c] == .absent else { throw fail("duplicate key '\(columns[c])'") }
                skip()
                guard i < n, t[i] == UInt8(ascii: ":") else { throw fail("malformed JSON: expected ':'") }
                i += 1
                skip()
                guard i < n else { throw fail("malformed JSON: missing value", columns[c]) }
                switch t[i] {
                case UInt8(ascii: "\""):
                    let (s, count, escaped) = try scanString(t, &i, line: line)
                    starts[c] = escaped ? -s - 1 : s
                    counts[c] = count
                    kinds[c] = .text
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let s = i
                    while i < n, isNumberByte(t[i]) { i += 1 }
                    starts[c] = s
                    counts[c] = i - s
                    kinds[c] = .number
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let s = i
                    while i < n, t[i] >= 97, t[i] <= 122 { i += 1 }
                    let word = UnsafeBufferPointer(rebasing: t[s..<i])
                    if word.elementsEqual("null".utf8) {
                        kinds[c] = .null
                    } else if word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8) {
                        kinds[c] = .bool
                    } else {
                        throw fail("malformed JSON value \(InputError.quote(bytes: word))", columns[c])
                    }
                    starts[c] = s
                    counts[c] = i - s
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    throw fail("nested JSON values are not accepted", columns[c])
                default:
                    throw fail("malformed JSON value", columns[c])
                }
                skip()
                guard i < n else { throw fail("malformed JSON: unterminated object") }
                if t[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                guard t[i] == UInt8(ascii: "}") else { throw fail("malformed JSON: expected ',' or '}'") }
                i += 1
                break
            }
        }
        skip()
        guard i == n else { throw fail("malformed JSON: text after the object") }
    }

    private func isNumberByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
            || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    private func arenaBuffer(_ start: Int, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena.base + start, count: count)
    }

    /// Scans a JSON string at `i` (on its opening quote). Returns (start, count, escaped): the raw bytes
    /// in the line when there is no escape, else the unescaped bytes at `start` in the arena.
    private func scanString(_ t: UnsafeBufferPointer<UInt8>, _ i: inout Int, line: Int) throws -> (Int, Int, Bool) {
        let n = t.count
        i += 1
        let s = i
        while i < n, t[i] != UInt8(ascii: "\""), t[i] != UInt8(ascii: "\\") {
            guard t[i] >= 0x20 else {
                throw InputError(file: file, line: line, "malformed JSON: control byte in a string")
            }
            i += 1
        }
        guard i < n else { throw InputError(file: file, line: line, "malformed JSON: unterminated string") }
        if t[i] == UInt8(ascii: "\"") {
            i += 1
            return (s, i - 1 - s, false)
        }
        // Escapes: unescape into the arena.
        arena.reserve(arena.used + n)
        let out = arena.used
        var w = out
        func put(_ b: UInt8) {
            arena.base[w] = b
            w += 1
        }
        for k in s..<i { put(t[k]) }
        while true {
            guard i < n else { throw InputError(file: file, line: line, "malformed JSON: unterminated string") }
            let b = t[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                break
            }
            guard b >= 0x20 else {
                throw InputError(file: file, line: line, "malformed JSON: control byte in a string")
            }
            if b != UInt8(ascii: "\\") {
                put(b)
                i += 1
                continue
            }
            guard i + 1 < n else { throw InputError(file: file, line: line, "malformed JSON: bad escape") }
            i += 2
            switch t[i - 1] {
            case UInt8(ascii: "\""): put(0x22)
            case UInt8(ascii: "\\"): put(0x5C)
            case UInt8(ascii: "/"): put(0x2F)
            case UInt8(ascii: "b"): put(0x08)
            case UInt8(ascii: "f"): put(0x0C)
            case UInt8(ascii: "n"): put(0x0A)
            case UInt8(ascii: "r"): put(0x0D)
            case UInt8(ascii: "t"): put(0x09)
            case UInt8(ascii: "u"):
                func hex4() throws -> UInt32 {
                    guard i + 4 <= n else { throw InputError(file: file, line: line, "malformed JSON: bad \\u escape") }
                    var v: UInt32 = 0
                    for k in i..<(i + 4) {
                        guard let d = Character(Unicode.Scalar(t[k])).hexDigitValue else {
                            throw InputError(file: file, line: line, "malformed JSON: bad \\u escape")
                        }
                        v = v * 16 + UInt32(d)
                    }
                    i += 4
                    return v
                }
                var v = try hex4()
                if (0xD800..<0xDC00).contains(v) {
                    guard i + 6 <= n, t[i] == UInt8(ascii: "\\"), t[i + 1] == UInt8(ascii: "u") else {
                        throw InputError(file: file, line: line, "malformed JSON: lone surrogate")
                    }
                    i += 2
                    let lo = try hex4()
                    guard (0xDC00..<0xE000).contains(lo) else {
                        throw InputError(file: file, line: line, "malformed JSON: lone surrogate")
                    }
                    v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(v) else {
                    throw InputError(file: file, line: line, "malformed JSON: lone surrogate")
                }
                for b in UTF8.encode(scalar)! { put(b) }
            default:
                throw InputError(file: file, line: line, "malformed JSON: bad escape")
            }
        }
        arena.used = w
        return (out, w - out, true)
    }
}

/// Scratch memory for unescaped JSON strings, reused line after line.
final class Arena {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var used = 0

    init() {
        capacity = 256
        base = .allocate(capacity: capacity)
    }

    /// Grows to at least `size` bytes, keeping the used part (callers take fresh pointers after).
    func reserve(_ size: Int) {
        guard size > capacity else { return }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(size, capacity * 2))
        bigger.update(from: base, count: used)
        base.deallocate()
        base = bigger
        capacity = max(size, capacity * 2)
    }

    deinit { base.deallocate() }
}
