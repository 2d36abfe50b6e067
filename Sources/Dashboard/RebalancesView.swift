import IndexCore
import TerminalUI

func drawRebalances(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    guard let index = ctx.index else {
        buffer.put("no indices", x: rect.x, y: rect.y, style: CellStyle(.inactive))
        return
    }
    if let drill = ctx.state.drill, let rebalance = index.rebalances.first(where: { $0.id == drill }) {
        drawTrades(&buffer, ctx, rect: rect, rebalance: rebalance)
        return
    }
    if index.rebalances.isEmpty {
        buffer.put("no rebalances yet (r previews one)", x: rect.x, y: rect.y, style: CellStyle(.inactive))
        return
    }
    let columns = [
        TableColumn("#", width: 4, alignRight: true), TableColumn("Time (UTC)", width: 11),
        TableColumn("Trigger", width: 9, hidePriority: 4), TableColumn("Status", width: 7, hidePriority: 5),
        TableColumn("NAV before", width: 10, alignRight: true, hidePriority: 1),
        TableColumn("NAV after", width: 10, alignRight: true), TableColumn("Turnover", width: 8, alignRight: true),
        TableColumn("Costs", width: 9, alignRight: true, hidePriority: 3),
        TableColumn("Reason", width: 10, hidePriority: 2),
    ]
    let cells: [[TableCell]] = ViewData.rebalances(index, ctx.state).map { r in
        [
            TableCell(String(r.id), style: CellStyle(.inactive)),
            TableCell(Format.shortDateTime(r.time, now: ctx.state.now)),
            TableCell(r.trigger, style: CellStyle(r.trigger == "manual" ? .hi : .main)),
            TableCell(r.status, style: CellStyle(r.status == "applied" ? .gain : .warning)),
            TableCell(ctx.amount(Format.compactMoney(r.navBefore))),
            TableCell(ctx.amount(Format.compactMoney(r.navAfter))),
            TableCell(Format.percent(r.turnover, decimals: 1)),
            TableCell(ctx.amount(Format.compactMoney(r.costs))),
            TableCell(r.reason.isEmpty ? "-" : r.reason, style: CellStyle(.inactive)),
        ]
    }
    let sort = Sorting.current(ctx.state)
    Table(
        columns: columns, rows: cells, selected: ctx.state.row, sortColumn: sort?.column.column,
        sortDescending: sort?.descending ?? false
    )
    .draw(into: &buffer, rect: rect, glyphs: ctx.glyphs)
}

private func drawTrades(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect, rebalance r: RebalanceRow) {
    // The key hint on the first line, short enough to stay on screen at 86 columns; the costs below it.
    let title =
        "#\(r.id) \(Format.dateTime(r.time).prefix(16)) \(r.trigger) · \(r.trades.count) trades · turnover "
        + "\(Format.percent(r.turnover, decimals: 1)) · Esc back"
    buffer.put(title, x: rect.x, y: rect.y, style: CellStyle(.title, bold: true), maxWidth: rect.width)
    let costs =
        "fees \(ctx.amount(Format.money(r.fees))) · slippage \(ctx.amount(Format.money(r.slippage))) · costs "
        + "\(ctx.amount(Format.money(r.costs)))"
    buffer.put(costs, x: rect.x, y: rect.y + 1, style: CellStyle(.inactive), maxWidth: rect.width)
    if r.trades.isEmpty {
        buffer.put("no trades", x: rect.x, y: rect.y + 3, style: CellStyle(.inactive))
        return
    }
    let reserved = r.execution?.lines ?? 0
    drawTradeTable(
        &buffer, ctx, rect: Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2 - reserved),
        trades: r.trades, selected: ctx.state.row)
    r.execution?.draw(&buffer, ctx, rect: rect)  // ExecutionView.swift
}

/// The trades of a rebalance: side, symbol, quantity, price, notional, fee, slippage.
func drawTradeTable(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect, trades: [TradeRow], selected: Int?)
{
    let columns = [
        TableColumn("Side", width: 4), TableColumn("Sym", width: 6),
        TableColumn("Qty", width: 12, alignRight: true, keepWhole: true),
        TableColumn("Price", width: 10, alignRight: true, hidePriority: 2, keepWhole: true),
        TableColumn("Notional", width: 11, alignRight: true),
        TableColumn("Fee", width: 8, alignRight: true, hidePriority: 1),
        TableColumn("Slippage", width: 8, alignRight: true, hidePriority: 0),
    ]
    let cells: [[TableCell]] = trades.map { t in
        [
            TableCell(t.side.rawValue, style: CellStyle(t.side == .buy ? .gain : .loss, bold: true)),
            TableCell(t.symbol, style: CellStyle(.main, bold: true)),
            TableCell(ctx.amount(Format.quantity(t.quantity))), TableCell(Format.price(t.price)),
            TableCell(ctx.amount(Format.compactMoney(t.notional))), TableCell(ctx.amount(Format.money(t.fee))),
            TableCell(ctx.amount(Format.money(t.slippage))),
        ]
    }
    Table(columns: columns, rows: cells, selected: selected).draw(into: &buffer, rect: rect, glyphs: ctx.glyphs)
}
