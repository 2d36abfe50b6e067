import IndexCore
import TerminalUI

func drawHelp(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, themeName: String) {
    let commands = KeyCommand.allCases
    let rows = (commands.count + 1) / 2
    // Two columns of key + description, a blank line and the footer, inside the frame and its padding.
    let rect = ModalBox.frame(
        width: 76, height: rows + 4, screenWidth: buffer.width, screenHeight: buffer.height - 1)
    let inner = ModalBox.draw(into: &buffer, rect: rect, title: "help", glyphs: ctx.glyphs)
    let half = inner.width / 2
    for (i, command) in commands.enumerated() {
        let keys = (ctx.state.keyMap.keys[command] ?? []).map(\.label).joined(separator: " ")
        let x = inner.x + (i < rows ? 0 : half)
        let y = inner.y + (i % rows)
        guard y < inner.y + inner.height - 2 else { continue }
        buffer.put(TextLayout.pad(keys, to: 9), x: x, y: y, style: CellStyle(.hi, bold: true))
        buffer.put(command.help, x: x + 10, y: y, maxWidth: half - 11)
    }
    let footer = "theme \(themeName) · mouse: click selects, wheel scrolls · any key closes"
    buffer.put(footer, x: inner.x, y: inner.y + inner.height - 1, style: CellStyle(.inactive), maxWidth: inner.width)
}
