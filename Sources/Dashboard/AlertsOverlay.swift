import Dispatch
import Foundation
import IndexCore
import PortfolioStore
import TerminalUI

/// One open alert as the dashboard shows it (DESIGN §10).
public struct AlertRow: Sendable, Equatable {
    public var id: Int64
    /// `drift`, `signal`, `regime`, `due`, `key`, `feed`.
    public var kind: String
    /// Index slug, "" for market-wide alerts.
    public var index: String
    /// Symbol, key id or feed name; "" when none.
    public var asset: String
    /// `new` or `acknowledged`.
    public var state: String
    /// When it was raised, Unix seconds.
    public var firstSeen: Int64
    public var message: String

    public init(
        id: Int64, kind: String, index: String = "", asset: String = "", state: String = "new", firstSeen: Int64,
        message: String
    ) {
        self.id = id
        self.kind = kind
        self.index = index
        self.asset = asset
        self.state = state
        self.firstSeen = firstSeen
        self.message = message
    }

    init(_ r: AlertRecord) {
        self.init(
            id: r.id, kind: r.key.kind.rawValue, index: r.key.index, asset: r.key.asset, state: r.state.rawValue,
            firstSeen: r.firstSeen, message: r.message)
    }
}

/// What happens in the alerts overlay (`!`).
public enum AlertsAction: Sendable, Equatable {
    case toggle, up, down
    /// Enter: close the overlay on the alert's index (and its asset in the view that shows it).
    case jump
    /// `a`: acknowledge the selected alert.
    case acknowledge
    case acknowledged(Int64)
    case failed(String)
}

/// The overlay's own state: the selected row (alerts are listed newest first).
public struct AlertsOverlayState: Sendable, Equatable {
    public var row = 0
    public init(row: Int = 0) { self.row = row }
}

/// The reducer's part for the alerts overlay; pure.
func reduceAlerts(_ state: inout UIState, _ action: AlertsAction, _ snapshot: DashboardSnapshot) -> [Effect] {
    let alerts = snapshot.alerts
    let row = min(state.alertsOverlay?.row ?? 0, max(0, alerts.count - 1))
    switch action {
    case .toggle:
        state.alertsOverlay = state.alertsOverlay == nil ? AlertsOverlayState() : nil
    case .up: state.alertsOverlay?.row = max(0, row - 1)
    case .down: state.alertsOverlay?.row = max(0, min(alerts.count - 1, row + 1))
    case .jump:
        guard row < alerts.count else {
            state.alertsOverlay = nil
            return []
        }
        let alert = alerts[row]
        state.alertsOverlay = nil
        state.focus = .main
        state.drill = nil
        state.filter = ""
        state.row = 0
        if let i = snapshot.indices.firstIndex(where: { $0.slug == alert.index }) { state.selectedIndex = i }
        switch alert.kind {
        case "key": state.view = .keys
        case "signal", "regime":
            state.view = .signals
            state.allSignals = false
            state.row = ViewData.signals(snapshot, state).firstIndex { $0.symbol == alert.asset } ?? 0
        case "drift", "due":
            state.view = .holdings
            if let index = ViewData.selectedIndex(snapshot, state) {
                let drift = index.holdings.max { abs($0.drift) < abs($1.drift) }?.symbol
                let symbol = alert.asset.isEmpty ? drift : alert.asset
                state.row = ViewData.holdings(index, state).firstIndex { $0.symbol == symbol } ?? 0
            }
        default: break
        }
    case .acknowledge:
        guard row < alerts.count else { return [] }
        guard alerts[row].state == "new" else {
            state.message = "alert \(alerts[row].id) is already acknowledged"
            return []
        }
        return [.acknowledgeAlert(alerts[row].id)]
    case .acknowledged(let id):
        state.message = "alert \(id) acknowledged"
        return [.reload]
    case .failed(let message):
        state.message = "cannot acknowledge: \(message)"
    }
    return []
}

/// Keys while the overlay is open: move, Enter jumps, `a` acknowledges, Esc or `!` closes, `q` quits.
func alertsOverlayAction(for key: Key, keyMap: KeyMap) -> Action? {
    switch keyMap.command(for: key) {
    case .up: return .alerts(.up)
    case .down: return .alerts(.down)
    case .open: return .alerts(.jump)
    case .back, .alerts: return .alerts(.toggle)
    case .quit: return .quit
    default: break
    }
    switch key {
    case .char("a"): return .alerts(.acknowledge)
    case .enter: return .alerts(.jump)
    case .escape: return .alerts(.toggle)
    default: return nil
    }
}

/// The header's alert count: `! N new` (alert colour) while some are new, `N alerts` when all open
/// ones are acknowledged, nothing when none is open.
func alertsBadge(_ snapshot: DashboardSnapshot) -> (text: String, role: Role)? {
    let open = snapshot.alerts.count
    guard open > 0 else { return nil }
    let fresh = snapshot.alerts.filter { $0.state == "new" }.count
    if fresh > 0 { return ("! \(fresh) new", .alert) }
    return ("\(open) alert\(open == 1 ? "" : "s")", .warning)
}

/// Draws `!` before an index's name in the list when it has an open alert; returns the columns used.
func drawIndexAlertMark(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, slug: String, x: Int, y: Int) -> Int {
    guard ctx.snapshot.alerts.contains(where: { $0.index == slug }) else { return 0 }
    buffer.put("!", x: x, y: y, style: CellStyle(.alert, bold: true))
    return 2
}

/// The alerts overlay: open alerts newest first, with the keys it takes.
func drawAlertsOverlay(_ buffer: inout ScreenBuffer, _ ctx: RenderContext) {
    let alerts = ctx.snapshot.alerts
    let rect = ModalBox.frame(
        width: 96, height: min(max(alerts.count, 1) + 4, 22), screenWidth: buffer.width,
        screenHeight: buffer.height - 1)
    let inner = ModalBox.draw(
        into: &buffer, rect: rect, title: "alerts (\(alerts.count) open)", glyphs: ctx.glyphs)
    let visible = max(1, inner.height - 2)
    guard !alerts.isEmpty else {
        buffer.put("no open alerts", x: inner.x, y: inner.y, style: CellStyle(.inactive))
        buffer.put("Esc closes", x: inner.x, y: inner.y + inner.height - 1, style: CellStyle(.inactive))
        return
    }
    let selected = min(ctx.state.alertsOverlay?.row ?? 0, alerts.count - 1)
    let first = Table.scrollOffset(selected: selected, count: alerts.count, visibleRows: visible)
    for line in 0..<visible {
        let i = first + line
        guard i < alerts.count else { break }
        let a = alerts[i]
        let y = inner.y + line
        let isSelected = i == selected
        let base = isSelected ? CellStyle(.selected, bold: true) : CellStyle()
        if isSelected { buffer.fill(x: inner.x, y: y, width: inner.width, height: 1, style: base) }
        var x = inner.x
        x += buffer.put(
            a.state == "new" ? "!" : " ", x: x, y: y, style: isSelected ? base : CellStyle(.alert, bold: true))
        x += buffer.put(
            " \(Format.shortDateTime(a.firstSeen)) ", x: x, y: y, style: isSelected ? base : CellStyle(.inactive))
        x += buffer.put(
            TextLayout.pad(a.kind, to: 7), x: x, y: y, style: isSelected ? base : CellStyle(.warning, bold: true))
        buffer.put(a.message, x: x, y: y, style: base, maxWidth: inner.x + inner.width - x)
    }
    buffer.put(
        "j/k move  Enter jumps to its index  a acknowledges  Esc closes", x: inner.x, y: inner.y + inner.height - 1,
        style: CellStyle(.inactive), maxWidth: inner.width)
}

extension DashboardBackend {
    /// Backends without stored alerts (the demo) refuse.
    public func acknowledgeAlertInBackground(
        _ id: Int64, completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        completion(.failure(StoreError("alerts are not stored by this backend")))
    }
}

extension StoreBackend {
    /// Acknowledges on the process's writer (never the UI queue); a read-only backend refuses.
    public func acknowledgeAlertInBackground(
        _ id: Int64, completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        guard let writer else {
            completion(
                .failure(StoreError("read-only: alerts are acknowledged by the dashboard or `indextop alerts --ack`")))
            return
        }
        writer.submit({ store in _ = try store.acknowledgeAlert(id) }, completion: completion)
    }
}
