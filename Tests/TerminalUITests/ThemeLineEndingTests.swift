import Testing

@testable import TerminalUI

/// Theme files saved on Windows (CRLF), old Macs (CR) or with a BOM read like LF files (issue 9: the theme
/// reader did not use the one line reader; a CRLF file reported every line as bad).
@Suite struct ThemeLineEndingTests {
    @Test(arguments: ["\n", "\r\n", "\r"])
    func everyLineEndingAndABOMGiveTheSameTheme(end: String) {
        let text = "\u{FEFF}# comment" + end + "theme[gain]=\"green\"" + end + "theme[loss]=\"200 10 10\"" + end
        let (theme, diagnostics) = ThemeParser.parse(text, name: "t", file: "t.theme")
        #expect(diagnostics.isEmpty)
        #expect(theme.color("gain") == .ansi(2))
        #expect(theme.color("loss") == .rgb(200, 10, 10))
    }

    @Test func diagnosticsNameTheRightLineInACRLFFile() {
        let (_, diagnostics) = ThemeParser.parse(
            "theme[gain]=\"green\"\r\n\r\ntheme[loss]=\"nope\"\r\n", name: "t", file: "t.theme")
        #expect(diagnostics.map(\.line) == [3])
    }
}
