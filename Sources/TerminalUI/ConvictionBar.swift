/// A small horizontal bar for a value in [0, 1] (a signal's conviction), with eighth-cell resolution.
public enum ConvictionBar {
    /// The bar's text: `width` columns, `value` clamped to [0, 1], rounded to the nearest eighth of a cell.
    public static func text(_ value: Double, width: Int, glyphs: BoxGlyphs) -> String {
        guard width > 0 else { return "" }
        let v = value.isFinite ? min(1, max(0, value)) : 0
        let eighths = Int((v * Double(width * 8)).rounded())
        var out = String(repeating: glyphs.full, count: eighths / 8)
        let rest = eighths % 8
        if rest > 0 { out.append(glyphs.eighths[rest]) }
        let used = eighths / 8 + (rest > 0 ? 1 : 0)
        if used < width { out += String(repeating: glyphs.isASCII ? "." : "·", count: width - used) }
        return out
    }
}
