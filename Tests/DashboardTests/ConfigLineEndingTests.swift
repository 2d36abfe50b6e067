import Dashboard
import Testing

/// The config file through the one line reader (issue 9): a BOM, CRLF and CR endings.
@Suite struct ConfigLineEndingTests {
    @Test(arguments: ["\n", "\r\n", "\r"])
    func everyLineEndingAndABOMGiveTheSameSettings(end: String) {
        let config = DashboardConfig(text: "\u{FEFF}theme = nord" + end + "# c" + end + "refresh = 5" + end, path: "c")
        #expect(config.problems.isEmpty)
        #expect(config.string("theme") == "nord")
        #expect(config.string("refresh") == "5")
        #expect(config.entries["refresh"]?.line == 3)
    }
}
