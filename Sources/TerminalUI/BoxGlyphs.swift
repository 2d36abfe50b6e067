/// The characters used for frames, bars and charts: Unicode box drawing, or ASCII (`--ascii`,
/// or a locale that is not UTF-8).
public struct BoxGlyphs: Sendable, Hashable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// A full bar cell and the partial eighths (index 1...7) for bars.
    public var full: Character
    public var eighths: [Character]
    /// Ellipsis for truncated text.
    public var ellipsis: Character
    public var isASCII: Bool

    /// Unicode box drawing and block elements.
    public static let unicode = BoxGlyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        full: "█", eighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"], ellipsis: "…", isASCII: false)

    /// Plain ASCII.
    public static let ascii = BoxGlyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        full: "#", eighths: [" ", " ", " ", " ", "=", "=", "=", "="], ellipsis: "~", isASCII: true)

    /// The glyph set for `ascii`.
    public static func forASCII(_ ascii: Bool) -> BoxGlyphs { ascii ? .ascii : .unicode }
}

extension ScreenBuffer {
    /// Draws a frame around `rect` with an optional title in the top edge.
    public mutating func drawBox(
        _ rect: Rect, glyphs: BoxGlyphs, style: CellStyle = CellStyle(.border), title: String = "",
        titleStyle: CellStyle = CellStyle(.title, bold: true)
    ) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.x + rect.width - 1
        let bottom = rect.y + rect.height - 1
        for col in rect.x...right {
            self[col, rect.y] = Cell(char: glyphs.horizontal, style: style)
            self[col, bottom] = Cell(char: glyphs.horizontal, style: style)
        }
        for row in rect.y...bottom {
            self[rect.x, row] = Cell(char: glyphs.vertical, style: style)
            self[right, row] = Cell(char: glyphs.vertical, style: style)
        }
        self[rect.x, rect.y] = Cell(char: glyphs.topLeft, style: style)
        self[right, rect.y] = Cell(char: glyphs.topRight, style: style)
        self[rect.x, bottom] = Cell(char: glyphs.bottomLeft, style: style)
        self[right, bottom] = Cell(char: glyphs.bottomRight, style: style)
        if !title.isEmpty, rect.width > 4 {
            put(" \(title) ", x: rect.x + 2, y: rect.y, style: titleStyle, maxWidth: rect.width - 4)
        }
    }

    /// Draws a horizontal rule across `width` columns.
    public mutating func drawRule(x: Int, y: Int, width: Int, glyphs: BoxGlyphs, style: CellStyle = CellStyle(.divLine))
    {
        guard width > 0 else { return }
        for col in x..<(x + width) { self[col, y] = Cell(char: glyphs.horizontal, style: style) }
    }
}

extension ScreenBuffer {
    /// ASCII stand-ins for the non-ASCII characters the widgets and views use.
    static let asciiFold: [Character: Character] = [
        "·": ".", "→": ">", "←": "<", "…": "~", "×": "x", "▲": "^", "▼": "v", "•": "*", "◀": "<", "▶": ">",
        "↑": "^", "↓": "v", "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "█": "#",
        "√": "v", "—": "-", "–": "-", "≈": "~", "±": "+", "°": "o",
    ]

    /// The buffer with every non-ASCII character replaced by an ASCII stand-in (`?` when there is none);
    /// a wide glyph becomes `?` plus a blank. Characters in `keeping` stay. For `--ascii` and terminals
    /// whose locale is not UTF-8.
    public func asciiFolded(keeping: Set<Character> = []) -> ScreenBuffer {
        var out = self
        for y in 0..<height {
            for x in 0..<width {
                let cell = self[x, y]
                if cell.char.isASCII || keeping.contains(cell.char) { continue }
                if cell.width == 0 {
                    out[x, y] = Cell(char: " ", style: cell.style, width: 1)
                } else {
                    out[x, y] = Cell(char: ScreenBuffer.asciiFold[cell.char] ?? "?", style: cell.style, width: 1)
                }
            }
        }
        return out
    }
}
