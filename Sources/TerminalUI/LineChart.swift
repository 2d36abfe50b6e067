/// How a chart is drawn: braille dots (2×4 per cell), block elements (a filled area, `--ascii` on a
/// UTF-8 terminal), or plain ASCII.
public enum ChartMode: Sendable, Hashable {
    case braille, blocks, ascii
}

/// A line chart of one series scaled to a rectangle, coloured bottom → top with the chart roles.
public enum LineChart {
    /// Braille dot bits by column (0...1) and row (0...3) within a cell.
    static let brailleBits: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
    static let lowerBlocks: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The block elements `.blocks` draws with (for keeping them through `ScreenBuffer.asciiFolded(keeping:)`).
    public static let blockGlyphs: Set<Character> = Set(lowerBlocks.dropFirst())

    /// `values` resampled by linear interpolation to `count` points (count ≥ 1, values non-empty).
    public static func resample(_ values: [Double], count: Int) -> [Double] {
        guard values.count > 1, count > 1 else { return Array(repeating: values.first ?? 0, count: max(count, 0)) }
        return (0..<count).map { i in
            let pos = Double(i) * Double(values.count - 1) / Double(count - 1)
            let lo = Int(pos)
            let hi = min(lo + 1, values.count - 1)
            let t = pos - Double(lo)
            return values[lo] + (values[hi] - values[lo]) * t
        }
    }

    /// The role for a chart row: `chartEnd` at the top, `chartMid` in the middle, `chartStart` at the bottom.
    static func role(row: Int, of rows: Int) -> Role {
        let third = Double(rows) / 3
        if Double(row) < third { return .chartEnd }
        if Double(row) < 2 * third { return .chartMid }
        return .chartStart
    }

    /// Draws `values` into `rect`. The y axis spans min...max of the values (a flat series sits in the middle).
    public static func draw(into buffer: inout ScreenBuffer, rect: Rect, values: [Double], mode: ChartMode) {
        let finite = values.filter(\.isFinite)
        guard rect.width > 0, rect.height > 0, !finite.isEmpty else { return }
        let lo = finite.min()!
        let hi = finite.max()!
        let span = hi - lo
        func scaled(_ v: Double, steps: Int) -> Int {
            guard span > 0 else { return steps / 2 }
            return max(0, min(steps - 1, Int(((v - lo) / span * Double(steps - 1)).rounded())))
        }
        switch mode {
        case .braille:
            let dotsW = rect.width * 2
            let dotsH = rect.height * 4
            let points = resample(finite, count: dotsW)
            var bits = Array(repeating: UInt32(0), count: rect.width * rect.height)
            var previous: Int?
            for (dx, v) in points.enumerated() {
                let dy = dotsH - 1 - scaled(v, steps: dotsH)
                let from = previous.map { min($0, dy) } ?? dy
                let to = previous.map { max($0, dy) } ?? dy
                for row in from...to {
                    let cell = (row / 4) * rect.width + dx / 2
                    bits[cell] |= brailleBits[dx % 2][row % 4]
                }
                previous = dy
            }
            for row in 0..<rect.height {
                let style = CellStyle(role(row: row, of: rect.height))
                for col in 0..<rect.width where bits[row * rect.width + col] != 0 {
                    let scalar = Unicode.Scalar(0x2800 + bits[row * rect.width + col])!
                    buffer[rect.x + col, rect.y + row] = Cell(char: Character(scalar), style: style)
                }
            }
        case .blocks, .ascii:
            let points = resample(finite, count: rect.width)
            let steps = rect.height * 8
            for (col, v) in points.enumerated() {
                let level = scaled(v, steps: steps) + 1  // eighths filled from the bottom, 1...steps
                for row in 0..<rect.height {
                    let fromBottom = rect.height - 1 - row
                    let filled = min(8, max(0, level - fromBottom * 8))
                    guard filled > 0 else { continue }
                    let style = CellStyle(role(row: row, of: rect.height))
                    let ch: Character
                    if mode == .blocks {
                        ch = lowerBlocks[filled]
                    } else {
                        let isTop = level - fromBottom * 8 <= 8
                        ch = isTop ? (filled >= 4 ? "*" : ".") : "|"
                    }
                    buffer[rect.x + col, rect.y + row] = Cell(char: ch, style: style)
                }
            }
        }
    }
}
