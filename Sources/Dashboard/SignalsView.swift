import IndexCore
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
    var intro: [String] = []
    if let regime = ctx.snapshot.regime {
        intro.append(
            "regime: risk \(regime.risk.rawValue) · \(Format.percent(regime.breadth, decimals: 0)) bearish · BTC \(regime.btcTrend)"
        )
    }
    if ctx.state.allSignals || ctx.index == nil {
        intro.append("all \(ctx.snapshot.signals.count) tokens (a: this index)")
    } else {
        let tokens = rows.count == 1 ? "1 token" : "\(rows.count) tokens"
        intro.append("\(tokens) of \(ctx.index?.name ?? "") (a: all \(ctx.snapshot.signals.count))")
    }
    // The scope first when the line is cut: it says what the table holds.
    let introText = (intro.count == 2 ? [intro[1], intro[0]] : intro).joined(separator: " · ")
    buffer.put(
        TextLayout.truncate(introText, to: rect.width, ellipsis: ctx.glyphs.ellipsis), x: rect.x, y: rect.y,
        style: CellStyle(.inactive))
    if rows.isEmpty {
        let text =
            ctx.state.filter.isEmpty
            ? "no signals for this index's tokens: a shows all tokens" : "no signals match \"\(ctx.state.filter)\""
        buffer.put(text, x: rect.x, y: rect.y + 2, style: CellStyle(.inactive), maxWidth: rect.width)
        return
    }
    let held = Set(ctx.index?.holdings.map(\.symbol) ?? [])
    let columns = [
        TableColumn("Sym", width: 7), TableColumn("Signal", width: 8), TableColumn("Conviction", width: 10),
        TableColumn("Score", width: 6, alignRight: true),
        TableColumn("RSI", width: 5, alignRight: true, hidePriority: 4),
        TableColumn("MACD h", width: 9, alignRight: true, hidePriority: 2),
        TableColumn("ROC7", width: 7, alignRight: true, hidePriority: 3),
        TableColumn("ROC30", width: 7, alignRight: true, hidePriority: 5),
        TableColumn("Source", width: 8, hidePriority: 1),
    ]
    func num(_ v: Double?, _ d: Int) -> String { v.map { Format.fixed($0, d) } ?? "-" }
    let cells: [[TableCell]] = rows.map { s in
        let role = RenderContext.labelRole(s.label)
        return [
            TableCell((held.contains(s.symbol) ? "*" : " ") + s.symbol, style: CellStyle(.main, bold: true)),
            TableCell(s.label.rawValue, style: CellStyle(role, bold: true)),
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
    let selected = rows[min(ctx.state.row, rows.count - 1)]
    let panel = votesPanel(selected, width: rect.width, contentHeight: rect.height)
    // The votes follow the table (intro line, header, rows), or sit at the bottom when the table scrolls.
    let tableHeight = min(rect.height - panel.lines, rows.count + 2)
    let sort = Sorting.current(ctx.state)
    Table(
        columns: columns, rows: cells, selected: ctx.state.row, sortColumn: sort?.column.column,
        sortDescending: sort?.descending ?? false
    )
    .draw(
        into: &buffer, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: tableHeight - 1),
        glyphs: ctx.glyphs)
    // The selected token's votes, in a grid: why it is bullish, neutral or bearish.
    var y = rect.y + tableHeight
    buffer.drawRule(x: rect.x, y: y, width: rect.width, glyphs: ctx.glyphs)
    let up = selected.votes.filter { $0.vote > 0 }.count
    let down = selected.votes.filter { $0.vote < 0 }.count
    let title =
        " votes for \(selected.symbol): \(selected.label.rawValue) \(Format.fixed(selected.score, 2)) · "
        + "\(up) up, \(down) down, \(selected.votes.count - up - down) neutral "
    buffer.put(title, x: rect.x + 2, y: y, style: CellStyle(.title, bold: true), maxWidth: rect.width - 4)
    y += 1
    if selected.votes.isEmpty {
        buffer.put("(no votes recorded)", x: rect.x, y: y, style: CellStyle(.inactive))
        return
    }
    let columnWidth = rect.width / panel.columns
    for (i, vote) in selected.votes.enumerated() {
        let line = i / panel.columns
        guard line < panel.lines - 1 else { break }
        let mark = vote.vote > 0 ? "+1" : vote.vote < 0 ? "-1" : " 0"
        let role: Role = vote.vote > 0 ? .bullish : vote.vote < 0 ? .bearish : .neutral
        let x = rect.x + (i % panel.columns) * columnWidth
        buffer.put(mark, x: x, y: y + line, style: CellStyle(role, bold: vote.vote != 0))
        buffer.put(
            TextLayout.truncate(vote.rule, to: columnWidth - 4, ellipsis: ctx.glyphs.ellipsis), x: x + 3, y: y + line,
            style: CellStyle(vote.vote == 0 ? .inactive : .main))
    }
}

/// The votes panel under the signals table: grid columns (one per 40 cells, up to 3) and the lines it
/// takes with its rule, leaving the table at least four lines.
func votesPanel(_ signal: SignalRow?, width: Int, contentHeight: Int) -> (columns: Int, lines: Int) {
    let columns = max(1, min(3, width / 40))
    let votes = max(1, signal?.votes.count ?? 1)
    let wanted = 1 + (votes + columns - 1) / columns
    return (columns, max(2, min(wanted, contentHeight - 5)))
}
