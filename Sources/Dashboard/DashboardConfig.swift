import Foundation
import IndexCore

/// The config file `$XDG_CONFIG_HOME/indextop/indextop.conf` (DESIGN §10): `key = value` lines,
/// `#` comments. Read only: the program never writes it. Flags override it.
public struct DashboardConfig: Sendable, Equatable {
    /// A value and the 1-based line it came from.
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var line: Int
    }

    /// The file read (for messages).
    public var path: String
    /// Settings by key; a later line wins.
    public var entries: [String: Entry]
    /// Lines that are not `key = value`, as `path:line: message`.
    public var problems: [String]

    /// Parses config text. Whole-line `#` comments and blank lines are skipped; the value is the text
    /// after the first `=`, trimmed (so `key.filter = #` binds `#`).
    public init(text: String, path: String) {
        self.path = path
        var entries: [String: Entry] = [:]
        var problems: [String] = []
        // The one line reader (BOM, CRLF, CR), so a config saved on Windows reads like any other.
        for (i, raw) in TextLines.split(text).enumerated() {
            let line = String(raw).trimmingCharacters()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                problems.append("\(path):\(i + 1): expected key = value")
                continue
            }
            let key = String(line[..<eq]).trimmingCharacters()
            let value = String(line[line.index(after: eq)...]).trimmingCharacters()
            guard !key.isEmpty else {
                problems.append("\(path):\(i + 1): missing key before '='")
                continue
            }
            entries[key] = Entry(value: value, line: i + 1)
        }
        self.entries = entries
        self.problems = problems
    }

    /// An empty configuration (no file).
    public static let none = DashboardConfig(text: "", path: "(none)")

    /// The config file's path for an environment: `$XDG_CONFIG_HOME/indextop/indextop.conf`, else `~/.config/...`.
    public static func defaultPath(environment: [String: String]) -> String {
        AppPaths(environment: environment, fallbackHome: NSHomeDirectory()).configFile
    }

    /// Reads the config at `path`; a missing file is an empty configuration.
    public static func load(path: String) -> DashboardConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            return DashboardConfig(text: "", path: path)
        }
        return DashboardConfig(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// The value of `key`, nil when unset.
    public func string(_ key: String) -> String? { entries[key]?.value }

    /// `true|yes|on|1` / `false|no|off|0`; nil when unset or not a boolean.
    public func bool(_ key: String) -> Bool? {
        switch entries[key]?.value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: return nil
        }
    }

    /// A number; nil when unset or not a number.
    public func double(_ key: String) -> Double? { entries[key].flatMap { Double($0.value) } }
}
