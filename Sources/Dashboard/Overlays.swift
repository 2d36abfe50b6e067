import IndexCore
import TerminalUI

/// The help overlay's lines: every command with the keys bound to it now (remapped keys included),
/// the preview's own keys and the mouse, after the config problems found at start. Each is (keys, text).
func helpEntries(_ state: UIState) -> [(keys: String, text: String)] {
    // The config problems first: they are why a binding or setting may not be what the user wrote.
    var out = state.configProblems.map { (keys: "config", text: $0) }
    out += KeyCommand.allCases.map { command in
        ((state.keyMap.keys[command] ?? []).map(\.label).joined(separator: " "), command.help)
    }
    out.append(("y", "preview: apply (a second y when STALE)"))
    out.append(("n Esc q", "preview: cancel"))
    out.append(("j k PgUp", "preview and help: scroll"))
    out.append(("mouse", "click selects, wheel scrolls"))
    return out
}

/// Where the help overlay goes on the current screen: its frame, the number of columns of entries, the
/// entry lines it shows and how many lines the entries take.
func helpGeometry(_ state: UIState) -> (rect: Rect, columns: Int, visible: Int, lines: Int) {
    let count = helpEntries(state).count
    let columns = state.width >= 90 && state.configProblems.isEmpty ? 2 : 1
    let lines = (count + columns - 1) / columns
    // Config problems carry their file's path: as wide as the screen allows then.
    let width = state.configProblems.isEmpty ? (columns == 2 ? 86 : 76) : 140
    let rect = ModalBox.frame(width: width, height: lines + 4, screenWidth: state.width, screenHeight: state.height - 1)
    return (rect, columns, max(1, rect.height - 4), lines)
}

func drawHelp(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, themeName: String) {
    let entries = helpEntries(ctx.state)
    let geometry = helpGeometry(ctx.state)
    let inner = ModalBox.draw(into: &buffer, rect: geometry.rect, title: "help", glyphs: ctx.glyphs)
    let columnWidth = inner.width / geometry.columns
    let first = max(0, min(ctx.state.helpScroll, geometry.lines - geometry.visible))
    for line in 0..<geometry.visible {
        for column in 0..<geometry.columns {
            let i = column * geometry.lines + first + line
            guard first + line < geometry.lines, i < entries.count else { continue }
            let x = inner.x + column * columnWidth
            let y = inner.y + line
            let entry = entries[i]
            let role: Role = entry.keys == "config" ? .warning : .hi
            buffer.put(TextLayout.pad(entry.keys, to: 9), x: x, y: y, style: CellStyle(role, bold: true))
            buffer.put(entry.text, x: x + 10, y: y, maxWidth: columnWidth - 11)
        }
    }
    let shown = min(geometry.lines, first + geometry.visible)
    let position =
        geometry.lines > geometry.visible ? "lines \(first + 1)–\(shown) of \(geometry.lines), j/k scroll · " : ""
    let footer = position + "theme \(themeName) · any other key closes"
    buffer.put(
        footer, x: inner.x, y: inner.y + inner.height - 1,
        style: CellStyle(geometry.lines > geometry.visible ? .warning : .inactive), maxWidth: inner.width)
}
