/// A table column: header text, width in columns and alignment.
public struct TableColumn: Sendable, Hashable {
    public var title: String
    /// The width the column always gets; it grows to its widest cell when the table has room.
    public var width: Int
    public var alignRight: Bool
    /// When the table is too narrow, columns with a priority are left out, lowest first (nil: always kept).
    public var hidePriority: Int?
    /// Never cut this column's cells (quantities, prices): other columns are left out first so it gets
    /// its widest cell.
    public var keepWhole: Bool

    public init(
        _ title: String, width: Int, alignRight: Bool = false, hidePriority: Int? = nil, keepWhole: Bool = false
    ) {
        self.title = title
        self.width = width
        self.alignRight = alignRight
        self.hidePriority = hidePriority
        self.keepWhole = keepWhole
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
    /// Column index shown as the sort column (underlined header, `▼` when largest first, `▲` when
    /// smallest first; `v` / `^` in ASCII).
    public var sortColumn: Int?
    public var sortDescending: Bool

    public init(
        columns: [TableColumn], rows: [[TableCell]], selected: Int? = nil, sortColumn: Int? = nil,
        sortDescending: Bool = false
    ) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.sortColumn = sortColumn
        self.sortDescending = sortDescending
    }

    /// The first row shown so that `selected` is visible in `visibleRows` lines.
    public static func scrollOffset(selected: Int?, count: Int, visibleRows: Int) -> Int {
        guard let selected, visibleRows > 0, count > visibleRows else { return 0 }
        return max(0, min(count - visibleRows, selected - visibleRows / 2))
    }

    /// The columns shown in `width` cells and their widths: columns with a `hidePriority` are left out,
    /// lowest first, until the minimum widths fit (a `keepWhole` column's minimum is its widest cell; the
    /// sort column is never left out); then, left to right,
    /// each column grows towards its widest cell (title and sort arrow included) while room remains, and
    /// a left-aligned last column takes the rest. The last column may still be cut when even the kept columns do not fit.
    public func layout(width: Int) -> [(column: Int, width: Int)] {
        var shown = Array(columns.indices)
        // A column kept whole needs its widest cell; the others start at their fixed width.
        let minimum = columns.indices.map { i -> Int in
            // The sort column's title keeps its arrow.
            if i == sortColumn { return max(columns[i].width, DisplayWidth.of(columns[i].title) + 1) }
            guard columns[i].keepWhole else { return columns[i].width }
            var w = columns[i].width
            for row in rows where i < row.count && row[i].text.utf8.count > w {
                w = max(w, DisplayWidth.of(row[i].text))
            }
            return w
        }
        func total() -> Int { shown.reduce(0) { $0 + minimum[$1] } + max(0, shown.count - 1) }
        while total() > width {
            let candidates = shown.filter { columns[$0].hidePriority != nil && $0 != sortColumn }
            guard let drop = candidates.min(by: { columns[$0].hidePriority! < columns[$1].hidePriority! }) else {
                break
            }
            shown.removeAll { $0 == drop }
        }
        var extra = width - total()
        var out: [(column: Int, width: Int)] = []
        for i in shown {
            var natural = max(minimum[i], DisplayWidth.of(columns[i].title) + (sortColumn == i ? 1 : 0))
            // Measured only when the column could grow; a text never takes more columns than UTF-8 bytes.
            if extra > 0 {
                for row in rows where i < row.count && row[i].text.utf8.count > columns[i].width {
                    natural = max(natural, DisplayWidth.of(row[i].text))
                }
            }
            let grow = max(0, min(extra, natural - minimum[i]))
            extra -= grow
            out.append((i, minimum[i] + grow))
        }
        // A trailing text column (a reason, a source) takes what is left: less of it is cut.
        if extra > 0, let last = out.last, !columns[last.column].alignRight { out[out.count - 1].width += extra }
        return out
    }

    /// Draws into `rect` with the columns of `layout(width:)`. Returns the index of the first row shown.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer, rect: Rect, glyphs: BoxGlyphs) -> Int {
        guard rect.height > 0, rect.width > 0 else { return 0 }
        var x = rect.x
        var lefts: [Int] = []
        var widths: [Int] = []
        var shown: [Int] = []
        for (i, width) in layout(width: rect.width) {
            let remaining = rect.x + rect.width - x
            if remaining <= 0 { break }
            lefts.append(x)
            widths.append(min(width, remaining))
            shown.append(i)
            x += width + 1
        }
        for (k, i) in shown.enumerated() {
            let column = columns[i]
            var title = column.title
            if sortColumn == i { title += sortDescending ? (glyphs.isASCII ? "v" : "▼") : (glyphs.isASCII ? "^" : "▲") }
            let text = TextLayout.pad(title, to: widths[k], alignRight: column.alignRight, ellipsis: glyphs.ellipsis)
            buffer.put(text, x: lefts[k], y: rect.y, style: CellStyle(.title, bold: true, underline: sortColumn == i))
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
            for (k, i) in shown.enumerated() where i < rows[r].count {
                let cell = rows[r][i]
                let column = columns[i]
                let text = TextLayout.pad(
                    cell.text, to: widths[k], alignRight: column.alignRight, ellipsis: glyphs.ellipsis)
                let style = isSelected ? CellStyle(.selected, bold: true) : (cell.style ?? CellStyle())
                buffer.put(text, x: lefts[k], y: y, style: style)
            }
        }
        return first
    }
}
