/// How many colours the terminal can show; colours degrade truecolor → 256 → 16 → monochrome.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    case monochrome, ansi16, ansi256, truecolor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// Picks the depth from the environment and ncurses' `COLORS`: `noColor` (the `--no-color`
    /// flag) or a non-empty `NO_COLOR` gives monochrome; `COLORTERM` `truecolor`/`24bit` with at least 256
    /// colours gives truecolor; then 256, then 16 (also for 8-colour terminals), else monochrome.
    public static func detect(environment: [String: String], colors: Int, noColor: Bool = false) -> ColorDepth {
        if noColor { return .monochrome }
        if let v = environment["NO_COLOR"], !v.isEmpty { return .monochrome }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        if colors >= 256 && (colorterm == "truecolor" || colorterm == "24bit") { return .truecolor }
        if colors >= 256 { return .ansi256 }
        if colors >= 8 { return .ansi16 }
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

    /// The nearest of the 16 ANSI colours to an RGB colour.
    public static func ansi16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 0
        var bestDist = Int.max
        for (i, c) in ansiPalette.enumerated() {
            let d = distance((r, g, b), (Int(c.0), Int(c.1), Int(c.2)))
            if d < bestDist {
                best = i
                bestDist = d
            }
        }
        return best
    }

    /// The ncurses colour number for `color` at `depth`: -1 for the terminal default (and for
    /// everything in monochrome), a palette index, or a packed `0xRRGGBB` when `directColor`
    /// (the terminal takes RGB colour numbers, `COLORS` ≥ 2^24).
    public static func colorNumber(_ color: ThemeColor, depth: ColorDepth, directColor: Bool = false) -> Int {
        switch (color, depth) {
        case (_, .monochrome), (.terminalDefault, _): return -1
        case (.ansi(let n), _): return n
        case (.rgb(let r, let g, let b), .truecolor) where directColor:
            return Int(r) << 16 | Int(g) << 8 | Int(b)
        case (.rgb(let r, let g, let b), .truecolor), (.rgb(let r, let g, let b), .ansi256):
            return xterm256(r, g, b)
        case (.rgb(let r, let g, let b), .ansi16):
            return ansi16(r, g, b)
        }
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (Int, Int, Int)) -> Int {
        let dr = Int(a.0) - b.0
        let dg = Int(a.1) - b.1
        let db = Int(a.2) - b.2
        return dr * dr + dg * dg + db * db
    }
}
