import Testing
import TerminalUI

@testable import Dashboard

@Suite struct ReducerTests {
    let snapshot = Fixtures.snapshot()

    /// Presses `key` through the default key map and the reducer.
    func press(_ key: Key, _ state: inout UIState) -> [Effect] {
        guard let action = state.keyMap.action(for: key, state: state) else { return [] }
        return reduce(&state, action, snapshot)
    }

    // Rows per view in the fixture, counted by hand: 2 holdings, 2 signals, 2 rebalances, no rows in
    // Performance, no vault, 4 exposure tokens (BTC, AAVE, ETH, CASH).
    static let lastRow: [DashboardView: Int] = [
        .holdings: 1, .signals: 1, .rebalances: 1, .performance: 0, .keys: 0, .exposure: 3,
    ]

    @Test(arguments: DashboardView.allCases)
    func everyKeyInEveryView(view: DashboardView) {
        for command in KeyCommand.allCases {
            for key in KeyMap.defaults.keys[command]! {
                var state = Fixtures.state()
                state.view = view
                state.themeNames = ["default", "nord"]
                let effects = press(key, &state)
                let last = Self.lastRow[view]!
                let ctx = Comment(rawValue: "\(view) \(command) \(key)")
                switch command {
                case .up, .top: #expect(state.row == 0, ctx)
                case .down: #expect(state.row == min(1, last), ctx)
                case .page_down, .bottom: #expect(state.row == last, ctx)
                case .page_up: #expect(state.row == 0, ctx)
                case .next_pane, .prev_pane, .left, .back: #expect(state.focus == .indices, ctx)
                case .right: #expect(state.focus == .main, ctx)
                case .view1, .view2, .view3, .view4, .view5, .view6:
                    #expect(state.view.rawValue == Int(String(command.rawValue.last!)), ctx)
                case .open:
                    #expect(state.drill == (view == .rebalances ? 7 : nil), ctx)
                case .sort: #expect(state.sort == .weight, ctx)
                case .sort_reverse: #expect(state.sortReversed, ctx)
                case .filter: #expect(state.filterEditing, ctx)
                case .rebalance:
                    #expect(state.modal == RebalanceModal(slug: "alpha", phase: .planning), ctx)
                    #expect(effects == [.planRebalance(slug: "alpha")], ctx)
                case .pause: #expect(state.paused, ctx)
                case .interval_up:
                    #expect(state.refreshInterval == 2, ctx)
                    #expect(effects == [.setRefresh(2)], ctx)
                case .interval_down: #expect(state.refreshInterval == 0.5, ctx)
                case .theme:
                    #expect(state.themeName == "nord", ctx)
                    #expect(effects == [.loadTheme("nord")], ctx)
                case .privacy: #expect(state.privacy, ctx)
                case .help: #expect(state.showHelp, ctx)
                case .all_signals:
                    #expect(state.allSignals, ctx)
                    #expect(state.view == .signals, ctx)
                case .quit:
                    #expect(state.quit, ctx)
                    #expect(effects == [.quit], ctx)
                case .alerts: #expect(state.alertsOverlay == AlertsOverlayState(), ctx)
                }
                if command != .rebalance && command != .quit && command != .theme && command != .interval_up
                    && command != .interval_down
                {
                    #expect(effects.isEmpty, ctx)
                }
            }
        }
    }

    @Test func indexListFocusMovesBetweenIndicesAndResetsRow() {
        var state = Fixtures.state()
        state.row = 1
        _ = press(.tab, &state)
        _ = press(.char("j"), &state)
        #expect(state.selectedIndex == 1)
        #expect(state.row == 0)
        _ = press(.char("j"), &state)
        #expect(state.selectedIndex == 1)  // clamped at the last index
        _ = press(.enter, &state)
        #expect(state.focus == .main)
    }

    @Test func drillIntoTradesAndBack() {
        var state = Fixtures.state()
        state.view = .rebalances
        _ = press(.char("j"), &state)
        _ = press(.enter, &state)
        #expect(state.drill == 3)
        #expect(ViewData.rowCount(snapshot, state) == 0)  // rebalance 3 has no trades
        _ = press(.escape, &state)
        #expect(state.drill == nil)
        #expect(state.row == 1)  // back on the rebalance we came from
    }

    @Test func filterTypingNarrowsRowsAndEscClears() {
        var state = Fixtures.state()
        _ = press(.char("/"), &state)
        for ch in "eth" { _ = press(.char(ch), &state) }
        #expect(state.filter == "eth")
        #expect(ViewData.holdings(snapshot.indices[0], state).map(\.symbol) == ["ETH"])
        // While typing, q is text, not quit.
        _ = press(.char("q"), &state)
        #expect(!state.quit)
        _ = press(.backspace, &state)
        _ = press(.enter, &state)
        #expect(!state.filterEditing)
        #expect(state.filter == "eth")
        _ = press(.escape, &state)
        #expect(state.filter == "")
    }

    @Test func sortCyclesAndReverses() {
        var state = Fixtures.state()
        let index = snapshot.indices[0]
        #expect(ViewData.holdings(index, state).map(\.symbol) == ["BTC", "ETH"])  // value, descending
        state.sort = .change24h
        #expect(ViewData.holdings(index, state).map(\.symbol) == ["BTC", "ETH"])
        state.sort = .pnl
        state.sortReversed = true  // P&L ascending: -20 then 50
        #expect(ViewData.holdings(index, state).map(\.symbol) == ["ETH", "BTC"])
        state.sortReversed = false
        state.sort = .symbol
        state.sortReversed = true
        #expect(ViewData.holdings(index, state).map(\.symbol) == ["ETH", "BTC"])
        for _ in HoldingsSort.allCases { _ = press(.char("s"), &state) }
        #expect(state.sort == .symbol)  // a full cycle comes back
    }

    @Test func rebalanceFreshPricesAppliesOnFirstYes() {
        var state = Fixtures.state()
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(Fixtures.preview), snapshot)
        #expect(state.modal?.phase == .preview(Fixtures.preview, stale: false, confirmedOnce: false))
        // Keys other than y/n/Esc do nothing while the modal is open.
        _ = press(.char("1"), &state)
        #expect(state.modal != nil)
        let effects = press(.char("y"), &state)
        #expect(effects == [.applyRebalance(Fixtures.preview)])
        let after = reduce(&state, .applied("done"), snapshot)
        #expect(after == [.reload])
        #expect(state.modal == nil)
        #expect(state.view == .rebalances)
        #expect(state.message == "done")
    }

    @Test func staleRebalanceNeedsASecondYes() {
        var state = Fixtures.state()
        var stale = Fixtures.preview
        stale.pricesTime = Fixtures.now - 16  // feed interval 5 s: older than 15 s is stale
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(stale), snapshot)
        #expect(state.modal?.phase == .preview(stale, stale: true, confirmedOnce: false))
        #expect(press(.char("y"), &state).isEmpty)
        #expect(state.modal?.phase == .preview(stale, stale: true, confirmedOnce: true))
        #expect(press(.char("y"), &state) == [.applyRebalance(stale)])
    }

    @Test func cancelAndFailureKeepTheStore() {
        var state = Fixtures.state()
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(Fixtures.preview), snapshot)
        #expect(press(.char("n"), &state).isEmpty)
        #expect(state.modal == nil)
        _ = press(.char("r"), &state)
        reduce(&state, .previewFailed("no prices"), snapshot)
        #expect(state.modal?.phase == .failed("no prices"))
        #expect(press(.char("y"), &state).isEmpty)
        _ = press(.escape, &state)
        #expect(state.modal == nil)
    }

    @Test(arguments: [(Int64(15), false), (Int64(16), true)])
    func stalenessIsThreeIntervals(age: Int64, stale: Bool) {
        #expect(isStale(priceTime: 1_000 - age, now: 1_000, interval: 5) == stale)
        #expect(isStale(priceTime: nil, now: 1_000, interval: 5))
    }

    @Test func refreshStepsClampAtTheEnds() {
        var state = Fixtures.state()
        for _ in 0..<20 { _ = press(.char("+"), &state) }
        #expect(state.refreshInterval == 60)
        for _ in 0..<20 { _ = press(.char("-"), &state) }
        #expect(state.refreshInterval == 0.25)
    }

    @Test func helpClosesOnAnyKeyButQuitQuits() {
        var state = Fixtures.state()
        _ = press(.char("?"), &state)
        _ = press(.char("j"), &state)
        #expect(!state.showHelp)
        #expect(state.row == 0)
        _ = press(.char("?"), &state)
        #expect(press(.char("q"), &state) == [.quit])
    }

    @Test func clicksSelectTabsIndicesAndRows() {
        var state = Fixtures.state()
        // Full layout at 120×40: tabs on row 2 from column 33; " 3 Rebalances " spans 55..<69.
        reduce(&state, .click(x: 60, y: 2), snapshot)
        #expect(state.view == .rebalances)
        // Index list interior starts at (1, 2); the second index is on rows 4-5.
        reduce(&state, .click(x: 5, y: 5), snapshot)
        #expect(state.selectedIndex == 1)
        #expect(state.focus == .indices)
        reduce(&state, .selectView(.holdings), snapshot)
        // Holdings: content top 3, methodology line, header, first row on line 5, second on 6.
        reduce(&state, .click(x: 50, y: 6), snapshot)
        #expect(state.row == 1)
        #expect(state.focus == .main)
        reduce(&state, .scrollUp, snapshot)
        #expect(state.row == 0)
    }

    @Test func compactClicksReachEveryTabAndThePickerArrows() {
        var state = Fixtures.state(width: 60, height: 15)
        // 60 columns: tabs " 1 Hold " 0..<8, " 2 Sig " 9..<16, " 3 Rebal " 17..<26, " 4 Perf " 27..<35,
        // " 5 Keys " 36..<44, " 6 Expo " 45..<53 on row 2.
        reduce(&state, .click(x: 50, y: 2), snapshot)
        #expect(state.view == .exposure)
        reduce(&state, .click(x: 40, y: 2), snapshot)
        #expect(state.view == .keys)
        // Picker on row 1: "◀ 1/2 Alpha Top ▶" is 17 columns, ▶ at column 16.
        reduce(&state, .click(x: 16, y: 1), snapshot)
        #expect(state.selectedIndex == 1)
        #expect(state.focus == .indices)
        reduce(&state, .click(x: 16, y: 1), snapshot)
        #expect(state.selectedIndex == 1)  // clamped at the last index
        reduce(&state, .click(x: 5, y: 1), snapshot)
        #expect(state.selectedIndex == 1)
        reduce(&state, .click(x: 0, y: 1), snapshot)
        #expect(state.selectedIndex == 0)
    }

    @Test func clickInSignalsSelectsTheRowUnderTheMouse() {
        var state = Fixtures.state()
        state.view = .signals
        // Content top 3: scope line, header on 4, rows from 5.
        reduce(&state, .click(x: 50, y: 6), snapshot)
        #expect(state.row == 1)
        reduce(&state, .click(x: 50, y: 5), snapshot)
        #expect(state.row == 0)
        // Exposure at 120×40: content top 3, title, two index lines, a blank, the header on 7, rows from 8.
        state.view = .exposure
        reduce(&state, .click(x: 40, y: 10), snapshot)
        #expect(state.row == 2)
        reduce(&state, .click(x: 40, y: 8), snapshot)
        #expect(state.row == 0)
    }

    @Test func allSignalsToggleShowsEveryTokenAndResetsTheRow() {
        var state = Fixtures.state()
        state.selectedIndex = 1  // Beta holds BTC and AAVE: one of the two signals
        state.view = .signals
        #expect(ViewData.rowCount(snapshot, state) == 1)
        reduce(&state, .toggleAllSignals, snapshot)
        #expect(state.allSignals)
        #expect(ViewData.rowCount(snapshot, state) == 2)
        #expect(state.message == "signals: all tokens (a: this index only)")
        reduce(&state, .toggleAllSignals, snapshot)
        #expect(state.message == "signals: Beta DeFi only (a: all tokens)")
    }

    @Test func snapshotLoadClampsSelectionAndClearsError() {
        var state = Fixtures.state()
        state.selectedIndex = 5
        state.row = 9
        reduce(&state, .snapshotFailed("database is locked"), snapshot)
        #expect(state.loadError == "database is locked")
        reduce(&state, .snapshotLoaded(flashes: ["BTC": 1]), snapshot)
        #expect(state.loadError == nil)
        #expect(state.selectedIndex == 1)
        #expect(state.flashes == ["BTC": 1])
    }

    @Test func priceChangesComparesSymbols() {
        var next = snapshot
        next.indices[0].holdings[0].price = 61_000
        next.indices[0].holdings[1].price = 2_900
        #expect(priceChanges(from: snapshot, to: next) == ["BTC": 1, "ETH": -1])
        #expect(priceChanges(from: snapshot, to: snapshot).isEmpty)
    }
}
