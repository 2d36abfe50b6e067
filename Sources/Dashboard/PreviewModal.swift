import IndexCore
import TerminalUI

/// One line of the preview's table: a trade (with its symbol's weights), a symbol held without a trade,
/// or a skipped trade with its reason.
public struct PreviewRow: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case trade(TradeRow)
        case hold
        case skipped(notional: Double, reason: String)
    }

    public var symbol: String
    public var kind: Kind
    public var weight: WeightRow?
}

/// The preview's rows: every trade in the planner's order, then the symbols held without a trade, then
/// the skipped trades. Each symbol carries its weight before, target and after. Shared by the modal
/// and the reducer's scrolling.
public func previewRows(_ p: RebalancePreview) -> [PreviewRow] {
    var weights: [String: WeightRow] = [:]
    for w in p.weights { weights[w.symbol] = w }
    var rows = p.trades.map { PreviewRow(symbol: $0.symbol, kind: .trade($0), weight: weights[$0.symbol]) }
    let traded = Set(p.trades.map(\.symbol))
    let skipped = Set(p.skipped.map(\.symbol))
    for w in p.weights where !traded.contains(w.symbol) && !skipped.contains(w.symbol) {
        rows.append(PreviewRow(symbol: w.symbol, kind: .hold, weight: w))
    }
    for s in p.skipped {
        rows.append(
            PreviewRow(
                symbol: s.symbol, kind: .skipped(notional: s.notional, reason: s.reason), weight: weights[s.symbol]))
    }
    return rows
}

/// Where the preview modal goes on a `width` × `height` terminal: its frame, the line of its table's
/// header (inside the frame) and how many table rows it shows.
func previewGeometry(_ p: RebalancePreview, notice: Bool, width: Int, height: Int) -> (
    rect: Rect, header: Int, visible: Int
) {
    let rows = previewRows(p).count
    let top = notice ? 5 : 4
    // The frame (2), the summary lines, the table header, the rows, the position line and the key line.
    let wanted = 2 + top + 1 + max(1, rows) + 2
    let rect = ModalBox.frame(
        width: 130, height: max(11, wanted), screenWidth: max(0, width - 2), screenHeight: max(0, height - 3))
    let placed = Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width, height: rect.height)
    let visible = max(1, placed.height - 2 - top - 1 - 2)
    return (placed, placed.y + 1 + top, visible)
}

/// Table rows the open preview shows (1 when no preview is open).
func previewVisibleRows(_ state: UIState) -> Int {
    guard let modal = state.modal, case .preview(let p, _, _) = modal.phase else { return 1 }
    return previewGeometry(p, notice: modal.notice != nil, width: state.width, height: state.height).visible
}

func drawRebalanceModal(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, modal: RebalanceModal) {
    let name = ctx.snapshot.indices.first { $0.slug == modal.slug }?.name ?? modal.slug
    guard case .preview(let p, let stale, let confirmedOnce) = modal.phase else {
        let rect = ModalBox.frame(width: 72, height: 9, screenWidth: buffer.width, screenHeight: buffer.height - 1)
        let inner = ModalBox.draw(into: &buffer, rect: rect, title: "rebalance \(name)", glyphs: ctx.glyphs)
        switch modal.phase {
        case .planning:
            buffer.put("planning the trades…", x: inner.x, y: inner.y)
        case .failed(let message):
            buffer.put("rebalance failed:", x: inner.x, y: inner.y, style: CellStyle(.alert, bold: true))
            buffer.put(message, x: inner.x, y: inner.y + 1, style: CellStyle(.alert), maxWidth: inner.width)
            buffer.put("Esc closes", x: inner.x, y: inner.y + inner.height - 1, style: CellStyle(.inactive))
        case .applying:
            buffer.put("applying…", x: inner.x, y: inner.y, style: CellStyle(.warning, bold: true))
        case .preview:
            break
        }
        return
    }
    let geometry = previewGeometry(p, notice: modal.notice != nil, width: buffer.width, height: buffer.height)
    let inner = ModalBox.draw(into: &buffer, rect: geometry.rect, title: "rebalance \(name)", glyphs: ctx.glyphs)
    var y = inner.y
    func line(_ text: String, _ style: CellStyle = CellStyle()) {
        guard y < inner.y + inner.height else { return }
        buffer.put(text, x: inner.x, y: y, style: style, maxWidth: inner.width)
        y += 1
    }
    let money = { (v: Double) in ctx.amount(Format.money(v)) }
    line(
        "\(p.trigger) rebalance preview · \(p.trades.count) trades · \(p.skipped.count) skipped · \(p.slug)",
        CellStyle(.title, bold: true))
    line("NAV before \(money(p.navBefore)) → after \(money(p.navAfter))   cash after \(money(p.cashAfter))")
    line(
        "turnover \(Format.percent(p.turnover, decimals: 2))   fees \(money(p.fees))   slippage \(money(p.slippage))"
            + "   costs \(money(p.costs))")
    let age = ctx.state.now - p.pricesTime
    if stale {
        line(
            "STALE prices: newest is \(Format.age(age)) old (\(Format.dateTime(p.pricesTime)) UTC)",
            CellStyle(.stale, bold: true, reverse: true))
    } else {
        line("prices as of \(Format.dateTime(p.pricesTime)) UTC (\(Format.age(age)) ago)", CellStyle(.inactive))
    }
    if let notice = modal.notice { line(notice, CellStyle(.alert, bold: true)) }
    let rows = previewRows(p)
    let first = max(0, min(modal.scroll, rows.count - geometry.visible))
    let shown = Array(rows[first..<min(rows.count, first + geometry.visible)])
    drawPreviewTable(
        &buffer, ctx, rect: Rect(x: inner.x, y: geometry.header, width: inner.width, height: geometry.visible + 1),
        rows: shown)
    y = inner.y + inner.height - 2
    if rows.isEmpty {
        buffer.put("no trades needed", x: inner.x, y: geometry.header + 1, style: CellStyle(.inactive))
    }
    let last = min(rows.count, first + geometry.visible)
    let position =
        rows.count > geometry.visible
        ? "rows \(first + 1)–\(last) of \(rows.count) · j/k scroll, PgUp/PgDn page"
        : "\(rows.count) rows"
    line(position, CellStyle(rows.count > geometry.visible ? .warning : .inactive))
    if stale && confirmedOnce {
        line("prices are STALE: press y AGAIN to apply anyway, n/Esc cancels", CellStyle(.alert, bold: true))
    } else if stale {
        line("y apply (needs a second y: STALE)   n/Esc cancel", CellStyle(.warning, bold: true))
    } else {
        line("y apply   n/Esc cancel", CellStyle(.hi, bold: true))
    }
}

/// The preview's table: side, symbol, quantity, price, notional, fee, slippage, weights before / target /
/// after, and the reason of a skipped trade. Narrow modals leave out price, slippage and fee first.
private func drawPreviewTable(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect, rows: [PreviewRow]) {
    let columns = [
        TableColumn("Side", width: 4), TableColumn("Sym", width: 6),
        TableColumn("Qty", width: 10, alignRight: true, keepWhole: true),
        TableColumn("Price", width: 9, alignRight: true, hidePriority: 3, keepWhole: true),
        TableColumn("Notional", width: 9, alignRight: true),
        TableColumn("Fee", width: 7, alignRight: true, hidePriority: 2),
        TableColumn("Slippage", width: 8, alignRight: true, hidePriority: 1),
        TableColumn("Before", width: 6, alignRight: true, hidePriority: 5),
        TableColumn("Target", width: 6, alignRight: true),
        TableColumn("After", width: 6, alignRight: true, hidePriority: 4),
        TableColumn("Note", width: 4, hidePriority: 6),
    ]
    let pct = { (v: Double?) in v.map { Format.percent($0, decimals: 1) } ?? "-" }
    let cells: [[TableCell]] = rows.map { row in
        let w = [pct(row.weight?.before), pct(row.weight?.target), pct(row.weight?.after)].map { TableCell($0) }
        let sym = TableCell(row.symbol, style: CellStyle(.main, bold: true))
        switch row.kind {
        case .trade(let t):
            return [
                TableCell(t.side.rawValue, style: CellStyle(t.side == .buy ? .gain : .loss, bold: true)), sym,
                TableCell(ctx.amount(Format.quantity(t.quantity))), TableCell(Format.price(t.price)),
                TableCell(ctx.amount(Format.money(t.notional))), TableCell(ctx.amount(Format.money(t.fee))),
                TableCell(ctx.amount(Format.money(t.slippage))),
            ] + w + [TableCell("")]
        case .hold:
            return [TableCell("hold", style: CellStyle(.inactive)), sym] + Array(repeating: TableCell(""), count: 5)
                + w + [TableCell("no trade", style: CellStyle(.inactive))]
        case .skipped(let notional, let reason):
            return [
                TableCell("skip", style: CellStyle(.warning, bold: true)), sym, TableCell(""), TableCell(""),
                TableCell(ctx.amount(Format.money(notional))), TableCell(""), TableCell(""),
            ]
                + w + [TableCell(reason, style: CellStyle(.warning))]
        }
    }
    Table(columns: columns, rows: cells).draw(into: &buffer, rect: rect, glyphs: ctx.glyphs)
}
