/// A semantic colour role; widgets ask the theme for a role, never for a raw colour.
public enum Role: String, Sendable, CaseIterable, Hashable {
    case main, title, hi, selected, inactive, border, divLine, header
    case gain, loss, bullish, neutral, bearish, warning, alert, stale
    case chartStart, chartMid, chartEnd
}

/// How a cell is drawn: a colour role plus attributes.
public struct CellStyle: Sendable, Hashable {
    /// The backgrounds a cell can borrow from another role (see `background`).
    public static let borrowableBackgrounds: [Role] = [.header, .selected]

    public var role: Role
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    /// The role whose background the cell takes, nil for the role's own: a gain figure in the header
    /// bar keeps the bar's background. Only `.header` and `.selected` are honoured.
    public var background: Role?

    /// Creates a style for `role`, on the background of `background` (nil: the role's own).
    public init(
        _ role: Role = .main, bold: Bool = false, reverse: Bool = false, underline: Bool = false,
        on background: Role? = nil
    ) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.background = background.flatMap { CellStyle.borrowableBackgrounds.contains($0) ? $0 : nil }
    }
}

/// One terminal cell. `width` is the display width of `char` (0 for the right half of a wide glyph).
public struct Cell: Sendable, Hashable {
    public var char: Character
    public var style: CellStyle
    public var width: UInt8

    /// A blank cell in the main style.
    public static let blank = Cell(char: " ", style: CellStyle(), width: 1)

    public init(char: Character, style: CellStyle, width: UInt8 = 1) {
        self.char = char
        self.style = style
        self.width = width
    }
}

/// A frame: a grid of cells, written by the pure renderer, painted by the painter.
public struct ScreenBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// A blank buffer of `width` × `height` cells.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` at (`x`, `y`), clipped to `maxWidth` columns and the buffer; returns columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = CellStyle(), maxWidth: Int? = nil)
        -> Int
    {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit { break }
            if col >= 0 {
                cells[y * width + col] = Cell(char: ch, style: style, width: UInt8(w))
                if w == 2, col + 1 < width {
                    cells[y * width + col + 1] = Cell(char: " ", style: style, width: 0)
                }
            }
            col += w
        }
        return col - x
    }

    /// Fills a rectangle with `char` in `style`.
    public mutating func fill(
        x: Int, y: Int, width w: Int, height h: Int, char: Character = " ", style: CellStyle = CellStyle()
    ) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) {
                cells[row * width + col] = Cell(char: char, style: style, width: 1)
            }
        }
    }

    /// The rows as plain text (wide glyphs once, trailing spaces kept), for snapshots and tests.
    public func text() -> [String] {
        (0..<height).map { row in
            var line = ""
            for col in 0..<width {
                let cell = cells[row * width + col]
                if cell.width == 0 { continue }
                line.append(cell.char)
            }
            return line
        }
    }
}
