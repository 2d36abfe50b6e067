/// A centred, framed box drawn over the frame (rebalance preview, help).
public enum ModalBox {
    /// The rectangle of a `width` × `height` box centred in a `screenWidth` × `screenHeight` frame,
    /// shrunk to fit.
    public static func frame(width: Int, height: Int, screenWidth: Int, screenHeight: Int) -> Rect {
        let w = min(width, screenWidth)
        let h = min(height, screenHeight)
        return Rect(x: (screenWidth - w) / 2, y: (screenHeight - h) / 2, width: w, height: h)
    }

    /// Clears `rect`, frames it with `title` and returns the interior (one cell of padding inside the frame).
    @discardableResult
    public static func draw(
        into buffer: inout ScreenBuffer, rect: Rect, title: String, glyphs: BoxGlyphs,
        borderStyle: CellStyle = CellStyle(.hi, bold: true)
    ) -> Rect {
        buffer.fill(x: rect.x, y: rect.y, width: rect.width, height: rect.height)
        buffer.drawBox(rect, glyphs: glyphs, style: borderStyle, title: title)
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }
}
