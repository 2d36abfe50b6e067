/// The settings the config file may hold, each with its type and range: the one place that says what a
/// valid `indextop.conf` is. A new setting is added here (and documented in the README's config block).
extension DashboardConfig {
    /// What a setting's value must be.
    public enum Kind: Sendable, Equatable {
        /// A number, clamped into the range (out-of-range values are reported and clamped).
        case number(ClosedRange<Double>)
        /// `true|yes|on|1` or `false|no|off|0`.
        case bool
        /// Any text (checked by its user: a theme name, a feed, a URL).
        case text
    }

    /// Every setting other than `key.<command>` (checked by `KeyMap.from`).
    public static let settings: [String: Kind] = [
        "theme": .text, "refresh": .number(0.25...3600), "ascii": .bool, "no_color": .bool, "feed": .text,
        "sim_interval": .number(0.2...3600), "coingecko_plan": .text, "coingecko_base_url": .text,
        "coingecko_interval": .number(10...86_400), "auto_rebalance": .bool, "alert_command": .text,
        "alert_min_interval": .text, "imported_max_age": .text, "signals_provider": .text,
    ]

    /// One message per problem with a setting, `path:line: key: problem`, in line order: unknown
    /// settings, values that are not numbers or booleans, numbers out of range (with the value used).
    public var settingProblems: [String] {
        var out: [(Int, String)] = []
        for (key, entry) in entries {
            let at = "\(path):\(entry.line): \(key)"
            if key.hasPrefix("key.") { continue }
            guard let kind = Self.settings[key] else {
                out.append(
                    (
                        entry.line,
                        "\(at): unknown setting (known: \(Self.settings.keys.sorted().joined(separator: ", ")))"
                    ))
                continue
            }
            let shown = entry.value.count > 40 ? String(entry.value.prefix(40)) + "…" : entry.value
            switch kind {
            case .number(let range):
                guard let v = Double(entry.value), !v.isNaN else {
                    out.append((entry.line, "\(at): '\(shown)' is not a number"))
                    continue
                }
                if !range.contains(v) {
                    let used = min(max(v, range.lowerBound), range.upperBound)
                    out.append(
                        (
                            entry.line,
                            "\(at): \(shown) is out of range \(Self.text(range.lowerBound))–\(Self.text(range.upperBound)): using \(Self.text(used))"
                        ))
                }
            case .bool:
                if bool(key) == nil { out.append((entry.line, "\(at): '\(shown)' is not true or false")) }
            case .text:
                break
            }
        }
        return out.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
    }

    /// The number `key` clamped into its range; nil when unset or not a number (reported by `settingProblems`).
    public func number(_ key: String) -> Double? {
        guard let v = double(key), !v.isNaN else { return nil }
        guard case .number(let range) = Self.settings[key] else { return v }
        return min(max(v, range.lowerBound), range.upperBound)
    }

    /// A bound as the user would write it: `0.25`, `3600`.
    static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
