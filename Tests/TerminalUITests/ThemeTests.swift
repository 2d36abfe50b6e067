import Foundation
import Testing

@testable import TerminalUI

@Suite struct ThemeColorTests {
    @Test(arguments: [
        ("#FF8000", ThemeColor.rgb(255, 128, 0)),
        ("#80", ThemeColor.rgb(128, 128, 128)),
        ("10 20 30", ThemeColor.rgb(10, 20, 30)),
        ("0", ThemeColor.ansi(0)),
        ("15", ThemeColor.ansi(15)),
        ("red", ThemeColor.ansi(1)),
        ("bright-blue", ThemeColor.ansi(12)),
        ("Bright_White", ThemeColor.ansi(15)),
        ("", ThemeColor.terminalDefault),
        ("  ", ThemeColor.terminalDefault),
    ])
    func parsesValidValues(text: String, expected: ThemeColor) {
        #expect(ThemeColor(parsing: text) == expected)
    }

    @Test(arguments: ["#FF80", "#GG0000", "16", "-1", "256 0 0", "1 2", "purple-ish", "#1234567"])
    func rejectsInvalidValues(text: String) {
        #expect(ThemeColor(parsing: text) == nil)
    }
}

@Suite struct ThemeParserTests {
    @Test func goodFileSetsEveryKeyItNames() {
        let text = """
            # a comment
            theme[main_bg]="#102030"
            theme[gain] = "green"

            theme[loss]="200 10 10"  # trailing comment
            """
        let (theme, diagnostics) = ThemeParser.parse(text, name: "t", file: "t.theme")
        #expect(diagnostics.isEmpty)
        #expect(theme.color("main_bg") == .rgb(0x10, 0x20, 0x30))
        #expect(theme.color("gain") == .ansi(2))
        #expect(theme.color("loss") == .rgb(200, 10, 10))
        // Missing keys come from the default theme.
        #expect(theme.color("title") == Theme.defaultValues["title"])
        #expect(theme.background(.selected) == Theme.defaultValues["selected_bg"])
        #expect(theme.foreground(.gain) == .ansi(2))
    }

    @Test func badLinesAreReportedWithFileAndLineAndFallBack() {
        let text = """
            theme[main_fg]="#FFFFFF"
            theme[gain]="#12345"
            this is not a theme line
            theme[loss]=red
            theme[sparkle]="#FFFFFF"
            theme[sparkle]="#000000"
            theme[alert]="#FF0000" junk
            """
        let (theme, diagnostics) = ThemeParser.parse(text, name: "bad", file: "/x/bad.theme")
        #expect(diagnostics.map(\.line) == [2, 3, 4, 5, 7])
        #expect(diagnostics.allSatisfy { $0.file == "/x/bad.theme" })
        #expect(diagnostics[0].description.hasPrefix("/x/bad.theme:2: bad colour"))
        #expect(diagnostics[3].message.contains("unknown key 'sparkle'"))
        #expect(theme.color("main_fg") == .rgb(255, 255, 255))
        #expect(theme.color("gain") == Theme.defaultValues["gain"])
        #expect(theme.color("alert") == Theme.defaultValues["alert"])
    }

    @Test func formatRoundTrips() {
        let theme = Theme(name: "x", values: ["gain": .ansi(10), "loss": .rgb(1, 2, 3), "main_bg": .terminalDefault])
        let (back, diagnostics) = ThemeParser.parse(ThemeParser.format(theme), name: "x", file: "x")
        #expect(diagnostics.isEmpty)
        #expect(back == theme)
    }

    static let shipped = [
        "default", "light", "nord", "gruvbox", "solarized-dark", "ansi", "monochrome", "high-contrast",
    ]

    @Test(arguments: shipped)
    func shippedThemeIsCompleteAndClean(name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("themes/\(name).theme").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let (theme, diagnostics) = ThemeParser.parse(text, name: name, file: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let keysInFile = Set(
            text.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else { return nil }
                return String(line[line.index(line.startIndex, offsetBy: 6)..<close])
            })
        #expect(keysInFile == Set(Theme.keys), "\(name) must set every key")
        #expect(theme.name == name)
        let loaded = ThemeLoader(directories: [root.appendingPathComponent("themes").path]).load(name)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.theme == theme)
    }

    @Test func defaultThemeFileMatchesTheBuiltInTheme() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (theme, _) = ThemeLoader(directories: [root.appendingPathComponent("themes").path]).load("default")
        #expect(theme.values == Theme.standard.values)
    }

    /// WCAG 2 contrast ratio of two sRGB colours, from the published definition.
    static func contrast(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Double {
        func channel(_ v: Int) -> Double {
            let c = Double(v) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        func luminance(_ c: (Int, Int, Int)) -> Double {
            0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
        }
        let (la, lb) = (luminance(a), luminance(b))
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    // Secondary text (methodology, dates, inactive tabs) must stay readable: at least 3:1 against the
    // background (the terminal's own background taken as black for themes that leave it empty).
    @Test(arguments: shipped)
    func secondaryTextIsReadable(name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (theme, _) = ThemeLoader(directories: [root.appendingPathComponent("themes").path]).load(name)
        guard case .rgb(let r, let g, let b) = theme.color("inactive_fg") else { return }
        var background = (0, 0, 0)
        if case .rgb(let br, let bg, let bb) = theme.color("main_bg") { background = (Int(br), Int(bg), Int(bb)) }
        let ratio = Self.contrast((Int(r), Int(g), Int(b)), background)
        #expect(ratio >= 3, "\(name): inactive_fg contrast \(ratio)")
    }

    @Test func contrastMatchesKnownValues() {
        // Black on white is 21:1 by definition; a colour against itself is 1:1.
        #expect(abs(Self.contrast((0, 0, 0), (255, 255, 255)) - 21) < 1e-9)
        #expect(abs(Self.contrast((0x7A, 0x7A, 0x7A), (0x7A, 0x7A, 0x7A)) - 1) < 1e-9)
    }

    @Test func ansiThemeUsesOnlyThePalette() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let (theme, _) = ThemeLoader(directories: [root.appendingPathComponent("themes").path]).load("ansi")
        for key in Theme.keys {
            if case .rgb = theme.color(key) { Issue.record("\(key) is RGB in the ansi theme") }
        }
    }

    @Test func missingThemeFallsBackToDefaultWithMessage() {
        let (theme, diagnostics) = ThemeLoader(directories: ["/nonexistent"]).load("nope")
        #expect(theme == .standard)
        #expect(diagnostics.count == 1)
        #expect(diagnostics[0].description.contains("nope"))
    }
}

@Suite struct ColorDegradationTests {
    @Test(
        arguments: [
            ([:], 256, false, ColorDepth.ansi256),
            (["COLORTERM": "truecolor"], 256, false, .truecolor),
            (["COLORTERM": "24bit"], 16_777_216, false, .truecolor),
            (["COLORTERM": "truecolor"], 8, false, .ansi8),
            ([:], 16, false, .ansi16),
            ([:], 8, false, .ansi8),
            ([:], 0, false, .monochrome),
            (["NO_COLOR": "1", "COLORTERM": "truecolor"], 256, false, .monochrome),
            (["NO_COLOR": ""], 256, false, .ansi256),
            ([:], 256, true, .monochrome),
        ] as [([String: String], Int, Bool, ColorDepth)])
    func detectsDepth(env: [String: String], colors: Int, noColor: Bool, expected: ColorDepth) {
        #expect(ColorDepth.detect(environment: env, colors: colors, noColor: noColor) == expected)
    }

    // Expected indices worked out by hand from the xterm cube levels 0,95,135,175,215,255 and greys 8+10i.
    @Test(arguments: [
        (255, 0, 0, 196), (128, 128, 128, 244), (95, 135, 175, 67), (0, 0, 0, 16), (255, 255, 255, 231),
        (8, 8, 8, 232), (238, 238, 238, 255),
    ])
    func rgbTo256(r: Int, g: Int, b: Int, expected: Int) {
        #expect(ColorDegradation.xterm256(UInt8(r), UInt8(g), UInt8(b)) == expected)
    }

    // By hand: greys/dark → nearest of 0,127,229,255; else the hue sector (red 0°, yellow 60°, green 120°,
    // cyan 180°, blue 240°, magenta 300°), bright above 230. (79,192,79): hue 120 → green, max 192 → 2.
    // (163,190,140) nord green: hue 92 → green. (64,144,224): hue 210 → blue. (0,43,54): max 54 → black.
    // (224,80,80): hue 0 → red 1. (106,47,47): hue 0, max 106 → red. (200,216,240): saturation 0.17 → white 7.
    @Test(arguments: [
        (255, 0, 0, 9), (200, 0, 0, 1), (250, 250, 250, 15), (10, 10, 10, 0), (0, 200, 210, 6), (79, 192, 79, 2),
        (163, 190, 140, 2), (64, 144, 224, 4), (0, 43, 54, 0), (224, 80, 80, 1), (106, 47, 47, 1),
        (200, 216, 240, 7), (95, 95, 95, 8), (255, 255, 0, 11),
    ])
    func rgbTo16(r: Int, g: Int, b: Int, expected: Int) {
        #expect(ColorDegradation.ansi16(UInt8(r), UInt8(g), UInt8(b)) == expected)
    }

    @Test func colorNumberPerDepth() {
        let c = ThemeColor.rgb(255, 0, 0)
        #expect(ColorDegradation.colorNumber(c, depth: .truecolor, directColor: true) == 0xFF0000)
        #expect(ColorDegradation.colorNumber(c, depth: .truecolor) == 196)
        #expect(ColorDegradation.colorNumber(c, depth: .ansi256) == 196)
        #expect(ColorDegradation.colorNumber(c, depth: .ansi16) == 9)
        #expect(ColorDegradation.colorNumber(c, depth: .monochrome) == -1)
        #expect(ColorDegradation.colorNumber(.ansi(3), depth: .ansi256) == 3)
        #expect(ColorDegradation.colorNumber(.terminalDefault, depth: .truecolor) == -1)
        // Eight colours: bright red folds to red, bright black (grey) to white so grey text stays visible.
        #expect(ColorDegradation.colorNumber(c, depth: .ansi8) == 1)
        #expect(ColorDegradation.colorNumber(.ansi(8), depth: .ansi8) == 7)
        #expect(ColorDegradation.colorNumber(.ansi(12), depth: .ansi8) == 4)
    }

    @Test func palettePairsStayLegible() {
        // Default theme selected row: #EEEEEE (nearer 229 than 255: white 7) on #6A2F2F (red) at both depths.
        #expect(ColorDegradation.pair(fg: .rgb(0xEE, 0xEE, 0xEE), bg: .rgb(0x6A, 0x2F, 0x2F), depth: .ansi16) == (7, 1))
        #expect(ColorDegradation.pair(fg: .rgb(0xEE, 0xEE, 0xEE), bg: .rgb(0x6A, 0x2F, 0x2F), depth: .ansi8) == (7, 1))
        // Dark grey text (#303030 → black) on the terminal's background: grey in 16 colours, default in 8.
        #expect(ColorDegradation.pair(fg: .rgb(0x30, 0x30, 0x30), bg: .terminalDefault, depth: .ansi16) == (8, -1))
        #expect(ColorDegradation.pair(fg: .rgb(0x30, 0x30, 0x30), bg: .terminalDefault, depth: .ansi8) == (-1, -1))
        // Text folded onto its own background: black on a light one, white on a dark one.
        #expect(ColorDegradation.pair(fg: .ansi(15), bg: .ansi(7), depth: .ansi8) == (0, 7))
        #expect(ColorDegradation.pair(fg: .ansi(9), bg: .ansi(1), depth: .ansi8) == (7, 1))
        // 256 colours and truecolor are left as the theme says.
        #expect(ColorDegradation.pair(fg: .ansi(0), bg: .terminalDefault, depth: .ansi256) == (0, -1))
    }
}
