import TerminalUI

/// Refresh intervals `+` and `-` step through (seconds).
public let refreshSteps: [Double] = [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60]

/// True when prices from `priceTime` are stale at `now`: older than three `interval`s (DESIGN §8).
public func isStale(priceTime: Int64?, now: Int64, interval: Double) -> Bool {
    guard let priceTime else { return true }
    return Double(now - priceTime) > 3 * max(interval, 0.001)
}

/// The interval staleness is judged against: the feed's own interval, else the refresh interval.
public func stalenessInterval(_ snapshot: DashboardSnapshot, _ state: UIState) -> Double {
    snapshot.feed.interval > 0 ? snapshot.feed.interval : state.refreshInterval
}

/// The pure reducer: applies `action` to `state` given the current `snapshot`, and returns the work the
/// app loop must do. No I/O, no clock: the same inputs always give the same state and effects.
@discardableResult
public func reduce(_ state: inout UIState, _ action: Action, _ snapshot: DashboardSnapshot) -> [Effect] {
    if isUserAction(action) { state.message = nil }
    let rows = ViewData.rowCount(snapshot, state)
    let layout = DashboardLayout.compute(width: state.width, height: state.height)
    func clampRow() { state.row = max(0, min(state.row, rows - 1)) }
    func moveSelection(_ delta: Int) {
        if state.focus == .indices {
            let n = snapshot.indices.count
            let next = max(0, min(n - 1, state.selectedIndex + delta))
            if next != state.selectedIndex {
                state.selectedIndex = next
                state.row = 0
                state.drill = nil
            }
        } else {
            state.row = max(0, min(rows - 1, state.row + delta))
        }
    }

    switch action {
    case .moveUp: moveSelection(-1)
    case .moveDown: moveSelection(1)
    case .pageUp: moveSelection(-layout.pageSize)
    case .pageDown: moveSelection(layout.pageSize)
    case .top: moveSelection(-Int(Int32.max))
    case .bottom: moveSelection(Int(Int32.max))
    case .scrollUp: moveSelection(-3)
    case .scrollDown: moveSelection(3)
    case .nextPane, .previousPane: state.focus = state.focus == .main ? .indices : .main
    case .paneLeft: state.focus = .indices
    case .paneRight: state.focus = .main
    case .selectView(let view):
        state.view = view
        state.row = 0
        state.drill = nil
        state.focus = .main
    case .open:
        if state.focus == .indices {
            state.focus = .main
        } else if state.view == .rebalances, state.drill == nil,
            let index = ViewData.selectedIndex(snapshot, state), state.row < index.rebalances.count
        {
            state.drill = index.rebalances[state.row].id
            state.row = 0
        }
    case .back:
        if let drill = state.drill {
            state.drill = nil
            let index = ViewData.selectedIndex(snapshot, state)
            state.row = index?.rebalances.firstIndex { $0.id == drill } ?? 0
        } else if !state.filter.isEmpty {
            state.filter = ""
            state.row = 0
        } else {
            state.focus = .indices
        }
    case .nextSort:
        let all = HoldingsSort.allCases
        state.sort = all[(all.firstIndex(of: state.sort)! + 1) % all.count]
        state.row = 0
        state.message = "sort by \(state.sort.title)"
    case .reverseSort:
        state.sortReversed.toggle()
        state.row = 0
    case .startFilter: state.filterEditing = true
    case .filterInput(let ch):
        state.filter.append(ch)
        state.row = 0
    case .filterBackspace:
        if !state.filter.isEmpty { state.filter.removeLast() }
        state.row = 0
    case .filterCommit: state.filterEditing = false
    case .filterCancel:
        state.filterEditing = false
        state.filter = ""
        state.row = 0
    case .rebalance:
        guard let index = ViewData.selectedIndex(snapshot, state) else {
            state.message = "no index to rebalance"
            return []
        }
        state.modal = RebalanceModal(slug: index.slug, phase: .planning)
        return [.planRebalance(slug: index.slug)]
    case .confirm:
        guard let modal = state.modal, case .preview(let preview, let stale, let confirmedOnce) = modal.phase else {
            return []
        }
        if stale && !confirmedOnce {
            state.modal?.phase = .preview(preview, stale: true, confirmedOnce: true)
            return []
        }
        state.modal?.phase = .applying(preview)
        return [.applyRebalance(preview)]
    case .cancel:
        if state.modal != nil {
            state.modal = nil
            state.message = "rebalance cancelled"
        }
    case .togglePause:
        state.paused.toggle()
        state.message = state.paused ? "paused: live updates stopped (p resumes)" : "live updates resumed"
    case .slower, .faster:
        let current = refreshSteps.firstIndex { $0 >= state.refreshInterval } ?? refreshSteps.count - 1
        let next = max(0, min(refreshSteps.count - 1, current + (action == .slower ? 1 : -1)))
        state.refreshInterval = refreshSteps[next]
        state.message = "refresh every \(formatSeconds(state.refreshInterval))"
        return [.setRefresh(state.refreshInterval)]
    case .nextTheme:
        let names = state.themeNames.isEmpty ? ["default"] : state.themeNames
        let i = names.firstIndex(of: state.themeName).map { ($0 + 1) % names.count } ?? 0
        state.themeName = names[i]
        state.message = "theme \(state.themeName)"
        return [.loadTheme(state.themeName)]
    case .togglePrivacy:
        state.privacy.toggle()
        state.message = state.privacy ? "privacy mode: amounts hidden" : "privacy mode off"
    case .toggleHelp: state.showHelp.toggle()
    case .toggleAllSignals:
        state.allSignals.toggle()
        state.row = 0
        if state.view != .signals { state.view = .signals }
        state.message =
            state.allSignals
            ? "signals: all tokens (a: this index only)"
            : "signals: \(ViewData.selectedIndex(snapshot, state)?.name ?? "this index") only (a: all tokens)"
    case .quit:
        state.quit = true
        return [.quit]
    case .click(let x, let y):
        click(&state, x: x, y: y, layout: layout, snapshot: snapshot)
    case .tick(let now): state.now = now
    case .resize(let width, let height):
        state.width = width
        state.height = height
    case .snapshotLoaded(let flashes):
        state.loadError = nil
        state.flashes = flashes
        state.selectedIndex = max(0, min(state.selectedIndex, snapshot.indices.count - 1))
        clampRow()
    case .snapshotFailed(let message): state.loadError = message
    case .previewReady(let preview):
        guard state.modal?.slug == preview.slug else { return [] }
        let stale = isStale(
            priceTime: preview.pricesTime, now: state.now, interval: stalenessInterval(snapshot, state))
        state.modal?.phase = .preview(preview, stale: stale, confirmedOnce: false)
    case .previewFailed(let message), .applyFailed(let message):
        if state.modal != nil { state.modal?.phase = .failed(message) }
    case .applied(let message):
        state.modal = nil
        state.message = message
        state.view = .rebalances
        state.drill = nil
        state.row = 0
        state.focus = .main
        return [.reload]
    case .themeLoaded(let message): state.message = message
    case .alerts(let a): return reduceAlerts(&state, a, snapshot)
    }
    return []
}

/// Key presses and clicks clear the footer message; clock ticks and loads do not.
private func isUserAction(_ action: Action) -> Bool {
    switch action {
    case .tick, .resize, .snapshotLoaded, .snapshotFailed, .previewReady, .previewFailed, .applied, .applyFailed,
        .themeLoaded:
        return false
    default:
        return true
    }
}

private func click(_ state: inout UIState, x: Int, y: Int, layout: DashboardLayout, snapshot: DashboardSnapshot) {
    guard layout.kind != .tooSmall, state.modal == nil else { return }
    if y == layout.tabs.y, layout.tabs.contains(x: x, y: y) {
        let ranges = Tabs.ranges(labels: layout.fittingTabLabels, x: layout.tabs.x, width: layout.tabs.width)
        if let i = ranges.firstIndex(where: { $0.contains(x) }) {
            reduce(&state, .selectView(DashboardView.allCases[i]), snapshot)
        }
        return
    }
    if let picker = layout.picker, picker.contains(x: x, y: y), let index = ViewData.selectedIndex(snapshot, state) {
        let label = pickerLabel(index, position: state.selectedIndex, count: snapshot.indices.count, ascii: state.ascii)
        let width = DisplayWidth.of(label)
        state.focus = .indices
        let delta = x == picker.x ? -1 : (x == picker.x + width - 1 ? 1 : 0)
        let next = max(0, min(snapshot.indices.count - 1, state.selectedIndex + delta))
        if next != state.selectedIndex {
            state.selectedIndex = next
            state.row = 0
            state.drill = nil
        }
        return
    }
    if let list = layout.indexList, list.contains(x: x, y: y) {
        let i = (y - list.y) / 2
        if i < snapshot.indices.count {
            state.focus = .indices
            if i != state.selectedIndex {
                state.selectedIndex = i
                state.row = 0
                state.drill = nil
            }
        }
        return
    }
    if layout.content.contains(x: x, y: y) {
        let count = ViewData.rowCount(snapshot, state)
        let table = tableGeometry(snapshot, state, content: layout.content, count: count)
        let first = Table.scrollOffset(selected: state.row, count: count, visibleRows: table.visible)
        let r = first + (y - layout.content.y - table.top)
        state.focus = .main
        if r >= 0, r < count { state.row = r }
    }
}

/// Where the main table's first row is (lines below the content top) and how many rows it shows, as
/// the views draw it; clicks map through it.
func tableGeometry(_ snapshot: DashboardSnapshot, _ state: UIState, content: Rect, count: Int) -> (
    top: Int, visible: Int
) {
    let h = content.height
    switch state.view {
    case .holdings:
        return (2, h - 2)  // methodology line, header
    case .signals:
        let rows = ViewData.signals(snapshot, state)
        let selected = rows.isEmpty ? nil : rows[min(state.row, rows.count - 1)]
        let panel = votesPanel(selected, width: content.width, contentHeight: h)
        return (2, min(h - panel.lines, count + 2) - 2)  // scope line, header
    case .rebalances:
        return state.drill == nil ? (1, h - 1) : (2, h - 2)  // header; or title line, header
    case .performance:
        return (1, 0)
    case .keys:
        return (1, min(h / 2, count + 1) - 1)
    case .exposure:
        // Title, one line per index (at most a third of the pane), a blank line, the header.
        let indexLines = min(snapshot.indices.count, max(1, h / 3 - 1))
        return (indexLines + 3, h - indexLines - 3)
    }
}

/// `1s`, `0.5s`.
func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? "\(Int(s))s" : "\(s)s"
}
