/// The rule for asset symbols, in one place: 1 to ``maxLength`` bytes of letters, digits, `-`, `.` or
/// `_` (non-ASCII letters allowed), compared in upper case.
public enum SymbolRule {
    /// The longest accepted symbol, in bytes (real tickers are at most about 12).
    public static let maxLength = 32

    /// True when `bytes` (already upper-cased or not) is an acceptable symbol.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        for b in bytes {
            let ok =
                (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 46 || b == 95
                || b >= 0x80
            if !ok { return false }
        }
        return true
    }

    /// True when `text` is an acceptable symbol.
    public static func isValid(_ text: String) -> Bool {
        var s = text
        return s.withUTF8 {
            isValid($0)
                && String(decoding: $0, as: UTF8.self).allSatisfy { $0.isLetter || $0.isNumber || "-._".contains($0) }
        }
    }

    /// The problem with a refused symbol (quoted at most 80 characters).
    public static func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count > maxLength {
            return "\(InputError.quote(bytes: bytes)) is longer than \(maxLength) bytes"
        }
        return "\(InputError.quote(bytes: bytes)) is not a symbol (letters, digits, '-', '.', '_')"
    }
}

/// Symbols by byte content, for lookups from a line's bytes without building a `String` per row.
/// Lookups are case-insensitive for ASCII (symbols are stored upper-cased).
public struct SymbolTable: Sendable {
    /// The symbols, upper-cased, in insertion order (a symbol's id is its index).
    public private(set) var names: [String] = []
    private var bytes: [[UInt8]] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)

    /// A table holding `symbols`.
    public init(_ symbols: some Sequence<String> = [String]()) {
        for s in symbols {
            var u = Array(s.uppercased().utf8)
            u.withUnsafeMutableBufferPointer { _ = insert(UnsafeBufferPointer($0)) }
        }
    }

    /// The id of `symbol` (upper-cased first), or nil.
    public func find(_ symbol: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(symbol)
        var slot = h & (slots.count - 1)
        while true {
            let id = slots[slot]
            if id < 0 { return nil }
            if Self.equal(bytes[Int(id)], symbol) { return Int(id) }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The id of `symbol`, adding it (upper-cased) when new.
    public mutating func insert(_ symbol: UnsafeBufferPointer<UInt8>) -> Int {
        if let id = find(symbol) { return id }
        let upper = symbol.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
        names.append(String(decoding: upper, as: UTF8.self))
        bytes.append(upper)
        if bytes.count * 2 > slots.count {
            slots = Array(repeating: -1, count: slots.count * 2)
            for (id, b) in bytes.enumerated() { place(Int32(id), b) }
        } else {
            place(Int32(bytes.count - 1), upper)
        }
        return bytes.count - 1
    }

    private mutating func place(_ id: Int32, _ b: [UInt8]) {
        var slot = b.withUnsafeBufferPointer { Self.hash($0) } & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = id
    }

    private static func hash(_ s: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for var b in s {
            if b >= 97, b <= 122 { b -= 32 }
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private static func equal(_ stored: [UInt8], _ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == s.count else { return false }
        for i in 0..<s.count {
            var b = s[i]
            if b >= 97, b <= 122 { b -= 32 }
            if stored[i] != b { return false }
        }
        return true
    }
}
