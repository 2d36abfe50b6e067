import Dashboard
import TerminalUI
import Testing

/// The `e` modal on a tracked holding and the executed drill-down, through the pure reducer and renderer.
@Suite struct EditHoldingModalTests {
    var snapshot: DashboardSnapshot

    init() {
        snapshot = Fixtures.snapshot()
        snapshot.indices[0].tracked = true
    }

    func press(_ keys: [Key], _ state: inout UIState, on snap: DashboardSnapshot? = nil) -> [Effect] {
        var effects: [Effect] = []
        for key in keys {
            guard let action = state.keyMap.action(for: key, state: state) else { continue }
            effects += reduce(&state, action, snap ?? snapshot)
        }
        return effects
    }

    @Test func editingATrackedHoldingSendsAnAdjustment() {
        var state = Fixtures.state()
        state.view = .holdings
        _ = press([.char("e")], &state)
        // The selected row is BTC (largest value): 0.01 held, basis = value − P&L = 600 − 50.
        #expect(state.edit?.symbol == "BTC")
        #expect(state.edit?.fields == ["0.01", "550", ""])
        let text = renderDashboardText(snapshot, state, width: 120, height: 40)
        #expect(text.contains("edit BTC in alpha"))
        // Replace the quantity by 0.02, keep the basis, give a reason ("q" is text here, not quit).
        let keys: [Key] =
            [.backspace, .char("2"), .tab, .tab] + "moved from a hardware wallet, q".map { Key.char($0) } + [.enter]
        let effects = press(keys, &state)
        #expect(!state.quit)
        #expect(
            effects == [
                .adjustHolding(
                    HoldingAdjustment(
                        slug: "alpha", symbol: "BTC", quantity: 0.02, costBasis: 550,
                        reason: "moved from a hardware wallet, q"))
            ])
        #expect(state.edit?.saving == true)
        #expect(reduce(&state, .edit(.saved("BTC adjusted")), snapshot) == [.reload])
        #expect(state.edit == nil && state.message == "BTC adjusted")
    }

    @Test func aReasonIsRequiredAndEscCancels() {
        var state = Fixtures.state()
        _ = press([.char("e")], &state)
        #expect(press([.enter], &state).isEmpty)
        #expect(state.edit?.error?.contains("reason") == true)
        #expect(state.edit?.focus == 2)
        _ = press([.escape], &state)
        #expect(state.edit == nil)
        #expect(state.message == "edit cancelled")
    }

    @Test func aModelIndexRefuses() {
        var state = Fixtures.state()
        var model = snapshot
        model.indices[0].tracked = false
        #expect(press([.char("e")], &state, on: model).isEmpty)
        #expect(state.edit == nil)
        #expect(state.message?.contains("model index") == true)
    }

    @Test func theDrillDownShowsTheShortfall() {
        var snapshot = snapshot
        snapshot.indices[0].rebalances[0].status = "executed"
        snapshot.indices[0].rebalances[0].execution = ExecutionSummary(
            shortfall: 3, shortfallBp: 50,
            fills: [
                .init(
                    symbol: "BTC", side: "buy", plannedPrice: 60_000, quantity: 0.0005, price: 60_300, shortfall: 0.15,
                    shortfallBp: 50)
            ])
        var state = Fixtures.state()
        state.view = .rebalances
        state.drill = 7
        let text = renderDashboardText(snapshot, state, width: 120, height: 40)
        #expect(text.contains("implementation shortfall $3.00 (50.0 bp)"))
        #expect(text.contains("buy BTC: filled 0.0005000 at 60,300.00 vs 60,000.00 planned"))
        // The index list marks the tracked index.
        #expect(text.contains("T Alpha Top"))
    }
}
