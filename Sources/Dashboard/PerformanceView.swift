import IndexCore
import TerminalUI

func drawPerformance(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    guard let index = ctx.index else {
        buffer.put("no indices", x: rect.x, y: rect.y, style: CellStyle(.inactive))
        return
    }
    let figuresWidth = 46
    // The chart reads best wide: figures go below it when that leaves the chart ten rows, beside it otherwise.
    let figuresHeight = 12
    let sideBySide = rect.height < figuresHeight + 10 && rect.width >= figuresWidth + 30
    let chartRect: Rect
    let figuresRect: Rect
    if sideBySide {
        chartRect = Rect(x: rect.x, y: rect.y, width: rect.width - figuresWidth - 1, height: rect.height)
        figuresRect = Rect(x: rect.x + rect.width - figuresWidth, y: rect.y, width: figuresWidth, height: rect.height)
    } else {
        let ch = max(3, rect.height - figuresHeight)
        chartRect = Rect(x: rect.x, y: rect.y, width: rect.width, height: ch)
        figuresRect = Rect(x: rect.x, y: rect.y + ch, width: rect.width, height: rect.height - ch)
    }
    drawNavChart(&buffer, ctx, rect: chartRect, index: index)
    drawFigures(&buffer, ctx, rect: figuresRect, index: index)
}

private func drawNavChart(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect, index: IndexSnapshot) {
    let values = index.navSeries.map(\.value)
    buffer.put("NAV per unit", x: rect.x, y: rect.y, style: CellStyle(.title, bold: true))
    guard values.count >= 2, let lo = values.min(), let hi = values.max(), rect.height >= 4 else {
        buffer.put("not enough history for a chart", x: rect.x, y: rect.y + 1, style: CellStyle(.inactive))
        return
    }
    let axis =
        max(DisplayWidth.of(Format.fixed(hi, 2, grouped: true)), DisplayWidth.of(Format.fixed(lo, 2, grouped: true)))
        + 1
    let plot = Rect(x: rect.x + axis + 1, y: rect.y + 1, width: rect.width - axis - 1, height: rect.height - 2)
    buffer.put(
        TextLayout.pad(Format.fixed(hi, 2, grouped: true), to: axis, alignRight: true), x: rect.x, y: plot.y,
        style: CellStyle(.inactive))
    buffer.put(
        TextLayout.pad(Format.fixed(lo, 2, grouped: true), to: axis, alignRight: true), x: rect.x,
        y: plot.y + plot.height - 1, style: CellStyle(.inactive))
    for row in plot.y..<(plot.y + plot.height) {
        buffer[rect.x + axis, row] = Cell(char: ctx.glyphs.vertical, style: CellStyle(.divLine))
    }
    LineChart.draw(into: &buffer, rect: plot, values: values, mode: ctx.chartMode)
    if let first = index.navSeries.first, let last = index.navSeries.last {
        let caption = "\(Format.dateTime(first.time).prefix(10)) → \(Format.dateTime(last.time).prefix(10))"
        buffer.put(caption, x: plot.x, y: plot.y + plot.height, style: CellStyle(.inactive), maxWidth: plot.width)
    }
}

private func drawFigures(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect, index: IndexSnapshot) {
    let m = index.metrics
    let b = index.btcMetrics
    let h = index.buyHoldMetrics
    let lines: [(String, (Metrics?) -> String, (Metrics?) -> Double?)] = [
        ("24h", { Format.percent($0?.return24h, signed: true) }, { $0?.return24h }),
        ("7d", { Format.percent($0?.return7d, signed: true) }, { $0?.return7d }),
        ("30d", { Format.percent($0?.return30d, signed: true) }, { $0?.return30d }),
        ("All", { Format.percent($0?.returnAll, signed: true) }, { $0?.returnAll }),
        ("Volatility", { Format.percent($0?.volatility, decimals: 1) }, { _ in nil }),
        ("Max drawdown", { Format.percent($0?.maxDrawdown, decimals: 1) }, { _ in nil }),
        ("Sharpe", { Format.ratio($0?.sharpe) }, { _ in nil }),
        ("Sortino", { Format.ratio($0?.sortino) }, { _ in nil }),
    ]
    let columns = [
        TableColumn("", width: 12), TableColumn("Index", width: 9, alignRight: true),
        TableColumn("BTC", width: 9, alignRight: true), TableColumn("Buy&hold", width: 9, alignRight: true),
    ]
    let cells: [[TableCell]] = lines.map { (name, text, signed) in
        [
            TableCell(name, style: CellStyle(.title)),
            TableCell(text(m), style: CellStyle(signed(m).map { RenderContext.changeRole($0) } ?? .main, bold: true)),
            TableCell(
                b == nil ? "-" : text(b), style: CellStyle(signed(b).map { RenderContext.changeRole($0) } ?? .main)),
            TableCell(
                h == nil ? "-" : text(h), style: CellStyle(signed(h).map { RenderContext.changeRole($0) } ?? .main)),
        ]
    }
    Table(columns: columns, rows: cells).draw(
        into: &buffer, rect: Rect(x: rect.x, y: rect.y, width: rect.width, height: 9), glyphs: ctx.glyphs)
    var y = rect.y + 10
    if let ia = m.returnAll, let ha = h?.returnAll, y < rect.y + rect.height {
        let gain = ia - ha
        let text = "rebalancing gain vs buy&hold: " + Format.percent(gain, signed: true)
        buffer.put(
            text, x: rect.x, y: y, style: CellStyle(RenderContext.changeRole(gain), bold: true), maxWidth: rect.width)
        y += 1
    }
    if let ia = m.returnAll, let ba = b?.returnAll, y < rect.y + rect.height {
        buffer.put(
            "vs BTC: " + Format.percent(ia - ba, signed: true), x: rect.x, y: y,
            style: CellStyle(RenderContext.changeRole(ia - ba)), maxWidth: rect.width)
    }
}
