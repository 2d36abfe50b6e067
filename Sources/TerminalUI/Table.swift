/// A table column: header text, width in columns and alignment.
public struct TableColumn: Sendable, Hashable {
    public var title: String
    public var width: Int
    public var alignRight: Bool

    public init(_ title: String, width: Int, alignRight: Bool = false) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
    }
}

/// One table cell: text and an optional style (the row's style when nil).
public struct TableCell: Sendable, Hashable {
    public var text: String
    public var style: CellStyle?

    public init(_ text: String, style: CellStyle? = nil) {
        self.text = text
        self.style = style
    }
}

/// A table drawn into a buffer: a header line, then rows, columns aligned by display width,
/// the selected row highlighted and kept in view.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public var rows: [[TableCell]]
    /// The selected row, highlighted; nil for none.
    public var selected: Int?
    /// Column index shown as the sort column (underlined header) and whether reversed.
    public var sortColumn: Int?
    public var sortReversed: Bool

    public init(
        columns: [TableColumn], rows: [[TableCell]], selected: Int? = nil, sortColumn: Int? = nil,
        sortReversed: Bool = false
    ) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.sortColumn = sortColumn
        self.sortReversed = sortReversed
    }

    /// The first row shown so that `selected` is visible in `visibleRows` lines.
    public static func scrollOffset(selected: Int?, count: Int, visibleRows: Int) -> Int {
        guard let selected, visibleRows > 0, count > visibleRows else { return 0 }
        return max(0, min(count - visibleRows, selected - visibleRows / 2))
    }

    /// Draws into `rect`; columns that do not fit are left out. Returns the index of the first row shown.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, rect: Rect, glyphs: BoxGlyphs) -> Int {
        guard rect.height > 0, rect.width > 0 else { return 0 }
        var x = rect.x
        var lefts: [Int] = []
        var widths: [Int] = []
        for column in columns {
            let remaining = rect.x + rect.width - x
            if remaining <= 0 { break }
            let w = min(column.width, remaining)
            lefts.append(x)
            widths.append(w)
            x += column.width + 1
        }
        for (i, column) in columns.prefix(lefts.count).enumerated() {
            var title = column.title
            if sortColumn == i { title += sortReversed ? (glyphs.isASCII ? "v" : "▼") : (glyphs.isASCII ? "^" : "▲") }
            let text = TextLayout.pad(title, to: widths[i], alignRight: column.alignRight, ellipsis: glyphs.ellipsis)
            buffer.put(text, x: lefts[i], y: rect.y, style: CellStyle(.title, bold: true, underline: sortColumn == i))
        }
        let visible = rect.height - 1
        let first = Table.scrollOffset(selected: selected, count: rows.count, visibleRows: visible)
        for line in 0..<max(0, visible) {
            let r = first + line
            guard r < rows.count else { break }
            let y = rect.y + 1 + line
            let isSelected = r == selected
            if isSelected {
                buffer.fill(x: rect.x, y: y, width: rect.width, height: 1, style: CellStyle(.selected))
            }
            for (i, cell) in rows[r].prefix(lefts.count).enumerated() {
                let column = columns[i]
                let text = TextLayout.pad(
                    cell.text, to: widths[i], alignRight: column.alignRight, ellipsis: glyphs.ellipsis)
                let style = isSelected ? CellStyle(.selected, bold: true) : (cell.style ?? CellStyle())
                buffer.put(text, x: lefts[i], y: y, style: style)
            }
        }
        return first
    }
}
