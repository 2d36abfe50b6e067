/// Fitting text into columns by display width.
public enum TextLayout {
    /// `text` cut to at most `width` columns, ending with `ellipsis` when cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width, text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if DisplayWidth.of(text) <= width { return text }
        var out = ""
        var used = 0
        let limit = width - DisplayWidth.of(ellipsis)
        for ch in text {
            let w = DisplayWidth.of(ch)
            if used + w > limit { break }
            out.append(ch)
            used += w
        }
        out.append(ellipsis)
        return out
    }

    /// `text` padded (or cut) to exactly `width` columns, aligned left or right.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false, ellipsis: Character = "…")
        -> String
    {
        let cut = truncate(text, to: width, ellipsis: ellipsis)
        let w = DisplayWidth.of(cut)
        guard w < width else { return cut }
        let spaces = String(repeating: " ", count: width - w)
        return alignRight ? spaces + cut : cut + spaces
    }
}
