/// A row of tab labels with the active one highlighted.
public enum Tabs {
    /// Draws `labels` from (`x`, `y`) within `width`; returns the column ranges of the labels drawn (for clicks).
    @discardableResult
    public static func draw(
        into buffer: inout ScreenBuffer, labels: [String], active: Int, x: Int, y: Int, width: Int
    ) -> [Range<Int>] {
        var col = x
        var ranges: [Range<Int>] = []
        for (i, label) in labels.enumerated() {
            let text = " \(label) "
            let w = DisplayWidth.of(text)
            if col + w > x + width { break }
            let style = i == active ? CellStyle(.selected, bold: true) : CellStyle(.inactive)
            buffer.put(text, x: col, y: y, style: style)
            ranges.append(col..<(col + w))
            col += w + 1
        }
        return ranges
    }
}

extension Tabs {
    /// The column ranges `draw` gives each label (labels that do not fit are left out), without drawing.
    public static func ranges(labels: [String], x: Int, width: Int) -> [Range<Int>] {
        var col = x
        var ranges: [Range<Int>] = []
        for label in labels {
            let w = DisplayWidth.of(label) + 2
            if col + w > x + width { break }
            ranges.append(col..<(col + w))
            col += w + 1
        }
        return ranges
    }
}
