/// The one line reader of every text format (prices, signals, assets, themes, config, the scanner).
///
/// Lines end at LF, CRLF or a lone CR (old Mac files); a UTF-8 byte-order mark at the very start is
/// dropped (spreadsheets write one into "CSV UTF-8"). A terminator at the end of the text does not start
/// another line. Line numbers are 1-based and count every line, blank ones included, so messages match
/// what an editor shows.
///
/// Two forms: ``LineReader`` streams bytes chunk by chunk (no per-line allocation; used by the price
/// ingest and the file follower), and ``TextLines/split(_:)`` splits a `String` (themes, config, scanner).
public enum TextLines {
    /// The lines of `text` (without terminators), BOM dropped, LF / CRLF / CR all ending a line.
    public static func split(_ text: String) -> [Substring] {
        var out: [Substring] = []
        let u = text.utf8
        var start = u.startIndex
        if text.unicodeScalars.first == "\u{FEFF}" { start = text.unicodeScalars.index(after: start) }
        var i = start
        while i < u.endIndex {
            let b = u[i]
            if b == 0x0A || b == 0x0D {
                out.append(text[start..<i])
                var next = u.index(after: i)
                if b == 0x0D, next < u.endIndex, u[next] == 0x0A { next = u.index(after: next) }
                start = next
                i = next
            } else {
                i = u.index(after: i)
            }
        }
        if start < u.endIndex { out.append(text[start..<u.endIndex]) }
        return out
    }

    /// The byte ranges of the lines of `bytes` (terminators excluded), by the same rule as ``split(_:)``.
    public static func ranges(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = start
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                out.append(start..<i)
                i += b == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        if start < n { out.append(start..<n) }
        return out
    }

    /// Decodes `bytes` as UTF-8, refusing invalid sequences (never stores U+FFFD in their place).
    /// - Throws: `InputError` naming `file` and the line of the first invalid byte.
    public static func decode(_ bytes: some Collection<UInt8>, file: String) throws -> String {
        let array = Array(bytes)
        if let bad = UTF8Check.firstInvalid(array) {
            var line = 1
            var k = 0
            while k < bad {
                if array[k] == 0x0A || (array[k] == 0x0D && (k + 1 == array.count || array[k + 1] != 0x0A)) {
                    line += 1
                }
                k += 1
            }
            throw InputError(file: file, line: line, "invalid UTF-8 (byte 0x\(hex(array[bad])))")
        }
        return String(decoding: array, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}

/// Streams lines out of byte chunks: BOM, LF, CRLF and lone CR handled as ``TextLines`` describes.
///
/// Feed chunks in order with ``feed(_:_:)`` and call ``finish(_:)`` once at the end. Each line is handed
/// to the closure as a buffer that is valid only during the call, with its 1-based number. A line split
/// across chunks is carried over in one reused buffer, so steady-state reading allocates nothing.
public struct LineReader {
    private var carry: [UInt8] = []
    private var lineNumber = 0
    private var atStart = true
    private var pendingCR = false
    /// The longest line accepted, in bytes (default 1 MiB): a longer one throws ``LineTooLong`` rather
    /// than growing memory without bound.
    public var maxLineLength: Int

    /// A line longer than ``LineReader/maxLineLength``.
    public struct LineTooLong: Error, Sendable, Equatable {
        /// Its 1-based line number.
        public var line: Int
    }

    /// A reader; `maxLineLength` bounds the memory a single line may take.
    public init(maxLineLength: Int = 1 << 20) {
        self.maxLineLength = maxLineLength
    }

    /// The number of the last line handed out (0 before the first).
    public var linesRead: Int { lineNumber }

    /// Splits `chunk` into lines, calling `body(line, number)` for each complete one.
    /// - Throws: what `body` throws, or ``LineTooLong``.
    public mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var i = 0
        let n = chunk.count
        if atStart {
            // The BOM may itself be split across chunks: wait for three bytes.
            if carry.count + n < 3 {
                carry.append(contentsOf: chunk)
                return
            }
            atStart = false
            if !carry.isEmpty {
                // Only the first chunks of a tiny prefix get here: join them once and start over.
                var head = carry
                head.append(contentsOf: chunk)
                carry.removeAll(keepingCapacity: true)
                let skip = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
                try Array(head.dropFirst(skip)).withUnsafeBufferPointer { try feed($0, body) }
                return
            }
            if base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { i = 3 }
        }
        if pendingCR {
            pendingCR = false
            if i < n, base[i] == 0x0A { i += 1 }
        }
        var start = i
        while i < n {
            let b = base[i]
            if b == 0x0A || b == 0x0D {
                try emit(UnsafeBufferPointer(start: base + start, count: i - start), body)
                i += 1
                if b == 0x0D {
                    if i < n {
                        if base[i] == 0x0A { i += 1 }
                    } else {
                        pendingCR = true
                    }
                }
                start = i
            } else {
                i += 1
            }
        }
        if start < n {
            if carry.count + (n - start) > maxLineLength { throw LineTooLong(line: lineNumber + 1) }
            carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start))
        }
    }

    /// Hands out the last line when the input did not end with a terminator.
    public mutating func finish(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        if atStart, !carry.isEmpty {
            atStart = false
            let bytes = carry
            carry.removeAll()
            let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            try Array(bytes.dropFirst(skip)).withUnsafeBufferPointer { try feed($0, body) }
        }
        if !carry.isEmpty {
            lineNumber += 1
            let line = lineNumber
            try carry.withUnsafeBufferPointer { try body($0, line) }
            carry.removeAll(keepingCapacity: true)
        }
    }

    private mutating func emit(
        _ tail: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        lineNumber += 1
        let line = lineNumber
        if carry.isEmpty {
            try body(tail, line)
        } else {
            if carry.count + tail.count > maxLineLength { throw LineTooLong(line: line) }
            carry.append(contentsOf: tail)
            try carry.withUnsafeBufferPointer { try body($0, line) }
            carry.removeAll(keepingCapacity: true)
        }
    }
}

/// UTF-8 validation on bytes (the formats refuse invalid text instead of storing U+FFFD).
public enum UTF8Check {
    /// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        // ASCII fast path: most input is ASCII.
        while i < n, bytes[i] < 0x80 { i += 1 }
        if i == n { return true }
        return firstInvalid(bytes, from: i) == nil
    }

    /// The offset of the first byte of the first invalid sequence, or nil when valid.
    public static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalid($0, from: 0) }
    }

    static func firstInvalid(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
                i + k < n && b[i + k] >= lo && b[i + k] <= hi
            }
            switch c {
            case 0xC2...0xDF:
                guard cont(1) else { return i }
                i += 2
            case 0xE0:
                guard cont(1, 0xA0), cont(2) else { return i }
                i += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard cont(1), cont(2) else { return i }
                i += 3
            case 0xED:
                guard cont(1, 0x80, 0x9F), cont(2) else { return i }
                i += 3
            case 0xF0:
                guard cont(1, 0x90), cont(2), cont(3) else { return i }
                i += 4
            case 0xF1...0xF3:
                guard cont(1), cont(2), cont(3) else { return i }
                i += 4
            case 0xF4:
                guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return i }
                i += 4
            default:
                return i
            }
        }
        return nil
    }
}

extension InputError {
    /// The longest part of a bad value an error message quotes, in characters.
    public static let quoteLimit = 80

    /// `value` quoted for an error message: in single quotes, control characters escaped (`\0`, `\t`,
    /// `\u{1B}`), cut to ``quoteLimit`` characters with the full length noted, so a 50 MB field is
    /// never echoed whole.
    public static func quote(_ value: some StringProtocol) -> String { quote(value, bytes: nil) }

    private static func quote(_ value: some StringProtocol, bytes: Int?) -> String {
        var out = "'"
        var count = 0  // characters written, escapes counted at their written width
        var total = 0
        var cut = false
        for scalar in value.unicodeScalars {
            total += 1
            if cut { continue }
            var piece: String
            switch scalar {
            case "\0": piece = "\\0"
            case "\t": piece = "\\t"
            case "\n": piece = "\\n"
            case "\r": piece = "\\r"
            case "'": piece = "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    piece = "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    piece = String(scalar)
                }
            }
            if count + piece.count > quoteLimit {
                cut = true
                continue
            }
            count += piece.count
            out += piece
        }
        out += "'"
        if let bytes {
            out += "… (\(bytes) bytes)"
        } else if cut {
            out += "… (\(total) characters)"
        }
        return out
    }

    /// Like ``quote(_:)-(StringProtocol)`` for raw bytes (decoded leniently: only the message sees them).
    public static func quote(bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Decode only a bounded prefix: 4 bytes per character at most.
        let cut = min(bytes.count, (quoteLimit + 1) * 4)
        let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<cut]), as: UTF8.self)
        let q = quote(head, bytes: nil)
        guard cut < bytes.count || q.hasSuffix(" characters)") else { return q }
        return quote(head, bytes: bytes.count)
    }
}
