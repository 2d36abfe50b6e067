import IndexCore
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
    let layout = DashboardLayout.compute(width: state.width, height: state.height)
    // The "terminal too small" screen hides everything: only quit acts (and resizes, which are not user keys).
    if layout.kind == .tooSmall, isUserAction(action), action != .quit { return [] }
    if isUserAction(action) { state.message = nil }
    // An open modal takes the movement keys for its own scrolling; nothing else reaches the dashboard under it.
    if state.modal != nil, let delta = modalScroll(action, page: previewVisibleRows(state)) {
        scrollModal(&state, by: delta)
        return []
    }
    // The help overlay takes them to scroll its lines.
    if state.showHelp, state.modal == nil, let delta = modalScroll(action, page: helpGeometry(state).visible) {
        let g = helpGeometry(state)
        let maxScroll = max(0, g.lines - g.visible)
        state.helpScroll = Int(max(0, min(Int64(maxScroll), Int64(state.helpScroll) + Int64(delta))))
        return []
    }
    let rows = ViewData.rowCount(snapshot, state)
    func clampRow() { state.row = max(0, min(state.row, rows - 1)) }
    func select(_ next: Int) {
        if next != state.selectedIndex {
            state.selectedIndex = next
            state.row = 0
            state.drill = nil
        }
    }
    /// Moves the selected index by `delta` among the indices the (filtered) list shows.
    func moveIndex(_ delta: Int) {
        let visible = ViewData.visibleIndices(snapshot, state)
        guard !visible.isEmpty else { return }
        let position = visible.firstIndex(of: state.selectedIndex) ?? 0
        let next = Int(max(0, min(Int64(visible.count - 1), Int64(position) + Int64(delta))))
        select(visible[next])
    }
    /// Keeps the selection on an index the filtered list shows.
    func keepSelectionVisible() {
        let visible = ViewData.visibleIndices(snapshot, state)
        if let first = visible.first, !visible.contains(state.selectedIndex) { select(first) }
    }
    func moveSelection(_ delta: Int) {
        if state.focus == .indices {
            moveIndex(delta)
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
    // In the compact layout ←/→ move the one-line index picker; in the full layout they switch pane.
    case .paneLeft: if layout.kind == .compact { moveIndex(-1) } else { state.focus = .indices }
    case .paneRight: if layout.kind == .compact { moveIndex(1) } else { state.focus = .main }
    case .selectView(let view):
        state.view = view
        state.row = 0
        state.drill = nil
        state.focus = .main
    case .open:
        if state.focus == .indices {
            state.focus = .main
        } else if state.view == .rebalances, state.drill == nil, let index = ViewData.selectedIndex(snapshot, state) {
            let list = ViewData.rebalances(index, state)
            if state.row < list.count {
                state.drill = list[state.row].id
                state.row = 0
            }
        }
    case .back:
        if let drill = state.drill {
            state.drill = nil
            let list = ViewData.selectedIndex(snapshot, state).map { ViewData.rebalances($0, state) } ?? []
            state.row = list.firstIndex { $0.id == drill } ?? 0
        } else if state.focus == .indices, !state.indexFilter.isEmpty {
            state.indexFilter = ""
        } else if !state.filter.isEmpty {
            state.filter = ""
            state.row = 0
        } else {
            state.focus = .indices
        }
    case .nextSort, .reverseSort:
        let count = Sorting.columns(state.view).count
        guard count > 0, state.drill == nil else {
            state.message = "nothing to sort in this view"
            return []
        }
        var order = state.sortOrder(state.view)
        if action == .nextSort {
            order = SortOrder(column: (order.column + 1) % count, reversed: false)
        } else {
            order.reversed.toggle()
        }
        state.sorts[state.view] = order
        state.row = 0
        if let (column, descending) = Sorting.current(state) {
            state.message = "sort by \(column.title), \(descending ? "largest first ▼" : "smallest first ▲")"
        }
    case .startFilter:
        state.filterEditing = true
        state.filterOnIndices = state.focus == .indices
    case .filterInput(let ch):
        if state.filterOnIndices {
            state.indexFilter.append(ch)
            keepSelectionVisible()
        } else {
            state.filter.append(ch)
            state.row = 0
        }
    case .filterBackspace:
        if state.filterOnIndices {
            if !state.indexFilter.isEmpty { state.indexFilter.removeLast() }
            keepSelectionVisible()
        } else {
            if !state.filter.isEmpty { state.filter.removeLast() }
            state.row = 0
        }
    case .filterCommit: state.filterEditing = false
    case .filterCancel:
        state.filterEditing = false
        if state.filterOnIndices {
            state.indexFilter = ""
        } else {
            state.filter = ""
            state.row = 0
        }
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
        state.modal?.notice = nil
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
    case .toggleHelp:
        state.showHelp.toggle()
        state.helpScroll = 0
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
    case .refreshNow:
        state.message = "refreshed"
        return [.refreshAll]
    case .reloadConfig:
        return [.reloadConfig]
    case .configReloaded(let keyMap, let refresh, let problems):
        state.keyMap = keyMap
        state.configProblems = problems
        state.message = configSummary(problems) ?? "config reloaded"
        if refresh != state.refreshInterval {
            state.refreshInterval = refresh
            return [.setRefresh(refresh)]
        }
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
        state.modal?.scroll = 0
    case .planChanged(let preview):
        guard state.modal?.slug == preview.slug else { return [] }
        let stale = isStale(
            priceTime: preview.pricesTime, now: state.now, interval: stalenessInterval(snapshot, state))
        state.modal?.phase = .preview(preview, stale: stale, confirmedOnce: false)
        state.modal?.scroll = 0
        state.modal?.notice =
            "NOT APPLIED: the plan changed since the preview (prices or holdings moved). This is the new plan."
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
    case .editHolding: return EditHoldingModal.open(&state, snapshot)
    case .edit(let a): return EditHoldingModal.reduce(&state, a)
    case .alerts(let a): return reduceAlerts(&state, a, snapshot)
    }
    return []
}

/// How far a movement action scrolls the open modal (nil: not a movement action).
private func modalScroll(_ action: Action, page: Int) -> Int? {
    switch action {
    case .moveUp, .scrollUp: return -1
    case .moveDown, .scrollDown: return 1
    case .pageUp: return -max(1, page - 1)
    case .pageDown: return max(1, page - 1)
    case .top: return -Int(Int32.max)
    case .bottom: return Int(Int32.max)
    default: return nil
    }
}

/// Moves the preview's first shown row, kept between 0 and the last full page.
private func scrollModal(_ state: inout UIState, by delta: Int) {
    guard let modal = state.modal, case .preview(let preview, _, _) = modal.phase else { return }
    let maxScroll = max(0, previewRows(preview).count - previewVisibleRows(state))
    let next = Int(max(0, min(Int64(maxScroll), Int64(modal.scroll) + Int64(delta))))
    state.modal?.scroll = next
}

/// Key presses and clicks clear the footer message; clock ticks and loads do not.
private func isUserAction(_ action: Action) -> Bool {
    switch action {
    case .tick, .resize, .snapshotLoaded, .snapshotFailed, .previewReady, .previewFailed, .applied, .applyFailed,
        .themeLoaded, .planChanged, .configReloaded:
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
        let label = pickerLabel(index, position: pickerPosition(snapshot, state), ascii: state.ascii)
        let width = DisplayWidth.of(label)
        state.focus = .indices
        let delta = x == picker.x ? -1 : (x == picker.x + width - 1 ? 1 : 0)
        let visible = ViewData.visibleIndices(snapshot, state)
        let position = visible.firstIndex(of: state.selectedIndex) ?? 0
        if !visible.isEmpty {
            let next = visible[max(0, min(visible.count - 1, position + delta))]
            if next != state.selectedIndex {
                state.selectedIndex = next
                state.row = 0
                state.drill = nil
            }
        }
        return
    }
    if let list = layout.indexList, list.contains(x: x, y: y), y > list.y {
        // The list's first line is its column headings; then two lines per shown index.
        let visible = ViewData.visibleIndices(snapshot, state)
        let perPage = max(1, (list.height - 1) / 2)
        let position = visible.firstIndex(of: state.selectedIndex)
        let first = Table.scrollOffset(selected: position, count: visible.count, visibleRows: perPage)
        let i = first + (y - list.y - 1) / 2
        if i < visible.count {
            state.focus = .indices
            if visible[i] != state.selectedIndex {
                state.selectedIndex = visible[i]
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
        return state.drill == nil ? (1, h - 1) : (3, h - 3)  // header; or title and costs lines, header
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

/// The footer's note about config problems: the first, and how many more the help lists; nil for none.
public func configSummary(_ problems: [String]) -> String? {
    guard let first = problems.first else { return nil }
    return problems.count == 1 ? first : "\(first)  (+\(problems.count - 1) more: ? lists them)"
}

/// `1s`, `0.5s`.
func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? "\(Int(s))s" : "\(s)s"
}
