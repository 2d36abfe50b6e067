import Testing

@testable import TerminalUI

/// Colour handling: direct-colour numbers, an 8-colour selection that is neither gain nor loss, and a
/// default theme readable on dark and light terminals (WCAG contrast, worked from the published formula).
@Suite struct ColorTests {
    @Test func directColourSendsRGBNeverAPaletteIndexAsRGB() {
        // xterm-direct: 0–7 are the ANSI colours; bright blue (12) is xterm's 92 92 255 = 0x5C5CFF.
        #expect(ColorDegradation.colorNumber(.ansi(3), depth: .truecolor, directColor: true) == 3)
        #expect(ColorDegradation.colorNumber(.ansi(12), depth: .truecolor, directColor: true) == 0x5C5CFF)
        #expect(ColorDegradation.colorNumber(.rgb(0x30, 0x86, 0x30), depth: .truecolor, directColor: true) == 0x308630)
        // An RGB value under 8 would be read as an ANSI colour: sent as 8 (still black to the eye).
        #expect(ColorDegradation.colorNumber(.rgb(0, 0, 5), depth: .truecolor, directColor: true) == 8)
        #expect(ColorDegradation.colorNumber(.terminalDefault, depth: .truecolor, directColor: true) == -1)
        // A direct-colour terminfo is truecolor without COLORTERM; COLORTERM=truecolor with 256 colours too.
        #expect(ColorDepth.detect(environment: [:], colors: 0x100_0000) == .truecolor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "24bit"], colors: 256) == .truecolor)
        #expect(ColorDepth.detect(environment: [:], colors: 256) == .ansi256)
    }

    @Test func directColourTerminfoIsOnlyWantedWhenAsked() {
        #expect(DirectColorTerminfo.wanted(["COLORTERM": "truecolor", "TERM": "xterm-256color"]))
        #expect(!DirectColorTerminfo.wanted(["COLORTERM": "truecolor", "TERM": "xterm-direct"]))
        #expect(!DirectColorTerminfo.wanted(["TERM": "xterm-256color"]))
        let source = DirectColorTerminfo.source(term: "xterm-256color")
        #expect(source.hasPrefix("indextop-direct-xterm-256color|"))
        #expect(source.contains("colors#16777216") && source.contains("use=xterm-256color,"))
    }

    @Test(arguments: [ColorDepth.ansi8, .ansi16])
    func selectionIsNotAGainOrLossColourInFewColours(depth: ColorDepth) {
        // The default selection (#6A2F2F, a dark red) folds onto red: the selection becomes blue.
        let selected = ColorDegradation.pair(
            fg: .rgb(0xEE, 0xEE, 0xEE), bg: .rgb(0x6A, 0x2F, 0x2F), depth: depth, selection: true)
        #expect(selected.bg == 4)
        #expect(selected.fg == 7)  // #EEEEEE is xterm white (229) in both
        let loss = ColorDegradation.colorNumber(Theme.standard.foreground(.loss), depth: depth)
        let gain = ColorDegradation.colorNumber(Theme.standard.foreground(.gain), depth: depth)
        #expect(![loss, gain].contains(selected.bg))
        // Not a selection: the same colours keep their red.
        #expect(ColorDegradation.pair(fg: .rgb(0xEE, 0xEE, 0xEE), bg: .rgb(0x6A, 0x2F, 0x2F), depth: depth).bg == 1)
    }

    @Test func contrastFollowsWCAG() {
        // White on black is 21:1; #767676 on white is the classic 4.54:1.
        #expect(abs(ThemeColor.rgb(255, 255, 255).contrast(with: .rgb(0, 0, 0))! - 21) < 1e-9)
        #expect(abs(ThemeColor.rgb(0x76, 0x76, 0x76).contrast(with: .rgb(255, 255, 255))! - 4.54) < 0.01)
        #expect(ThemeColor.terminalDefault.contrast(with: .rgb(0, 0, 0)) == nil)
    }

    @Test(arguments: Role.allCases)
    func defaultThemeReadsOnDarkAndLightTerminals(role: Role) {
        let theme = Theme.standard
        let fg = theme.foreground(role)
        let bg = theme.background(role)
        if bg == .terminalDefault {
            // Drawn on the terminal's own background, black or white: the terminal's own colour, or ≥ 4.5:1
            // against both. The div line is a rule, not text.
            guard fg != .terminalDefault, role != .divLine else { return }
            #expect(fg.contrast(with: .rgb(0, 0, 0))! >= 4.5, "\(role) on black")
            #expect(fg.contrast(with: .rgb(255, 255, 255))! >= 4.5, "\(role) on white")
        } else {
            // The header and selection bars bring their own background.
            #expect(fg.contrast(with: bg)! >= 4.5, "\(role) on its bar")
        }
    }
}
