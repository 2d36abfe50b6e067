import Foundation
import IndexCore
import MarketData
import Testing
import TerminalUI

@testable import Dashboard

/// The dashboard's safety rules: nothing acts on a screen the user cannot see, and a confirmed plan is
/// applied exactly as previewed or shown again.
@Suite struct SafetyTests {
    let snapshot = Fixtures.snapshot()

    func press(_ key: Key, _ state: inout UIState) -> [Effect] {
        guard let action = state.keyMap.action(for: key, state: state) else { return [] }
        return reduce(&state, action, snapshot)
    }

    @Test func tooSmallScreenTakesOnlyQuit() {
        var state = Fixtures.state(width: 50, height: 12)
        // Every default binding except quit does nothing: no modal, no view change, no effect.
        for command in KeyCommand.allCases where command != .quit {
            for key in KeyMap.defaults.keys[command]! {
                var s = state
                #expect(press(key, &s).isEmpty, "\(command)")
                #expect(s == state, "\(command)")
            }
        }
        // Actions that reach the reducer directly (clicks, wheel) are refused too.
        var s = state
        #expect(reduce(&s, .rebalance, snapshot).isEmpty)
        #expect(s.modal == nil)
        #expect(press(.char("q"), &state) == [.quit])
    }

    @Test func aModalHiddenByATooSmallScreenCannotBeConfirmed() {
        var state = Fixtures.state()
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(Fixtures.preview), snapshot)
        reduce(&state, .resize(width: 50, height: 12), snapshot)
        #expect(press(.char("y"), &state).isEmpty)
        #expect(state.modal?.phase == .preview(Fixtures.preview, stale: false, confirmedOnce: false))
        // Back at a size where the modal shows, y applies.
        reduce(&state, .resize(width: 120, height: 40), snapshot)
        #expect(press(.char("y"), &state) == [.applyRebalance(Fixtures.preview)])
    }

    @Test func aChangedPlanIsShownAndAskedAgain() {
        var state = Fixtures.state()
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(Fixtures.preview), snapshot)
        #expect(press(.char("y"), &state) == [.applyRebalance(Fixtures.preview)])
        var changed = Fixtures.preview
        changed.trades[0].quantity = 0.0011
        changed.trades[0].notional = 66
        reduce(&state, .planChanged(changed), snapshot)
        #expect(state.modal?.phase == .preview(changed, stale: false, confirmedOnce: false))
        #expect(state.modal?.notice?.hasPrefix("NOT APPLIED") == true)
        let text = renderDashboardText(snapshot, state, width: 120, height: 40)
        #expect(text.contains("NOT APPLIED: the plan changed since the preview"))
        #expect(text.contains("0.001100"))
        // The second y confirms the new plan, not the old one.
        #expect(press(.char("y"), &state) == [.applyRebalance(changed)])
    }

    @Test func modalTakesNoDashboardKeys() {
        var state = Fixtures.state()
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(Fixtures.preview), snapshot)
        for key: Key in [.char("1"), .char("3"), .char("s"), .char("/"), .char("x"), .char("t"), .tab, .enter] {
            var s = state
            #expect(press(key, &s).isEmpty)
            #expect(s.view == state.view && s.focus == state.focus && s.privacy == state.privacy, "\(key)")
            #expect(!s.filterEditing)
        }
    }

    static func bigPreview(_ n: Int) -> RebalancePreview {
        var p = Fixtures.preview
        p.trades = (0..<n).map {
            TradeRow(symbol: "T\($0)", side: .buy, quantity: 1, price: 10, notional: 10, fee: 0.01, slippage: 0.005)
        }
        p.weights = []
        p.skipped = [SkippedRow(symbol: "DUST", notional: 2, reason: "below the minimum trade (10)")]
        return p
    }

    @Test func previewScrollsThroughEveryTrade() {
        // 60×15: the modal shows few rows; j, PgDn and G reach the last trade and the skipped one.
        var state = Fixtures.state(width: 60, height: 15)
        let p = Self.bigPreview(30)
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(p), snapshot)
        let visible = previewVisibleRows(state)
        #expect(visible >= 1 && visible < 31)
        let first = renderDashboardText(snapshot, state, width: 60, height: 15)
        #expect(first.contains("T0 ") && !first.contains("DUST"))
        #expect(first.contains("rows 1–\(visible) of 31"))
        _ = press(.char("j"), &state)
        #expect(state.modal?.scroll == 1)
        _ = press(.pageDown, &state)
        #expect(state.modal?.scroll == 1 + max(1, visible - 1))
        _ = press(.char("G"), &state)
        #expect(state.modal?.scroll == 31 - visible)
        let last = renderDashboardText(snapshot, state, width: 60, height: 15)
        #expect(last.contains("DUST") && last.contains("T29 "), "\(last)")
        _ = press(.char("j"), &state)
        #expect(state.modal?.scroll == 31 - visible)  // clamped at the last page
        _ = press(.char("g"), &state)
        #expect(state.modal?.scroll == 0)
        // Scrolling never moved the dashboard under the modal.
        #expect(state.row == 0 && state.selectedIndex == 0)
    }

    @Test func previewShowsWeightsSkippedCostsAndCash() {
        var state = Fixtures.state()
        var p = Fixtures.preview
        p.cashAfter = 160
        _ = press(.char("r"), &state)
        reduce(&state, .previewReady(p), snapshot)
        let text = renderDashboardText(snapshot, state, width: 120, height: 40)
        // Fees 0.30 + slippage 0.20 = costs 0.50; NAV 1,000.00 → 999.50.
        #expect(text.contains("turnover 12.00%   fees $0.30   slippage $0.20   costs $0.50"))
        #expect(text.contains("NAV before $1,000.00 → after $999.50   cash after $160.00"))
        let btc = text.split(separator: "\n").first { $0.contains("sell BTC") } ?? ""
        // BTC: weight 60.0% before, 54.0% target and after; fee $0.06, slippage $0.03.
        #expect(btc.contains("60.0%") && btc.contains("54.0%") && btc.contains("$0.06") && btc.contains("$0.03"))
        let eth = text.split(separator: "\n").first { $0.contains("skip ETH") } ?? ""
        #expect(eth.contains("below the minimum trade (10)") && eth.contains("$6.00"), "\(eth)")
        #expect(text.contains("1 trades · 1 skipped · alpha"))
    }

    @Test func failedFeedIsPaintedAsAnAlert() {
        var snap = snapshot
        snap.feed.state = .error("cannot reach api.coingecko.com: no network")
        let state = Fixtures.state()
        let buffer = renderDashboard(snap, state, width: 120, height: 40, theme: .standard)
        let header = buffer.text()[0]
        let range = header.range(of: "sim error")!
        let x = header.distance(from: header.startIndex, to: range.lowerBound) + 4
        #expect(buffer[x, 0].style.role == .alert)
        // The reason is in the footer, in words.
        #expect(buffer.text()[39].hasPrefix("feed sim: cannot reach api.coingecko.com: no network"))
        #expect(buffer[0, 39].style.role == .alert)
        // A feed that is retrying warns; a live one does not.
        snap.feed.state = .backingOff(until: Double(Fixtures.now + 12), reason: "HTTP 429")
        let retrying = renderDashboard(snap, state, width: 120, height: 40, theme: .standard)
        #expect(retrying.text()[0].contains("sim retry 12s"))
        #expect(retrying.text()[39].hasPrefix("feed sim retrying: HTTP 429"))
    }

    @Test func sortWorksInEveryTableWithADescendingArrow() {
        var state = Fixtures.state()
        state.view = .signals
        // Score, largest first: BTC 0.5 before ETH -0.4; `S` reverses.
        #expect(ViewData.signals(snapshot, state).map(\.symbol) == ["BTC", "ETH"])
        #expect(renderDashboardText(snapshot, state, width: 120, height: 40).contains("Score▼"))
        _ = press(.char("S"), &state)
        #expect(ViewData.signals(snapshot, state).map(\.symbol) == ["ETH", "BTC"])
        #expect(renderDashboardText(snapshot, state, width: 120, height: 40).contains("Score▲"))
        // Rebalances: newest first (#7 then #3); by turnover, largest first: #3 (100%) then #7 (10%).
        state.view = .rebalances
        let index = snapshot.indices[0]
        #expect(ViewData.rebalances(index, state).map(\.id) == [7, 3])
        _ = press(.char("S"), &state)
        #expect(ViewData.rebalances(index, state).map(\.id) == [3, 7])
        _ = press(.char("s"), &state)
        #expect(state.message == "sort by turnover, largest first ▼")
        #expect(ViewData.rebalances(index, state).map(\.id) == [3, 7])
        // Exposure tokens: value first (BTC 2,100; AAVE 1,500; ETH 300; CASH 100), then by name A–Z.
        state.view = .exposure
        let tokens = ViewData.exposure(snapshot).tokens
        #expect(ViewData.sortedExposure(tokens, state).map(\.name) == ["BTC", "AAVE", "ETH", "CASH"])
        _ = press(.char("s"), &state)
        #expect(ViewData.sortedExposure(tokens, state).map(\.name) == ["AAVE", "BTC", "CASH", "ETH"])
        #expect(renderDashboardText(snapshot, state, width: 120, height: 40).contains("Token▲"))
        // Keys: soonest expiry first; by id A–Z.
        var keyed = Fixtures.snapshot(keys: true)
        keyed.keys?.append(
            KeyRow(
                id: "a0", provider: "tokenmetrics", env: "dev", scope: "read", state: "active", expires: 100,
                masked: "****"))
        keyed.keys?[0].expires = 50
        state.view = .keys
        #expect(ViewData.keys(keyed, state).map(\.id) == ["k1", "a0"])
        _ = reduce(&state, .nextSort, keyed)
        #expect(ViewData.keys(keyed, state).map(\.id) == ["a0", "k1"])
    }
}

/// Navigation: the index list's headings and filter, the compact picker's arrows, Ctrl-R and Ctrl-L.
@Suite struct NavigationTests {
    let snapshot = Fixtures.snapshot()

    func press(_ key: Key, _ state: inout UIState) -> [Effect] {
        guard let action = state.keyMap.action(for: key, state: state) else { return [] }
        return reduce(&state, action, snapshot)
    }

    @Test func indexListHasHeadingsAndSlugs() {
        let lines = renderDashboardText(snapshot, Fixtures.state(), width: 120, height: 40).split(separator: "\n")
        #expect(lines[2].hasPrefix("│ 24h     drift   next") && lines[2].contains("NAV│"))
        #expect(lines[3].contains("│Alpha Top            $1,000.00│"))
        #expect(lines[1].contains("┌─ Alpha Top · alpha "))
    }

    @Test func slashWithTheListFocusedFiltersIndices() {
        var state = Fixtures.state()
        _ = press(.tab, &state)
        #expect(state.focus == .indices)
        _ = press(.char("/"), &state)
        for ch in "def" { _ = press(.char(ch), &state) }
        // Only Beta DeFi matches: it is selected, and j stays on it.
        #expect(ViewData.visibleIndices(snapshot, state) == [1])
        #expect(state.selectedIndex == 1)
        #expect(state.filter.isEmpty)
        _ = press(.enter, &state)
        _ = press(.char("k"), &state)
        #expect(state.selectedIndex == 1)
        let text = renderDashboardText(snapshot, state, width: 120, height: 40)
        #expect(text.contains("Beta DeFi") && !text.contains("│Alpha Top "))
        #expect(text.contains("indices: def"))
        _ = press(.escape, &state)
        #expect(state.indexFilter.isEmpty)
        #expect(ViewData.visibleIndices(snapshot, state) == [0, 1])
    }

    @Test func arrowsMoveTheCompactPicker() {
        var state = Fixtures.state(width: 80, height: 24)
        _ = press(.right, &state)
        #expect(state.selectedIndex == 1)
        #expect(state.focus == .main)
        _ = press(.right, &state)
        #expect(state.selectedIndex == 1)  // clamped
        _ = press(.left, &state)
        #expect(state.selectedIndex == 0)
        // In the full layout they switch pane.
        var full = Fixtures.state()
        _ = press(.left, &full)
        #expect(full.focus == .indices && full.selectedIndex == 0)
    }

    @Test func ctrlRRefreshesAndCtrlLReloadsTheConfig() {
        var state = Fixtures.state()
        #expect(KeyDecoder.decode(character: 18) == .ctrl("r"))
        #expect(KeyDecoder.decode(character: 12) == .ctrl("l"))
        #expect(KeyDecoder.decode(character: 9) == .tab)
        #expect(Key(name: "ctrl-r") == .ctrl("r") && Key(name: "^L") == .ctrl("l"))
        #expect(press(.ctrl("r"), &state) == [.refreshAll])
        #expect(press(.ctrl("l"), &state) == [.reloadConfig])
        let (map, _) = KeyMap.from(config: DashboardConfig(text: "key.rebalance = R\n", path: "c"))
        let effects = reduce(&state, .configReloaded(keyMap: map, refresh: 5, problems: []), snapshot)
        #expect(effects == [.setRefresh(5)])
        #expect(state.keyMap.command(for: .char("R")) == .rebalance)
        #expect(state.message == "config reloaded")
    }
}
