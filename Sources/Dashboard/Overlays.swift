import TerminalUI

func drawHelp(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, themeName: String) {
    let commands = KeyCommand.allCases
    let rows = (commands.count + 1) / 2
    // Two columns of key + description, a blank line and the footer, inside the frame and its padding.
    let rect = ModalBox.frame(
        width: 76, height: rows + 4, screenWidth: buffer.width, screenHeight: buffer.height - 1)
    let inner = ModalBox.draw(into: &buffer, rect: rect, title: "help", glyphs: ctx.glyphs)
    let half = inner.width / 2
    for (i, command) in commands.enumerated() {
        let keys = (ctx.state.keyMap.keys[command] ?? []).map(\.label).joined(separator: " ")
        let x = inner.x + (i < rows ? 0 : half)
        let y = inner.y + (i % rows)
        guard y < inner.y + inner.height - 2 else { continue }
        buffer.put(TextLayout.pad(keys, to: 9), x: x, y: y, style: CellStyle(.hi, bold: true))
        buffer.put(command.help, x: x + 10, y: y, maxWidth: half - 11)
    }
    let footer = "theme \(themeName) · mouse: click selects, wheel scrolls · any key closes"
    buffer.put(footer, x: inner.x, y: inner.y + inner.height - 1, style: CellStyle(.inactive), maxWidth: inner.width)
}

func drawRebalanceModal(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, modal: RebalanceModal) {
    let name = ctx.snapshot.indices.first { $0.slug == modal.slug }?.name ?? modal.slug
    // Tall enough for the preview's trades (four lines, the table, a blank and the key line), at most 24.
    var height = 9
    if case .preview(let p, _, _) = modal.phase { height = min(24, max(9, p.trades.count + 9)) }
    let rect = ModalBox.frame(width: 72, height: height, screenWidth: buffer.width, screenHeight: buffer.height - 1)
    let inner = ModalBox.draw(into: &buffer, rect: rect, title: "rebalance \(name)", glyphs: ctx.glyphs)
    var y = inner.y
    func line(_ text: String, _ style: CellStyle = CellStyle()) {
        guard y < inner.y + inner.height else { return }
        buffer.put(text, x: inner.x, y: y, style: style, maxWidth: inner.width)
        y += 1
    }
    switch modal.phase {
    case .planning:
        line("planning the trades…")
    case .failed(let message):
        line("rebalance failed:", CellStyle(.alert, bold: true))
        line(message, CellStyle(.alert))
        y = inner.y + inner.height - 1
        line("Esc closes", CellStyle(.inactive))
    case .applying:
        line("applying…", CellStyle(.warning, bold: true))
    case .preview(let p, let stale, let confirmedOnce):
        line("manual rebalance preview · \(p.trades.count) trades", CellStyle(.title, bold: true))
        line(
            "NAV before \(ctx.amount(Format.money(p.navBefore)))   after \(ctx.amount(Format.money(p.navAfter)))")
        line(
            "turnover \(Format.percent(p.turnover, decimals: 1))   fees \(ctx.amount(Format.money(p.fees)))   "
                + "slippage \(ctx.amount(Format.money(p.slippage)))")
        let age = ctx.state.now - p.pricesTime
        if stale {
            line(
                "STALE prices: newest is \(Format.age(age)) old (\(Format.dateTime(p.pricesTime)) UTC)",
                CellStyle(.stale, bold: true, reverse: true))
        } else {
            line("prices as of \(Format.dateTime(p.pricesTime)) UTC (\(Format.age(age)) ago)", CellStyle(.inactive))
        }
        let tableHeight = max(2, inner.y + inner.height - y - 2)
        if p.trades.isEmpty {
            line("no trades needed: weights are within costs and the minimum trade", CellStyle(.inactive))
        } else {
            drawTradeTable(
                &buffer, ctx, rect: Rect(x: inner.x, y: y, width: inner.width, height: tableHeight),
                trades: p.trades, selected: nil)
            // A small terminal shows the first trades: say how many more the apply would make.
            let hidden = p.trades.count - (tableHeight - 1)
            if hidden > 0 {
                buffer.put(
                    "+\(hidden) more trade\(hidden == 1 ? "" : "s")", x: inner.x, y: y + tableHeight,
                    style: CellStyle(.warning, bold: true), maxWidth: inner.width)
            }
        }
        y = inner.y + inner.height - 1
        if stale && confirmedOnce {
            line("prices are STALE: press y AGAIN to apply anyway, n/Esc cancels", CellStyle(.alert, bold: true))
        } else if stale {
            line("y apply (needs a second y: STALE)   n/Esc cancel", CellStyle(.warning, bold: true))
        } else {
            line("y apply   n/Esc cancel", CellStyle(.hi, bold: true))
        }
    }
}
