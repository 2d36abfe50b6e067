import Foundation

/// A colour as a theme file writes it.
public enum ThemeColor: Sendable, Hashable {
    /// The terminal's own default colour (an empty value in a theme file).
    case terminalDefault
    /// An ANSI palette colour, 0–15.
    case ansi(Int)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// ANSI colour names accepted in theme files, by palette index.
    public static let ansiNames: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta",
        "bright-cyan", "bright-white",
    ]

    /// Parses a theme value: `#RRGGBB`, `#GG` (grey), `R G B` (decimal 0–255), `0`–`15`, an ANSI
    /// name (`red`, `bright-blue`, `grey`), or empty for the terminal default. Nil when invalid.
    public init?(parsing raw: String) {
        let text = raw.trimmingSpaces()
        if text.isEmpty {
            self = .terminalDefault
            return
        }
        if text.hasPrefix("#") {
            let hex = text.dropFirst()
            guard hex.allSatisfy(\.isHexDigit) else { return nil }
            if hex.count == 6, let v = UInt32(hex, radix: 16) {
                self = .rgb(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
                return
            }
            if hex.count == 2, let g = UInt8(hex, radix: 16) {
                self = .rgb(g, g, g)
                return
            }
            return nil
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count == 3 {
            let values = parts.compactMap { UInt8($0) }
            guard values.count == 3 else { return nil }
            self = .rgb(values[0], values[1], values[2])
            return
        }
        if parts.count == 1, let n = Int(text) {
            guard (0...15).contains(n) else { return nil }
            self = .ansi(n)
            return
        }
        let name = text.lowercased().replacingUnderscores()
        if let n = Self.ansiNames.firstIndex(of: name) {
            self = .ansi(n)
        } else if name == "grey" || name == "gray" {
            self = .ansi(8)
        } else {
            return nil
        }
    }

    /// The value written back in theme-file syntax.
    public var themeValue: String {
        switch self {
        case .terminalDefault: return ""
        case .ansi(let n): return String(n)
        case .rgb(let r, let g, let b): return "#" + [r, g, b].map(Self.hex2).joined()
        }
    }

    private static func hex2(_ v: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(v >> 4)], digits[Int(v & 0xf)]])
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }

    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}

extension ThemeColor {
    /// The 24-bit value of this colour (the xterm values for palette colours); nil for the terminal default.
    public var rgbValue: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .terminalDefault: return nil
        case .ansi(let n):
            let c = ColorDegradation.ansiPalette[max(0, min(15, n))]
            return (c.0, c.1, c.2)
        case .rgb(let r, let g, let b): return (r, g, b)
        }
    }

    /// WCAG relative luminance (0 black … 1 white); nil for the terminal default.
    public var luminance: Double? {
        guard let (r, g, b) = rgbValue else { return nil }
        func channel(_ v: UInt8) -> Double {
            let c = Double(v) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG contrast ratio with `other` (1…21); nil when either is the terminal default.
    public func contrast(with other: ThemeColor) -> Double? {
        guard let a = luminance, let b = other.luminance else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
