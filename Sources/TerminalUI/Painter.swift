import CNcurses

/// Paints a `ScreenBuffer` with ncurses, touching only cells that changed since the previous frame;
/// ncurses then diffs its virtual screen against the terminal (`wnoutrefresh` + `doupdate`).
@MainActor
final class Painter {
    private var previous: ScreenBuffer?
    /// True when colour pairs were set up: `Painter.pairNumber(role:background:)` numbers them.
    var colorPairs = false
    /// Roles drawn with the terminal's default colours: they get attributes so they stay visible.
    var attributeOnlyRoles: Set<Role> = Set(Role.allCases)
    nonisolated private static let roleIndex: [Role: Int32] = Dictionary(
        uniqueKeysWithValues: Role.allCases.enumerated().map { ($0.element, Int32($0.offset)) })

    /// The colour pair of `role` drawn on its own background (`background` nil) or on the background of
    /// one of `CellStyle.borrowableBackgrounds`: 1...19 own, then 19 per borrowed background.
    nonisolated static func pairNumber(role: Role, background: Role?) -> Int32 {
        let slot = background.flatMap { CellStyle.borrowableBackgrounds.firstIndex(of: $0) }.map { $0 + 1 } ?? 0
        return Int32(slot * Role.allCases.count) + (roleIndex[role] ?? 0) + 1
    }

    /// Drops the previous frame so the next paint draws every cell.
    func invalidate() {
        previous = nil
    }

    func paint(_ buffer: ScreenBuffer) {
        let old = previous.flatMap { $0.width == buffer.width && $0.height == buffer.height ? $0 : nil }
        if old == nil { werase(cn_stdscr()) }
        var run: [wchar_t] = []
        for y in 0..<buffer.height {
            var x = 0
            while x < buffer.width {
                let cell = buffer[x, y]
                if let old, old[x, y] == cell {
                    x += 1
                    continue
                }
                // A run of changed cells in one style, drawn with one call.
                let style = cell.style
                let startX = x
                run.removeAll(keepingCapacity: true)
                while x < buffer.width {
                    let c = buffer[x, y]
                    if c.style != style { break }
                    if let old, old[x, y] == c, c.width != 0 { break }
                    if c.width != 0 {
                        for scalar in c.char.unicodeScalars { run.append(wchar_t(bitPattern: scalar.value)) }
                    }
                    x += 1
                }
                if run.isEmpty { continue }
                run.append(0)
                let (attrs, pair) = attributes(style)
                _ = run.withUnsafeBufferPointer {
                    cn_put(Int32(y), Int32(startX), $0.baseAddress, Int32($0.count - 1), attrs, pair)
                }
            }
        }
        previous = buffer
        wnoutrefresh(cn_stdscr())
        doupdate()
    }

    private func attributes(_ style: CellStyle) -> (attr_t, Int32) {
        var attrs = cn_a_normal()
        if style.bold { attrs |= cn_a_bold() }
        if style.reverse { attrs |= cn_a_reverse() }
        if style.underline { attrs |= cn_a_underline() }
        if let background = style.background, attributeOnlyRoles.contains(background) {
            attrs |= cn_a_reverse()
        }
        if attributeOnlyRoles.contains(style.role) {
            switch style.role {
            case .selected, .header: attrs |= cn_a_reverse()
            case .title, .hi, .alert, .warning: attrs |= cn_a_bold()
            case .inactive, .divLine: attrs |= cn_a_dim()
            case .stale: attrs |= cn_a_underline()
            default: break
            }
        }
        return (attrs, colorPairs ? Painter.pairNumber(role: style.role, background: style.background) : 0)
    }
}
