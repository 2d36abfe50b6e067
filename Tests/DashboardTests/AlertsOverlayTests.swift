import Dashboard
import Foundation
import TerminalUI
import Testing

/// The alerts overlay through the pure reducer and renderer.
@Suite struct AlertsOverlayTests {
    let snapshot: DashboardSnapshot

    init() {
        var s = Fixtures.snapshot()
        s.indices[0].holdings[0].target = 0.52  // alpha: BTC +8 points, ETH −6: BTC is the furthest
        s.indices[0].holdings[0].drift = 0.08
        s.alerts = [
            AlertRow(
                id: 9, kind: "signal", index: "alpha", asset: "ETH", firstSeen: Fixtures.now - 60,
                message: "alpha: ETH signal bullish → bearish"),
            AlertRow(
                id: 4, kind: "drift", index: "beta", state: "acknowledged", firstSeen: Fixtures.now - 3_600,
                message: "beta: BTC at 60.0% vs target 52.0%, beyond the band ±5.0 pts"),
        ]
        snapshot = s
    }

    func press(_ key: Key, _ state: inout UIState) -> [Effect] {
        guard let action = state.keyMap.action(for: key, state: state) else { return [] }
        return reduce(&state, action, snapshot)
    }

    func text(_ state: UIState) -> String { renderDashboardText(snapshot, state, width: 120, height: 40) }

    @Test func theHeaderCountsNewAlertsAndTheListMarksTheirIndices() {
        let screen = text(Fixtures.state())
        let header = screen.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("! 1 new"))
        #expect(screen.contains("│! Alpha Top") && screen.contains("│! Beta DeFi"))
        var quiet = snapshot
        quiet.alerts = [snapshot.alerts[1]]
        let one = renderDashboardText(quiet, Fixtures.state(), width: 120, height: 40)
        #expect(one.split(separator: "\n").first?.contains("1 alert") == true)
        #expect(one.contains("│! Beta DeFi") && !one.contains("│! Alpha Top"))
    }

    @Test func theOverlayListsNewestFirstAndEnterJumpsToTheAsset() {
        var state = Fixtures.state()
        state.selectedIndex = 1
        #expect(press(.char("!"), &state).isEmpty)
        let screen = text(state)
        #expect(screen.contains("alerts (2 open)"))
        let signal = screen.range(of: "alpha: ETH signal bullish → bearish")
        let drift = screen.range(of: "beta: BTC at 60.0%")
        #expect(signal != nil && drift != nil && signal!.lowerBound < drift!.lowerBound)
        // Enter on the signal alert: index alpha, Signals view, this index's tokens, the ETH row.
        _ = press(.enter, &state)
        #expect(state.alertsOverlay == nil)
        #expect(state.selectedIndex == 0 && state.view == .signals && !state.allSignals)
        #expect(ViewData.signals(snapshot, state)[state.row].symbol == "ETH")
        // A drift alert of alpha (as if): Holdings, on its furthest holding (BTC, +8 points).
        var s = snapshot
        s.alerts[1].index = "alpha"
        state.selectedIndex = 1
        _ = reduce(&state, .alerts(.toggle), s)
        _ = reduce(&state, .alerts(.down), s)
        _ = reduce(&state, .alerts(.jump), s)
        #expect(state.selectedIndex == 0 && state.view == .holdings)
        #expect(ViewData.holdings(snapshot.indices[0], state)[state.row].symbol == "BTC")
        // The beta drift alert: index beta, Holdings.
        _ = press(.char("!"), &state)
        _ = press(.char("j"), &state)
        _ = press(.enter, &state)
        #expect(state.selectedIndex == 1 && state.view == .holdings)
    }

    @Test func aAcknowledgesANewAlertOnly() {
        var state = Fixtures.state()
        _ = press(.char("!"), &state)
        #expect(press(.char("a"), &state) == [.acknowledgeAlert(9)])
        #expect(state.alertsOverlay != nil && !state.allSignals)  // `a` is not the signals toggle here
        #expect(reduce(&state, .alerts(.acknowledged(9)), snapshot) == [.reload])
        #expect(state.message == "alert 9 acknowledged")
        _ = press(.char("j"), &state)
        #expect(press(.char("a"), &state).isEmpty)
        #expect(state.message == "alert 4 is already acknowledged")
        _ = press(.escape, &state)
        #expect(state.alertsOverlay == nil)
        _ = press(.char("!"), &state)
        _ = press(.click(x: 3, y: 5), &state)  // a click closes the overlay, selecting nothing under it
        #expect(state.alertsOverlay == nil && state.focus == .main)
    }
}
