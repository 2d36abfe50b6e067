import IndexCore
import TerminalUI

func drawExposure(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    let data = ViewData.exposure(ctx.snapshot)
    guard !data.indices.isEmpty else {
        buffer.put("no indices", x: rect.x, y: rect.y, style: CellStyle(.inactive))
        return
    }
    // Each index's share of the total, one line each (at most a third of the pane).
    buffer.put("share of total by index", x: rect.x, y: rect.y, style: CellStyle(.title, bold: true))
    var y = rect.y + 1
    let maxIndexLines = max(1, rect.height / 3 - 1)
    for line in data.indices.prefix(maxIndexLines) {
        shareLine(&buffer, ctx, x: rect.x, y: y, width: rect.width, line: line)
        y += 1
    }
    y += 1
    let tokens = ViewData.sortedExposure(data.tokens, ctx.state)
    let half = (rect.width - 1) / 2
    let height = rect.y + rect.height - y
    guard height >= 2 else { return }
    // Name columns as wide as their longest name (up to 16); the share bar takes what is left.
    func nameWidth(_ lines: [ViewData.ExposureLine], minimum: Int) -> Int {
        min(16, max(minimum, lines.map { DisplayWidth.of($0.name) }.max() ?? 0))
    }
    func columns(_ title: String, nameWidth: Int, width: Int) -> (columns: [TableColumn], bar: Int) {
        let bar = max(0, width - nameWidth - 24)
        return (
            [
                TableColumn(title, width: nameWidth), TableColumn("Value", width: 10, alignRight: true),
                TableColumn("Share", width: 7, alignRight: true), TableColumn("Idx", width: 3, alignRight: true),
                TableColumn("", width: bar),
            ], bar
        )
    }
    func rows(_ lines: [ViewData.ExposureLine], bar: Int, role: Role) -> [[TableCell]] {
        lines.map { l in
            let overexposed = l.share > 0.25
            return [
                TableCell(l.name, style: CellStyle(.main, bold: true)),
                TableCell(ctx.amount(Format.compactMoney(l.value))),
                TableCell(
                    Format.percent(l.share, decimals: 1),
                    style: CellStyle(overexposed ? .warning : .main, bold: overexposed)),
                TableCell(String(l.indices), style: CellStyle(.inactive)),
                TableCell(ConvictionBar.text(l.share, width: bar, glyphs: ctx.glyphs), style: CellStyle(role)),
            ]
        }
    }
    // Only the rows that can be on screen are formatted (the table keeps the selected row visible).
    let visible = Array(tokens.prefix(ctx.state.row + height + 1))
    let tokenLayout = columns("Token", nameWidth: nameWidth(visible, minimum: 6), width: half)
    let sort = Sorting.current(ctx.state)
    Table(
        columns: tokenLayout.columns, rows: rows(visible, bar: tokenLayout.bar, role: .chartMid),
        selected: ctx.state.row, sortColumn: sort?.column.column, sortDescending: sort?.descending ?? false
    )
    .draw(into: &buffer, rect: Rect(x: rect.x, y: y, width: half, height: height), glyphs: ctx.glyphs)
    var unfiltered = ctx.state
    unfiltered.filter = ""
    let sectors = Array(ViewData.sortedExposure(data.sectors, unfiltered).prefix(height))
    let sectorWidth = rect.width - half - 1
    let sectorLayout = columns("Sector", nameWidth: nameWidth(sectors, minimum: 6), width: sectorWidth)
    Table(
        columns: sectorLayout.columns, rows: rows(sectors, bar: sectorLayout.bar, role: .chartEnd),
        sortColumn: sort?.column.column, sortDescending: sort?.descending ?? false
    )
    .draw(
        into: &buffer, rect: Rect(x: rect.x + half + 1, y: y, width: sectorWidth, height: height),
        glyphs: ctx.glyphs)
}

private func shareLine(
    _ buffer: inout ScreenBuffer, _ ctx: RenderContext, x: Int, y: Int, width: Int, line: ViewData.ExposureLine
) {
    var col = x
    col += buffer.put(
        TextLayout.pad(line.name, to: 18, ellipsis: ctx.glyphs.ellipsis), x: col, y: y,
        style: CellStyle(.main, bold: true))
    col += buffer.put(
        TextLayout.pad(ctx.amount(Format.compactMoney(line.value)), to: 11, alignRight: true), x: col, y: y)
    col += buffer.put(TextLayout.pad(Format.percent(line.share, decimals: 1), to: 8, alignRight: true), x: col, y: y)
    let barWidth = max(0, x + width - col - 2)
    buffer.put(
        ConvictionBar.text(line.share, width: barWidth, glyphs: ctx.glyphs), x: col + 2, y: y,
        style: CellStyle(.chartStart))
}
