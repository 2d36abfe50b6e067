import IndexCore

/// A problem found in a theme file: the file, the 1-based line and what is wrong.
public struct ThemeDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`.
    public var description: String { "\(file):\(line): \(message)" }
}

/// Parses btop-style theme files (DESIGN §11): `theme[key]="value"` a line, `#` comments.
public enum ThemeParser {
    /// Parses `text` into a theme named `name`. Bad lines are skipped and reported with `file`
    /// and their line; unknown keys are reported once each; missing keys take the default theme's colour.
    /// Never throws: the worst input gives the default theme plus diagnostics.
    public static func parse(_ text: String, name: String, file: String) -> (
        theme: Theme, diagnostics: [ThemeDiagnostic]
    ) {
        var values: [String: ThemeColor] = [:]
        var diagnostics: [ThemeDiagnostic] = []
        var reportedUnknown: Set<String> = []
        var lineNumber = 0
        // The one line reader: a BOM, CRLF and CR files read like LF ones (a stray CR made values unquoted).
        for rawLine in TextLines.split(text) {
            lineNumber += 1
            let line = String(rawLine).trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Keys and values are the file's text: shown whole when short and printable, else quoted
            // and cut at 80 characters (a huge line must not make a huge diagnostic).
            func shown(_ text: String) -> String {
                let plain =
                    text.unicodeScalars.count <= 40
                    && text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
                return plain ? text : InputError.quote(text)
            }
            func bad(_ message: String) {
                diagnostics.append(ThemeDiagnostic(file: file, line: lineNumber, message: message))
            }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                bad("expected theme[key]=\"value\"")
                continue
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close]).trimmingSpaces()
            var rest = String(line[line.index(after: close)...]).trimmingSpaces()
            guard rest.hasPrefix("=") else {
                bad("expected '=' after theme[\(shown(key))]")
                continue
            }
            rest = String(rest.dropFirst()).trimmingSpaces()
            guard rest.hasPrefix("\""), let end = rest.dropFirst().firstIndex(of: "\"") else {
                bad("value of \(shown(key)) must be in double quotes")
                continue
            }
            let value = String(rest[rest.index(after: rest.startIndex)..<end])
            let trailing = String(rest[rest.index(after: end)...]).trimmingSpaces()
            if !trailing.isEmpty && !trailing.hasPrefix("#") {
                bad("unexpected text after the value of \(shown(key))")
                continue
            }
            guard Theme.defaultValues[key] != nil else {
                if reportedUnknown.insert(key).inserted { bad("unknown key \(InputError.quote(key)) ignored") }
                continue
            }
            guard let color = ThemeColor(parsing: value) else {
                bad(
                    "bad colour \(InputError.quote(value)) for \(key): want #RRGGBB, #GG, \"R G B\", 0-15, a colour name or empty"
                )
                continue
            }
            values[key] = color
        }
        return (Theme(name: name, values: values), diagnostics)
    }

    /// Writes `theme` as a complete theme file (every key), for shipping and round trips.
    public static func format(_ theme: Theme, header: String = "") -> String {
        var out = header
        for key in Theme.keys {
            out += "theme[\(key)]=\"\(theme.color(key).themeValue)\"\n"
        }
        return out
    }
}
