import CNcurses

/// Display width of characters and strings, measured with `wcwidth` (not `String.count`).
///
/// `wcwidth` answers -1 for every non-ASCII character when the process locale is "C"; the
/// width then comes from a small table (combining marks 0, East Asian wide and emoji 2, else 1)
/// so frames measure the same whatever the locale.
public enum DisplayWidth {
    /// Columns `ch` occupies: 0 for combining marks and controls, 2 for wide glyphs, else 1.
    public static func of(_ ch: Character) -> Int {
        if let ascii = ch.asciiValue {
            return ascii >= 0x20 && ascii != 0x7f ? 1 : 0
        }
        guard let first = ch.unicodeScalars.first else { return 0 }
        return of(scalar: first.value)
    }

    /// Columns the scalar `value` occupies (see `of(_:)`).
    public static func of(scalar value: UInt32) -> Int {
        if value < 0x80 { return value >= 0x20 && value != 0x7f ? 1 : 0 }
        // The glyphs the dashboard draws most (box drawing, block elements, braille, arrows, ·, …, —) are
        // one column in every locale and font: skip the libc call for them (a frame has thousands).
        if (0x2500...0x259F).contains(value) || (0x2800...0x28FF).contains(value) || (0x2190...0x21FF).contains(value)
            || value == 0xB7 || value == 0x2026 || value == 0x2014
        {
            return 1
        }
        let w = Int(cn_wcwidth(wchar_t(bitPattern: value)))
        if w >= 0 { return w }
        return tableWidth(value)
    }

    /// Columns `text` occupies.
    public static func of(_ text: String) -> Int {
        // Most cells are printable ASCII: one column a byte, no Character iteration.
        var printableASCII = true
        for byte in text.utf8 where byte < 0x20 || byte >= 0x7f {
            printableASCII = false
            break
        }
        if printableASCII { return text.utf8.count }
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    /// The width from a built-in table, used when the locale cannot tell.
    static func tableWidth(_ v: UInt32) -> Int {
        if v < 0xA0 { return 0 }
        for range in zeroWidth where range.contains(v) { return 0 }
        for range in wide where range.contains(v) { return 2 }
        return 1
    }

    private static let zeroWidth: [ClosedRange<UInt32>] = [
        0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x200B...0x200F, 0x202A...0x202E,
        0x2060...0x2064, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF...0xFEFF,
        0xE0100...0xE01EF,
    ]

    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F5, 0x26FA...0x26FD,
        0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C, 0x2753...0x2757,
        0x2795...0x2797, 0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50,
        0x2B55...0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF,
        0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F,
        0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
