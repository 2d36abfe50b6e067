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
    let tokens = data.tokens.filter { ViewData.matches(ctx.state.filter, $0.name) }
    let half = (rect.width - 1) / 2
    let height = rect.y + rect.height - y
    guard height >= 2 else { return }
    let columns = [
        TableColumn("Token", width: 8), TableColumn("Value", width: 10, alignRight: true),
        TableColumn("Share", width: 7, alignRight: true), TableColumn("Idx", width: 3, alignRight: true),
        TableColumn("", width: max(0, half - 32)),
    ]
    // Cells only for the rows on screen.
    func rows(_ lines: [ViewData.ExposureLine], selected: Int) -> [[TableCell]] {
        let first = Table.scrollOffset(selected: selected, count: lines.count, visibleRows: height - 1)
        let window = first..<min(lines.count, first + height - 1)
        return lines.enumerated().map { (i, l) in
            guard window.contains(i) else { return [] }
            let overexposed = l.share > 0.25
            return [
                TableCell(l.name, style: CellStyle(.main, bold: true)),
                TableCell(ctx.amount(Format.compactMoney(l.value))),
                TableCell(
                    Format.percent(l.share, decimals: 1),
                    style: CellStyle(overexposed ? .warning : .main, bold: overexposed)),
                TableCell(String(l.indices), style: CellStyle(.inactive)),
                TableCell(
                    ConvictionBar.text(l.share, width: max(0, half - 32), glyphs: ctx.glyphs),
                    style: CellStyle(.chartMid)),
            ]
        }
    }
    Table(columns: columns, rows: rows(tokens, selected: ctx.state.row), selected: ctx.state.row)
        .draw(into: &buffer, rect: Rect(x: rect.x, y: y, width: half, height: height), glyphs: ctx.glyphs)
    var sectorColumns = columns
    sectorColumns[0] = TableColumn("Sector", width: 10)
    sectorColumns[4] = TableColumn("", width: max(0, half - 34))
    let sectorRows = rows(data.sectors, selected: 0).map { row -> [TableCell] in
        guard !row.isEmpty else { return row }
        var r = row
        let share = data.sectors.first { $0.name == r[0].text }?.share ?? 0
        r[4] = TableCell(
            ConvictionBar.text(share, width: max(0, half - 34), glyphs: ctx.glyphs), style: CellStyle(.chartEnd))
        return r
    }
    Table(columns: sectorColumns, rows: sectorRows)
        .draw(
            into: &buffer, rect: Rect(x: rect.x + half + 1, y: y, width: rect.width - half - 1, height: height),
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
