import TerminalUI

func drawSignals(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    let rows = ViewData.signals(ctx.snapshot, ctx.state)
    if ctx.snapshot.signals.isEmpty {
        buffer.put("no signals yet", x: rect.x, y: rect.y, style: CellStyle(.inactive, bold: true))
        buffer.put(
            "signals appear once prices have enough history (indextop signals) or are imported",
            x: rect.x, y: rect.y + 1, style: CellStyle(.inactive), maxWidth: rect.width)
        return
    }
    if let regime = ctx.snapshot.regime {
        let text =
            "regime: risk \(regime.risk) · breadth \(Format.percent(regime.breadth, decimals: 0)) · BTC \(regime.btcTrend)"
        buffer.put(text, x: rect.x, y: rect.y, style: CellStyle(.inactive), maxWidth: rect.width)
    }
    if rows.isEmpty {
        buffer.put("no signals match \"\(ctx.state.filter)\"", x: rect.x, y: rect.y + 2, style: CellStyle(.inactive))
        return
    }
    let held = Set(ctx.index?.holdings.map(\.symbol) ?? [])
    let columns = [
        TableColumn("Sym", width: 7), TableColumn("Signal", width: 8), TableColumn("Conviction", width: 10),
        TableColumn("Score", width: 6, alignRight: true), TableColumn("RSI", width: 5, alignRight: true, hidePriority: 4),
        TableColumn("MACD h", width: 9, alignRight: true, hidePriority: 2),
        TableColumn("ROC7", width: 7, alignRight: true, hidePriority: 3),
        TableColumn("ROC30", width: 7, alignRight: true, hidePriority: 5), TableColumn("Source", width: 8, hidePriority: 1),
    ]
    func num(_ v: Double?, _ d: Int) -> String { v.map { Format.fixed($0, d) } ?? "-" }
    let cells: [[TableCell]] = rows.map { s in
        let role = RenderContext.labelRole(s.label)
        return [
            TableCell((held.contains(s.symbol) ? "*" : " ") + s.symbol, style: CellStyle(.main, bold: true)),
            TableCell(s.label, style: CellStyle(role, bold: true)),
            TableCell(ConvictionBar.text(s.conviction, width: 10, glyphs: ctx.glyphs), style: CellStyle(role)),
            TableCell(Format.fixed(s.score, 2), style: CellStyle(role)),
            TableCell(num(s.rsi, 1)), TableCell(num(s.macdHist, 3)),
            TableCell(
                s.roc7.map { Format.fixed($0, 1) + "%" } ?? "-", style: CellStyle(RenderContext.changeRole(s.roc7))),
            TableCell(
                s.roc30.map { Format.fixed($0, 1) + "%" } ?? "-", style: CellStyle(RenderContext.changeRole(s.roc30))),
            TableCell(s.source, style: CellStyle(.inactive)),
        ]
    }
    let tableHeight = max(3, rect.height - 5)
    Table(columns: columns, rows: cells, selected: ctx.state.row)
        .draw(
            into: &buffer, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: tableHeight - 1),
            glyphs: ctx.glyphs)
    // The selected token's votes: why it is bullish, neutral or bearish.
    let selected = rows[min(ctx.state.row, rows.count - 1)]
    var y = rect.y + tableHeight
    buffer.drawRule(x: rect.x, y: y, width: rect.width, glyphs: ctx.glyphs)
    buffer.put(" votes for \(selected.symbol) ", x: rect.x + 2, y: y, style: CellStyle(.title, bold: true))
    y += 1
    var x = rect.x
    for vote in selected.votes {
        let mark = vote.vote > 0 ? "+1" : vote.vote < 0 ? "-1" : " 0"
        let text = "\(mark) \(vote.rule)"
        let w = DisplayWidth.of(text) + 3
        if x + w > rect.x + rect.width {
            x = rect.x
            y += 1
        }
        if y >= rect.y + rect.height { break }
        let role: Role = vote.vote > 0 ? .bullish : vote.vote < 0 ? .bearish : .neutral
        buffer.put(text, x: x, y: y, style: CellStyle(role))
        x += w
    }
    if selected.votes.isEmpty { buffer.put("(no votes recorded)", x: rect.x, y: y, style: CellStyle(.inactive)) }
}
