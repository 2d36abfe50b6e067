import TerminalUI

/// What every view needs to draw: the data, the UI state, the glyph set and the layout.
struct RenderContext {
    let snapshot: DashboardSnapshot
    let state: UIState
    let glyphs: BoxGlyphs
    let layout: DashboardLayout
    let index: IndexSnapshot?

    /// `text`, or a mask in privacy mode (amounts hidden; weights and percentages stay).
    func amount(_ text: String) -> String { state.privacy ? (glyphs.isASCII ? "*****" : "•••••") : text }

    /// Braille on UTF-8 terminals; block elements for `--ascii` on a UTF-8 terminal; else ASCII.
    var chartMode: ChartMode { glyphs.isASCII ? (state.blockChart ? .blocks : .ascii) : .braille }

    /// The role for a signed change: gain, loss, or main at zero/unknown.
    static func changeRole(_ v: Double?) -> Role {
        guard let v else { return .inactive }
        return v > 0 ? .gain : v < 0 ? .loss : .main
    }

    /// The role of a signal label.
    static func labelRole(_ label: String) -> Role {
        switch label {
        case "bullish": return .bullish
        case "bearish": return .bearish
        default: return .neutral
        }
    }
}

/// Renders the dashboard frame: a pure function of the snapshot, the UI state, the size and the theme.
/// The theme is not needed to place text (cells carry roles); it names itself in the help overlay.
public func renderDashboard(
    _ snapshot: DashboardSnapshot, _ state: UIState, width: Int, height: Int, theme: Theme
) -> ScreenBuffer {
    var buffer = ScreenBuffer(width: width, height: height)
    let layout = DashboardLayout.compute(width: width, height: height)
    let glyphs = BoxGlyphs.forASCII(state.ascii)
    if layout.kind == .tooSmall {
        drawTooSmall(&buffer, width: width, height: height)
        return state.ascii ? buffer.asciiFolded() : buffer
    }
    let ctx = RenderContext(
        snapshot: snapshot, state: state, glyphs: glyphs, layout: layout,
        index: ViewData.selectedIndex(snapshot, state))
    drawHeader(&buffer, ctx)
    if let box = layout.indexBox, let list = layout.indexList, let mainBox = layout.mainBox {
        let indexFocus = state.focus == .indices
        buffer.drawBox(
            box, glyphs: glyphs, style: CellStyle(indexFocus ? .hi : .border), title: "Indices")
        drawIndexList(&buffer, ctx, rect: list)
        buffer.drawBox(
            mainBox, glyphs: glyphs, style: CellStyle(indexFocus ? .border : .hi),
            title: ctx.index?.name ?? "indextop")
    } else if let picker = layout.picker {
        drawPicker(&buffer, ctx, rect: picker)
    }
    Tabs.draw(
        into: &buffer, labels: layout.fittingTabLabels, active: state.view.rawValue - 1, x: layout.tabs.x,
        y: layout.tabs.y, width: layout.tabs.width)
    switch state.view {
    case .holdings: drawHoldings(&buffer, ctx, rect: layout.content)
    case .signals: drawSignals(&buffer, ctx, rect: layout.content)
    case .rebalances: drawRebalances(&buffer, ctx, rect: layout.content)
    case .performance: drawPerformance(&buffer, ctx, rect: layout.content)
    case .keys: drawKeys(&buffer, ctx, rect: layout.content)
    case .exposure: drawExposure(&buffer, ctx, rect: layout.content)
    }
    drawFooter(&buffer, ctx)
    if state.showHelp { drawHelp(&buffer, ctx, themeName: theme.name) }
    if let modal = state.modal { drawRebalanceModal(&buffer, ctx, modal: modal) }
    if state.alertsOverlay != nil { drawAlertsOverlay(&buffer, ctx) }
    return state.ascii ? buffer.asciiFolded(keeping: state.blockChart ? LineChart.blockGlyphs : []) : buffer
}

/// The frame as plain text, trailing spaces removed, one line per row (for `indextop snapshot`).
public func renderDashboardText(
    _ snapshot: DashboardSnapshot, _ state: UIState, width: Int, height: Int, theme: Theme = .standard
) -> String {
    renderDashboard(snapshot, state, width: width, height: height, theme: theme).text()
        .map { line in
            var s = Substring(line)
            while s.last == " " { s.removeLast() }
            return String(s)
        }
        .joined(separator: "\n")
}

func drawTooSmall(_ buffer: inout ScreenBuffer, width: Int, height: Int) {
    let need = DashboardLayout.minimumSize
    let lines = ["terminal too small: have \(width)×\(height), need \(need.width)×\(need.height)", "q quits"]
    for (i, line) in lines.enumerated() {
        let w = DisplayWidth.of(line)
        let y = max(0, height / 2 - 1 + i)
        buffer.put(line, x: max(0, (width - w) / 2), y: y, style: CellStyle(i == 0 ? .warning : .main, bold: i == 0))
    }
}

func drawHeader(_ buffer: inout ScreenBuffer, _ ctx: RenderContext) {
    let s = ctx.snapshot
    let y = ctx.layout.header.y
    let width = ctx.layout.header.width
    buffer.fill(x: 0, y: y, width: width, height: 1, style: CellStyle(.header))
    var x = buffer.put(" indextop ", x: 0, y: y, style: CellStyle(.header, bold: true))
    func part(_ text: String, _ role: Role = .header, bold: Bool = false) {
        guard x < width else { return }
        x += buffer.put(text, x: x, y: y, style: CellStyle(role, bold: bold, on: .header), maxWidth: width - x)
    }
    let compact = ctx.layout.kind == .compact
    part(compact ? " " : " Total ")
    part(ctx.amount(Format.money(s.totalValue)), .header, bold: true)
    part(" ")
    part(Format.percent(s.totalChange24h, signed: true), RenderContext.changeRole(s.totalChange24h))
    if !compact { part(" 24h") }
    if let regime = s.regime {
        part(compact ? "  risk " : "  Regime ")
        part(regime.risk, regime.risk == "high" ? .alert : regime.risk == "medium" ? .warning : .gain)
    }
    part("  ")
    let interval = stalenessInterval(s, ctx.state)
    if let t = s.feed.lastPriceTime {
        let stale = isStale(priceTime: t, now: ctx.state.now, interval: interval)
        part("\(s.feed.name) ")
        part(stale ? "STALE" : s.feed.state, stale ? .stale : (s.feed.state == "error" ? .alert : .header), bold: stale)
        part(" \(Format.age(ctx.state.now - t)) ago")
    } else {
        part("\(s.feed.name) \(s.feed.state) no prices", .inactive)
    }
    if ctx.state.paused { part("  PAUSED", .warning, bold: true) }
    if let badge = alertsBadge(s) { part("  \(badge.text)", badge.role, bold: true) }
    let clock = compact ? Format.clock(ctx.state.now) : Format.dateTime(ctx.state.now) + " UTC"
    let cw = DisplayWidth.of(clock) + 1
    if x + cw + 1 <= width { buffer.put(clock, x: width - cw, y: y, style: CellStyle(.header)) }
}

func drawIndexList(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    let indices = ctx.snapshot.indices
    guard !indices.isEmpty else {
        buffer.put("no indices", x: rect.x, y: rect.y, style: CellStyle(.inactive))
        buffer.put("indextop init --demo", x: rect.x, y: rect.y + 1, style: CellStyle(.inactive), maxWidth: rect.width)
        return
    }
    let perPage = max(1, rect.height / 2)
    let first = Table.scrollOffset(selected: ctx.state.selectedIndex, count: indices.count, visibleRows: perPage)
    for line in 0..<perPage {
        let i = first + line
        guard i < indices.count else { break }
        let index = indices[i]
        let y = rect.y + line * 2
        let selected = i == ctx.state.selectedIndex
        let focused = ctx.state.focus == .indices
        let base = selected ? CellStyle(focused ? .selected : .hi, bold: true) : CellStyle()
        if selected { buffer.fill(x: rect.x, y: y, width: rect.width, height: 1, style: base) }
        let nav = ctx.amount(Format.compactMoney(index.nav))
        let navW = DisplayWidth.of(nav)
        let mark = drawIndexAlertMark(&buffer, ctx, slug: index.slug, x: rect.x, y: y)
        buffer.put(
            TextLayout.pad(index.name, to: rect.width - navW - 1 - mark, ellipsis: ctx.glyphs.ellipsis),
            x: rect.x + mark, y: y, style: base)
        buffer.put(nav, x: rect.x + rect.width - navW, y: y, style: base)
        // Second line: 24h change, drift marker, next rebalance.
        var x = rect.x + 1
        let change = Format.percent(index.change24h, signed: true)
        x += buffer.put(
            TextLayout.pad(change, to: 8), x: x, y: y + 1, style: CellStyle(RenderContext.changeRole(index.change24h)))
        let over = index.driftBand > 0 && index.maxDrift > index.driftBand
        let marker = (over ? "!" : " ") + "d" + Format.fixed(index.maxDrift * 100, 1) + "%"
        x += buffer.put(
            TextLayout.pad(marker, to: 8), x: x, y: y + 1, style: CellStyle(over ? .warning : .inactive, bold: over))
        let next: String
        let nextRole: Role
        if index.rebalanceDue {
            (next, nextRole) = ("DUE", .alert)
        } else if let t = index.nextRebalance {
            (next, nextRole) = (Format.shortDateTime(t), .inactive)
        } else {
            (next, nextRole) = ("-", .inactive)
        }
        buffer.put(
            next, x: x, y: y + 1, style: CellStyle(nextRole, bold: index.rebalanceDue),
            maxWidth: rect.x + rect.width - x)
    }
}

func drawPicker(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    guard let index = ctx.index else {
        buffer.put("no indices (indextop init --demo)", x: rect.x, y: rect.y, style: CellStyle(.inactive))
        return
    }
    let focused = ctx.state.focus == .indices
    let style = CellStyle(focused ? .selected : .hi, bold: true)
    var x = rect.x
    x += buffer.put(
        pickerLabel(
            index, position: ctx.state.selectedIndex, count: ctx.snapshot.indices.count, ascii: ctx.glyphs.isASCII),
        x: x, y: rect.y, style: style)
    x += buffer.put("  NAV \(ctx.amount(Format.compactMoney(index.nav)))  ", x: x, y: rect.y)
    x += buffer.put(
        Format.percent(index.change24h, signed: true), x: x, y: rect.y,
        style: CellStyle(RenderContext.changeRole(index.change24h)))
    let over = index.driftBand > 0 && index.maxDrift > index.driftBand
    x += buffer.put(
        "  drift \(Format.percent(index.maxDrift, decimals: 1))", x: x, y: rect.y,
        style: CellStyle(over ? .warning : .main))
    if index.rebalanceDue { buffer.put("  DUE", x: x, y: rect.y, style: CellStyle(.alert, bold: true)) }
}

/// The compact layout's index picker label, `◀ 2/8 Name ▶`: a click on its first column selects the
/// previous index, on its last column the next.
func pickerLabel(_ index: IndexSnapshot, position: Int, count: Int, ascii: Bool) -> String {
    "\(ascii ? "<" : "◀") \(position + 1)/\(count) \(index.name) \(ascii ? ">" : "▶")"
}

func drawFooter(_ buffer: inout ScreenBuffer, _ ctx: RenderContext) {
    let rect = ctx.layout.footer
    let state = ctx.state
    if state.filterEditing {
        buffer.put("/\(state.filter)_  (Enter keeps, Esc clears)", x: 0, y: rect.y, style: CellStyle(.hi, bold: true))
        return
    }
    var x = 0
    if let error = state.loadError {
        x += buffer.put("error: \(error) ", x: 0, y: rect.y, style: CellStyle(.alert, bold: true), maxWidth: rect.width)
    } else if let message = state.message {
        x += buffer.put(message + " ", x: 0, y: rect.y, style: CellStyle(.warning), maxWidth: rect.width)
    } else {
        let hints: [(String, String)] = [
            ("q", "quit"), ("?", "help"), ("1-6", "views"), ("r", "rebalance"), ("/", "filter"), ("s", "sort"),
            ("t", "theme"), ("x", "privacy"), ("p", "pause"),
        ]
        for (key, label) in hints {
            let w = DisplayWidth.of(key) + DisplayWidth.of(label) + 2
            if x + w > rect.width - 16 { break }
            x += buffer.put(key, x: x, y: rect.y, style: CellStyle(.hi, bold: true))
            x += buffer.put(" \(label) ", x: x, y: rect.y, style: CellStyle(.inactive))
        }
    }
    var right = "every \(formatSeconds(state.refreshInterval))"
    if !state.filter.isEmpty { right = "filter: \(state.filter)  " + right }
    if state.privacy { right = "PRIVATE  " + right }
    let w = DisplayWidth.of(right)
    if x + w < rect.width { buffer.put(right, x: rect.width - w - 1, y: rect.y, style: CellStyle(.inactive)) }
}
