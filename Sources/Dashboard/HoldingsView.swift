import IndexCore
import TerminalUI

/// The one-line methodology summary above the holdings (DESIGN §10): type, cap, universe, schedule,
/// next rebalance, costs.
func methodologyLine(_ index: IndexSnapshot, now: Int64) -> String {
    let m = index.methodology
    var parts = [m.type]
    if let cap = m.cap { parts.append("cap \(Format.percent(cap, decimals: 0))") }
    parts.append(m.universe)
    parts.append(m.schedule)
    if index.driftBand > 0 { parts.append("band \(Format.percent(index.driftBand, decimals: 1))") }
    if index.rebalanceDue {
        parts.append("rebalance DUE")
    } else if let next = index.nextRebalance {
        parts.append("next \(Format.shortDateTime(next, now: now))")
    }
    parts.append("fees \(Format.fixed(m.feesBps, 0))bp slip \(Format.fixed(m.slippageBps, 0))bp")
    return parts.joined(separator: " · ")
}

/// Short label of a signal for tables.
func shortLabel(_ label: SignalLabel) -> String {
    switch label {
    case .bullish: return "bull"
    case .bearish: return "bear"
    case .neutral: return "neut"
    }
}

func drawHoldings(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    guard let index = ctx.index else {
        buffer.put(
            "no indices yet: run `indextop init --demo` or `indextop index create FILE`", x: rect.x, y: rect.y,
            style: CellStyle(.inactive), maxWidth: rect.width)
        return
    }
    let line = methodologyLine(index, now: ctx.state.now) + " · cash " + ctx.amount(Format.compactMoney(index.cash))
    buffer.put(
        TextLayout.truncate(line, to: rect.width, ellipsis: ctx.glyphs.ellipsis), x: rect.x, y: rect.y,
        style: CellStyle(.inactive))
    let rows = ViewData.holdings(index, ctx.state)
    if rows.isEmpty {
        let text = ctx.state.filter.isEmpty ? "no holdings" : "no holdings match \"\(ctx.state.filter)\""
        buffer.put(text, x: rect.x, y: rect.y + 2, style: CellStyle(.inactive))
        return
    }
    // Narrow panes leave out target, signal, 24h, drift, P&L and price, in that order.
    let columns = [
        TableColumn("Sym", width: 6), TableColumn("Qty", width: 10, alignRight: true, keepWhole: true),
        TableColumn("Price", width: 10, alignRight: true, hidePriority: 6, keepWhole: true),
        TableColumn("Value", width: 9, alignRight: true), TableColumn("Wt", width: 5, alignRight: true),
        TableColumn("Tgt", width: 5, alignRight: true, hidePriority: 1),
        TableColumn("Drift", width: 6, alignRight: true, hidePriority: 4),
        TableColumn("24h", width: 6, alignRight: true, hidePriority: 3),
        TableColumn("Signal", width: 10, hidePriority: 2),
        TableColumn("P&L", width: 9, alignRight: true, hidePriority: 5),
    ]
    let visible = max(0, rect.height - 2)
    let first = Table.scrollOffset(selected: ctx.state.row, count: rows.count, visibleRows: visible)
    var cells: [[TableCell]] = Array(repeating: [], count: rows.count)
    for r in first..<min(rows.count, first + visible) {
        let h = rows[r]
        let flash = ctx.state.flashes[h.symbol]
        let priceStyle: CellStyle? = flash.map { CellStyle($0 > 0 ? .gain : .loss, bold: true) }
        let overBand = index.driftBand > 0 && abs(h.drift) > index.driftBand
        var signal = TableCell("-", style: CellStyle(.inactive))
        if let s = h.signal {
            signal = TableCell(
                shortLabel(s.label) + " " + ConvictionBar.text(s.conviction, width: 5, glyphs: ctx.glyphs),
                style: CellStyle(RenderContext.labelRole(s.label)))
        }
        cells[r] = [
            TableCell(h.symbol, style: CellStyle(.main, bold: true)),
            TableCell(ctx.amount(Format.quantity(h.quantity))),
            TableCell(Format.price(h.price), style: priceStyle),
            TableCell(ctx.amount(Format.compactMoney(h.value))),
            TableCell(Format.percent(h.weight, decimals: 1)),
            TableCell(Format.percent(h.target, decimals: 1), style: CellStyle(.inactive)),
            TableCell(
                Format.percent(h.drift, signed: true, decimals: 1),
                style: CellStyle(overBand ? .warning : .main, bold: overBand)),
            TableCell(
                Format.percent(h.change24h, signed: true, decimals: 1),
                style: CellStyle(RenderContext.changeRole(h.change24h))),
            signal,
            TableCell(
                h.pnl.map { ctx.amount(Format.compactMoney($0)) } ?? "-",
                style: CellStyle(RenderContext.changeRole(h.pnl))),
        ]
    }
    let table = Table(
        columns: columns, rows: cells, selected: ctx.state.row,
        sortColumn: ctx.state.sort.column,
        sortDescending: Sorting.current(ctx.state, view: .holdings)?.descending ?? true)
    table.draw(
        into: &buffer, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1),
        glyphs: ctx.glyphs)
}
