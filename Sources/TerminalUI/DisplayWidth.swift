import CNcurses

/// Display width of characters and strings, measured with `wcwidth` (not `String.count`).
public enum DisplayWidth {
    /// Columns `ch` occupies: 0 for combining marks and controls, 2 for wide glyphs, else 1.
    public static func of(_ ch: Character) -> Int {
        var total = 0
        for (i, scalar) in ch.unicodeScalars.enumerated() {
            if scalar.value < 0x80 {
                if i == 0 { total = scalar.value >= 0x20 && scalar.value != 0x7f ? 1 : 0 }
                continue
            }
            let w = Int(cn_wcwidth(wchar_t(bitPattern: scalar.value)))
            if i == 0 { total = w < 0 ? 1 : w }
        }
        return total
    }

    /// Columns `text` occupies.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }
}
