/// How many colours the terminal can show; colours degrade truecolor → 256 → 16 → 8 → monochrome.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    /// `ansi8`: the eight base colours only (`TERM=xterm`, `vt220` with colour...): bright colours do not exist.
    case monochrome, ansi8, ansi16, ansi256, truecolor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// Picks the depth from the environment and ncurses' `COLORS`: `noColor` (the `--no-color`
    /// flag) or a non-empty `NO_COLOR` gives monochrome; `COLORTERM` `truecolor`/`24bit` with at least 256
    /// colours, or a direct-colour terminfo, gives truecolor; then 256, then 16, then 8 (`TERM=xterm`), else monochrome.
    public static func detect(environment: [String: String], colors: Int, noColor: Bool = false) -> ColorDepth {
        if noColor { return .monochrome }
        if let v = environment["NO_COLOR"], !v.isEmpty { return .monochrome }
        // A direct-colour terminfo (`COLORS` = 2^24) takes RGB colour numbers: truecolor whatever COLORTERM says.
        if colors >= 0x100_0000 { return .truecolor }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        if colors >= 256 && (colorterm == "truecolor" || colorterm == "24bit") { return .truecolor }
        if colors >= 256 { return .ansi256 }
        if colors >= 16 { return .ansi16 }
        if colors >= 8 { return .ansi8 }
        return .monochrome
    }
}

/// Maps theme colours onto what a terminal of a given depth can show.
public enum ColorDegradation {
    /// The xterm values of the 16 ANSI colours.
    public static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The nearest xterm-256 index (16–255) to an RGB colour: the 6×6×6 cube or the grey ramp 232–255.
    public static func xterm256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func nearestLevel(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<cubeLevels.count where abs(cubeLevels[i] - Int(v)) < abs(cubeLevels[best] - Int(v)) {
                best = i
            }
            return best
        }
        let (ri, gi, bi) = (nearestLevel(r), nearestLevel(g), nearestLevel(b))
        let cube = 16 + 36 * ri + 6 * gi + bi
        let cubeDist = distance((r, g, b), (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi]))
        let mean = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = max(0, min(23, (mean - 8 + 5) / 10))
        let greyValue = 8 + 10 * greyIndex
        let greyDist = distance((r, g, b), (greyValue, greyValue, greyValue))
        return greyDist < cubeDist ? 232 + greyIndex : cube
    }

    /// The ANSI colour (0–15) for an RGB colour. Greys and dark colours (brightest channel under 80) take
    /// the nearest of black, bright black, white and bright white; other colours keep their hue: the
    /// nearest of red, yellow, green, cyan, blue and magenta by hue angle, bright when the brightest
    /// channel is above 230 (xterm's normal colours are 205, bright 255). Nearest-by-distance would
    /// turn muted theme colours (a soft green for gains) into grey.
    public static func ansi16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        let mx = max(ri, gi, bi)
        let mn = min(ri, gi, bi)
        let saturation = mx == 0 ? 0 : Double(mx - mn) / Double(mx)
        if saturation < 0.25 || mx < 80 {
            var best = 0
            var bestDist = Int.max
            for i in [0, 8, 7, 15] {
                let c = ansiPalette[i]
                let d = distance((r, g, b), (Int(c.0), Int(c.1), Int(c.2)))
                if d < bestDist {
                    best = i
                    bestDist = d
                }
            }
            return best
        }
        let d = Double(mx - mn)
        var hue: Double
        if mx == ri {
            hue = 60 * (Double(gi - bi) / d)
        } else if mx == gi {
            hue = 60 * (Double(bi - ri) / d) + 120
        } else {
            hue = 60 * (Double(ri - gi) / d) + 240
        }
        if hue < 0 { hue += 360 }
        // Sectors of 60° centred on red, yellow, green, cyan, blue, magenta.
        let sector = Int((hue + 30).truncatingRemainder(dividingBy: 360) / 60)
        let base = [1, 3, 2, 6, 4, 5][sector]
        return mx > 230 ? base + 8 : base
    }

    /// The ncurses colour number for `color` at `depth`: -1 for the terminal default (and for
    /// everything in monochrome), a palette index, or a packed `0xRRGGBB` when `directColor`
    /// (the terminal takes RGB colour numbers, `COLORS` ≥ 2^24).
    public static func colorNumber(_ color: ThemeColor, depth: ColorDepth, directColor: Bool = false) -> Int {
        if directColor && depth != .monochrome {
            // Direct-colour terminfo (xterm-direct): numbers 0–7 are the ANSI colours, every other number is
            // 0xRRGGBB. A palette colour from 8 up is sent as its RGB value, an RGB value under 8 as 8
            // (indistinguishable from black), never a palette index read as RGB (which paints all blue).
            switch color {
            case .terminalDefault: return -1
            case .ansi(let n) where n < 8: return n
            case .ansi, .rgb:
                let (r, g, b) = color.rgbValue!
                return max(8, Int(r) << 16 | Int(g) << 8 | Int(b))
            }
        }
        switch (color, depth) {
        case (_, .monochrome), (.terminalDefault, _): return -1
        case (.ansi(let n), .ansi8): return base8(n)
        case (.ansi(let n), _): return n
        case (.rgb(let r, let g, let b), .truecolor) where directColor:
            return Int(r) << 16 | Int(g) << 8 | Int(b)
        case (.rgb(let r, let g, let b), .truecolor), (.rgb(let r, let g, let b), .ansi256):
            return xterm256(r, g, b)
        case (.rgb(let r, let g, let b), .ansi16):
            return ansi16(r, g, b)
        case (.rgb(let r, let g, let b), .ansi8):
            return base8(ansi16(r, g, b))
        }
    }

    /// A palette index folded into the eight base colours: bright colours become their base colour,
    /// bright black (grey) becomes white so grey text stays visible.
    static func base8(_ n: Int) -> Int {
        n == 8 ? 7 : n > 8 ? n - 8 : n
    }

    /// Palette colours light enough to carry black text.
    static let lightPalette: Set<Int> = [2, 3, 6, 7, 10, 11, 14, 15]

    /// The ncurses foreground and background numbers for a role at `depth`, kept legible on palette
    /// terminals (8 and 16 colours), where distinct theme colours can fold into one palette entry:
    /// black text on the terminal's own background becomes grey (16 colours) or the default colour
    /// (8 colours), and text the same colour as its background becomes black or white, whichever contrasts.
    /// A selection's background never folds onto red or green (losses and gains): it becomes blue.
    public static func pair(
        fg: ThemeColor, bg: ThemeColor, depth: ColorDepth, directColor: Bool = false, selection: Bool = false
    ) -> (fg: Int, bg: Int) {
        var f = colorNumber(fg, depth: depth, directColor: directColor)
        var b = colorNumber(bg, depth: depth, directColor: directColor)
        guard depth == .ansi8 || depth == .ansi16 else { return (f, b) }
        if selection && [1, 2, 9, 10].contains(b) {
            b = 4
            if f == 4 || f == 12 || f == 0 { f = depth == .ansi16 ? 15 : 7 }
        }
        if b == -1 && f == 0 { f = depth == .ansi16 ? 8 : -1 }
        if f == b && f != -1 { f = lightPalette.contains(b) ? 0 : (depth == .ansi16 ? 15 : 7) }
        return (f, b)
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (Int, Int, Int)) -> Int {
        let dr = Int(a.0) - b.0
        let dg = Int(a.1) - b.1
        let db = Int(a.2) - b.2
        return dr * dr + dg * dg + db * db
    }
}
