import IndexCore
import Testing
import TerminalUI

@testable import Dashboard

@Suite struct KeyMapConfigTests {
    @Test func configParsesKeyValueLinesAndComments() {
        let config = DashboardConfig(
            text: "# comment\ntheme = nord\n\nrefresh=2.5\nascii = yes\nkey.filter = #\nbroken line\n", path: "c.conf")
        #expect(config.string("theme") == "nord")
        #expect(config.double("refresh") == 2.5)
        #expect(config.bool("ascii") == true)
        #expect(config.string("key.filter") == "#")
        #expect(config.problems == ["c.conf:7: expected key = value"])
    }

    @Test func userBindingOverridesDefault() {
        let config = DashboardConfig(text: "key.rebalance = R\nkey.quit = r, F10\n", path: "c")
        let (map, problems) = KeyMap.from(config: config)
        #expect(problems.isEmpty)
        #expect(map.command(for: .char("R")) == .rebalance)
        #expect(map.command(for: .char("r")) == .quit)  // the user's r beats the default r = rebalance
        #expect(map.command(for: .char("q")) == nil)  // quit now has exactly r and F10
        #expect(map.keys[.quit] == [.char("r"), .function(10)])
        #expect(map.command(for: .char("j")) == .down)  // untouched defaults stay
    }

    @Test func badBindingsAreReportedWithLine() {
        let config = DashboardConfig(text: "key.fly = x\nkey.quit = hyper\n", path: "c")
        let (map, problems) = KeyMap.from(config: config)
        #expect(problems.sorted() == ["c:1: unknown key command 'fly'", "c:2: unknown key name 'hyper'"])
        #expect(map.command(for: .char("q")) == .quit)
    }

    @Test func optionsOverrideConfig() {
        let config = DashboardConfig(text: "theme = nord\nrefresh = 5\nascii = true\n", path: "c")
        let (fromConfig, _) = DashboardOptions(environment: [:]).initialState(config: config, themeNames: ["default"])
        #expect(fromConfig.themeName == "nord")
        #expect(fromConfig.refreshInterval == 5)
        #expect(fromConfig.ascii)
        let (fromFlags, _) = DashboardOptions(theme: "light", refresh: 2, environment: [:])
            .initialState(config: config, themeNames: ["default"])
        #expect(fromFlags.themeName == "light")
        #expect(fromFlags.refreshInterval == 2)
    }

    @Test func configPathFollowsXDG() {
        #expect(DashboardConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "/x"]) == "/x/indextop/indextop.conf")
        #expect(DashboardConfig.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/indextop/indextop.conf")
    }
}

@Suite struct FormatTests {
    @Test(arguments: [
        (1234.5, 2, true, "1,234.50"), (-0.004, 2, false, "0.00"), (-1.005, 1, false, "-1.0"),
        (999_999.5, 0, true, "1,000,000"),
        (0.125, 2, false, "0.13"),
    ])
    func fixed(v: Double, d: Int, grouped: Bool, expected: String) {
        #expect(Format.fixed(v, d, grouped: grouped) == expected)
    }

    @Test func moneyPercentAndTimes() {
        #expect(Format.money(-1234.5) == "-$1,234.50")
        #expect(Format.compactMoney(2_500_000) == "$2.50M")
        #expect(Format.compactMoney(12_345.6) == "$12,346")
        #expect(Format.percent(0.0123, signed: true) == "+1.23%")
        #expect(Format.percent(-0.5) == "-50.00%")
        #expect(Format.percent(nil) == "-")
        // Checked with python3 datetime.utcfromtimestamp.
        #expect(Format.dateTime(1_715_500_800) == "2024-05-12 08:00:00")
        #expect(Format.dateTime(951_782_400) == "2000-02-29 00:00:00")
        #expect(Format.dateTime(-86_400) == "1969-12-31 00:00:00")
        #expect(Format.age(59) == "59s")
        #expect(Format.age(3_600) == "1h")
    }

    @Test func exposureAggregatesAcrossIndices() {
        // Alpha 1 000 (BTC 600, ETH 300, cash 100) + Beta 3 000 (BTC 1 500, AAVE 1 500) = 4 000.
        let e = ViewData.exposure(Fixtures.snapshot())
        #expect(e.indices.map(\.share) == [0.25, 0.75])
        #expect(e.tokens.map(\.name) == ["BTC", "AAVE", "ETH", "CASH"])
        #expect(e.tokens.map(\.share) == [0.525, 0.375, 0.075, 0.025])
        #expect(e.tokens[0].indices == 2)
        #expect(e.sectors.map(\.name) == ["Layer-1", "DeFi", "Cash"])
        #expect(e.sectors.map(\.share) == [0.6, 0.375, 0.025])
    }
}
