/// A colour theme: one colour per theme key of DESIGN §11, resolved into foreground and
/// background colours per `Role`.
public struct Theme: Sendable, Hashable {
    /// The keys a theme file may set (DESIGN §11), in file order.
    public static let keys: [String] = [
        "main_bg", "main_fg", "title", "hi_fg", "selected_bg", "selected_fg", "inactive_fg", "border",
        "div_line", "header_bg", "header_fg", "gain", "loss", "bullish", "neutral", "bearish", "warning",
        "alert", "stale", "chart_start", "chart_mid", "chart_end",
    ]

    /// The theme's name (its file name without `.theme`).
    public var name: String
    /// The colour of every key in `Theme.keys`.
    public var values: [String: ThemeColor]

    /// Creates a theme; keys missing from `values` take the default theme's colour.
    public init(name: String, values: [String: ThemeColor]) {
        self.name = name
        var merged = Theme.defaultValues
        for (k, v) in values where Theme.defaultValues[k] != nil { merged[k] = v }
        self.values = merged
    }

    /// The built-in default theme (the same colours as `themes/default.theme`).
    public static let standard = Theme(name: "default", values: [:])

    /// The colour of a key (the default theme's when unknown).
    public func color(_ key: String) -> ThemeColor {
        values[key] ?? Theme.defaultValues[key] ?? .terminalDefault
    }

    /// The foreground colour of a role.
    public func foreground(_ role: Role) -> ThemeColor {
        switch role {
        case .main: return color("main_fg")
        case .title: return color("title")
        case .hi: return color("hi_fg")
        case .selected: return color("selected_fg")
        case .inactive: return color("inactive_fg")
        case .border: return color("border")
        case .divLine: return color("div_line")
        case .header: return color("header_fg")
        case .gain: return color("gain")
        case .loss: return color("loss")
        case .bullish: return color("bullish")
        case .neutral: return color("neutral")
        case .bearish: return color("bearish")
        case .warning: return color("warning")
        case .alert: return color("alert")
        case .stale: return color("stale")
        case .chartStart: return color("chart_start")
        case .chartMid: return color("chart_mid")
        case .chartEnd: return color("chart_end")
        }
    }

    /// The background colour of a role: `selected_bg`, `header_bg`, else `main_bg`.
    public func background(_ role: Role) -> ThemeColor {
        switch role {
        case .selected: return color("selected_bg")
        case .header: return color("header_bg")
        default: return color("main_bg")
        }
    }

    /// The default theme's colours, readable on a dark and on a light terminal: text in the terminal's
    /// own colour, and every other colour drawn on the terminal's background a mid tone with a contrast
    /// of at least 4.5:1 against both black and white (WCAG); the header and selection bars bring their
    /// own background.
    public static let defaultValues: [String: ThemeColor] = [
        "main_bg": .terminalDefault,
        "main_fg": .terminalDefault,
        "title": .terminalDefault,
        "hi_fg": .rgb(0xC2, 0x51, 0x51),
        "selected_bg": .rgb(0x6A, 0x2F, 0x2F),
        "selected_fg": .rgb(0xEE, 0xEE, 0xEE),
        "inactive_fg": .rgb(0x75, 0x75, 0x75),
        "border": .rgb(0x75, 0x75, 0x75),
        "div_line": .rgb(0x30, 0x30, 0x30),
        "header_bg": .rgb(0x1C, 0x1C, 0x1C),
        "header_fg": .rgb(0xEE, 0xEE, 0xEE),
        "gain": .rgb(0x30, 0x86, 0x30),
        "loss": .rgb(0xDB, 0x35, 0x35),
        "bullish": .rgb(0x21, 0x86, 0x4D),
        "neutral": .rgb(0x79, 0x79, 0x30),
        "bearish": .rgb(0xD1, 0x45, 0x22),
        "warning": .rgb(0x92, 0x70, 0x16),
        "alert": .rgb(0xEC, 0x00, 0x00),
        "stale": .rgb(0x9A, 0x56, 0xCD),
        "chart_start": .rgb(0x21, 0x77, 0xCD),
        "chart_mid": .rgb(0x33, 0x81, 0x81),
        "chart_end": .rgb(0x3B, 0x85, 0x1D),
    ]
}
