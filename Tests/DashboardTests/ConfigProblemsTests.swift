import Testing
import TerminalUI

@testable import Dashboard

/// Config problems are each reported with file:line, numbers are validated and clamped, and the footer
/// and help show the bindings in force.
@Suite struct ConfigProblemsTests {
    @Test func everyProblemIsListedWithItsLineInOrder() {
        let text = """
            theme = nord
            refresh = abc
            bogus = 1
            ascii = maybe
            sim_interval = 99999
            key.fly = x
            no equals here
            """
        let config = DashboardConfig(text: text, path: "/c/indextop.conf")
        let (state, problems) = DashboardOptions(environment: [:]).initialState(config: config, themeNames: [])
        #expect(problems.count == 6)
        #expect(problems[0] == "/c/indextop.conf:2: refresh: 'abc' is not a number")
        #expect(problems[1].hasPrefix("/c/indextop.conf:3: bogus: unknown setting (known: "))
        #expect(problems[2] == "/c/indextop.conf:4: ascii: 'maybe' is not true or false")
        #expect(problems[3] == "/c/indextop.conf:5: sim_interval: 99999 is out of range 0.2–3600: using 3600")
        #expect(problems[4] == "/c/indextop.conf:6: unknown key command 'fly'")
        #expect(problems[5] == "/c/indextop.conf:7: expected key = value")
        #expect(state.refreshInterval == 1)  // `abc` is ignored: the default
        #expect(config.number("sim_interval") == 3600)
        #expect(configSummary(problems) == problems[0] + "  (+5 more: ? lists them)")
    }

    @Test(arguments: [
        ("inf", 3600.0), ("1e11", 3600), ("0.01", 0.25), ("-5", 0.25), ("2.5", 2.5), ("3600", 3600),
    ])
    func refreshIsClampedTo025Through3600(value: String, expected: Double) {
        let config = DashboardConfig(text: "refresh = \(value)\n", path: "c")
        let (state, problems) = DashboardOptions(environment: [:]).initialState(config: config, themeNames: [])
        #expect(state.refreshInterval == expected)
        #expect(problems.isEmpty == (Double(value)! == expected))
    }

    @Test func refreshFlagIsClampedWithAMessage() {
        let (state, problems) = DashboardOptions(refresh: 1e11, environment: [:])
            .initialState(config: .none, themeNames: [])
        #expect(state.refreshInterval == 3600)
        #expect(problems == ["--refresh 100000000000.0 is out of range 0.25–3600 s: using 3600"])
        let (fast, _) = DashboardOptions(refresh: 0.001, environment: [:]).initialState(config: .none, themeNames: [])
        #expect(fast.refreshInterval == 0.25)
    }

    @Test func footerShowsTheBindingsInForce() {
        let (map, _) = KeyMap.from(config: DashboardConfig(text: "key.rebalance = R\nkey.quit = F10\n", path: "c"))
        let hints = footerHints(map)
        #expect(hints.contains { $0 == ("R", "rebalance") })
        #expect(hints.contains { $0 == ("F10", "quit") })
        #expect(!hints.contains { $0.0 == "r" || $0.0 == "q" })
        var state = Fixtures.state()
        state.keyMap = map
        let footer =
            renderDashboardText(Fixtures.snapshot(), state, width: 120, height: 40)
            .split(separator: "\n").last ?? ""
        #expect(footer.hasPrefix("F10 quit ? help 1-6 views R rebalance"))
    }

    @Test func helpScrollsWhenItDoesNotFit() {
        var state = Fixtures.state(width: 60, height: 15)
        let snapshot = Fixtures.snapshot()
        reduce(&state, .toggleHelp, snapshot)
        let g = helpGeometry(state)
        #expect(g.lines == KeyCommand.allCases.count + 4)  // one column at 60: every command and 4 more lines
        #expect(g.visible < g.lines)
        let top = renderDashboardText(snapshot, state, width: 60, height: 15)
        #expect(top.contains("move up") && !top.contains("signals: all / this index"))
        // j scrolls (it does not close), G reaches the last line, any other key closes.
        reduce(&state, state.keyMap.action(for: .char("j"), state: state)!, snapshot)
        #expect(state.showHelp && state.helpScroll == 1)
        reduce(&state, state.keyMap.action(for: .char("G"), state: state)!, snapshot)
        #expect(state.helpScroll == g.lines - g.visible)
        let bottom = renderDashboardText(snapshot, state, width: 60, height: 15)
        #expect(bottom.contains("click selects, wheel scrolls"))
        reduce(&state, state.keyMap.action(for: .char("x"), state: state)!, snapshot)
        #expect(!state.showHelp && !state.privacy)
    }
}
