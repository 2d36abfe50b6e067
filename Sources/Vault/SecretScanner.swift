import Foundation
import IndexCore

/// One exposed secret found by `SecretScanner`; holds only a mask of the secret.
public struct Finding: Sendable, Equatable {
    /// The file, as given or as reached while walking a folder.
    public var path: String
    /// 1-based line number.
    public var line: Int
    /// The rule that matched (`binance`, `coinbase`, `kraken`, `kucoin`, `coingecko-demo`, `tokenmetrics`, `generic-secret`).
    public var rule: String
    /// `xxxx…` plus the last 4 characters of the secret.
    public var masked: String

    /// `file:line: rule: xxxx…last4`.
    public var description: String { "\(path):\(line): \(rule): \(masked)" }
}

/// Looks for exposed API keys in files (DESIGN §9 `indextop scan`): keyword-anchored provider
/// rules plus high-entropy values assigned to key/secret/token names. Skips `.git`, binary files
/// (a NUL in the first 8 KiB) and files over 8 MiB; placeholders (`REDACTED`, `xxxx`, UUIDs, `<...>`) are ignored.
public enum SecretScanner {
    struct Rule {
        let name: String
        /// Case-insensitive word that must be on the line, or nil when the pattern is self-anchoring.
        let keyword: NSRegularExpression?
        /// The secret is capture group 1.
        let pattern: NSRegularExpression
        let minEntropy: Double
    }

    static let rules: [Rule] = {
        func re(_ text: String, _ options: NSRegularExpression.Options = []) -> NSRegularExpression {
            try! NSRegularExpression(pattern: text, options: options)
        }
        let edge = "(?<![A-Za-z0-9+/_-])"
        let end = "(?![A-Za-z0-9+/_-])"
        return [
            Rule(
                name: "coingecko-demo", keyword: nil, pattern: re("\(edge)(CG-[A-Za-z0-9]{20,40})\(end)"),
                minEntropy: 3.0),
            Rule(
                name: "binance", keyword: re("binance", .caseInsensitive),
                pattern: re("\(edge)([A-Za-z0-9]{64})\(end)"), minEntropy: 3.5),
            Rule(
                name: "kraken", keyword: re("kraken", .caseInsensitive),
                pattern: re("\(edge)([A-Za-z0-9+/]{86}==|[A-Za-z0-9+/]{56})\(end)"), minEntropy: 3.5),
            Rule(
                name: "coinbase", keyword: re("coinbase|\\bcdp", .caseInsensitive),
                pattern: re("\(edge)([A-Za-z0-9+/]{86}==|[A-Za-z0-9]{32}|[A-Za-z0-9+/]{40,}={0,2})\(end)"),
                minEntropy: 3.5),
            Rule(
                name: "kucoin", keyword: re("kucoin", .caseInsensitive), pattern: re("\(edge)([0-9a-f]{24})\(end)"),
                minEntropy: 3.0),
            Rule(
                name: "tokenmetrics", keyword: re("token[_.-]?metrics|\\btm[_-]?api", .caseInsensitive),
                pattern: re("\(edge)(tm-[A-Za-z0-9-]{20,}|[A-Za-z0-9_-]{24,})\(end)"), minEntropy: 3.5),
            Rule(
                name: "generic-secret", keyword: nil,
                pattern: re(
                    "(?i)[A-Za-z0-9_.-]*(?:api[_.-]?key|apikey|api[_.-]?secret|secret|token|passphrase|password|private[_.-]?key|access[_.-]?key)[A-Za-z0-9_]*[\"']?(?:\\s*:\\s*[A-Za-z]+)?\\s*[:=]\\s*[\"']?([A-Za-z0-9+/=_.-]{16,})"
                ), minEntropy: 3.5),
        ]
    }()

    /// How many lines above a match a provider keyword may appear.
    static let keywordWindow = 3

    static let uuid = try! NSRegularExpression(
        pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

    /// Scans files and folders (recursively, not following symlinks). Unreadable paths are skipped;
    /// use `scan(paths:errors:)` to learn about them.
    public static func scan(paths: [String]) -> [Finding] {
        var errors: [String] = []
        return scan(paths: paths, errors: &errors)
    }

    /// Scans like `scan(paths:)` and appends a message per path that could not be read.
    public static func scan(paths: [String], errors: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append("\(path): no such file or directory")
                continue
            }
            if isDirectory.boolValue {
                for file in walk(path) { findings += scanFile(file) }
            } else {
                findings += scanFile(path)
            }
        }
        return findings
    }

    static func walk(_ root: String) -> [String] {
        var files: [String] = []
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        for name in names.sorted() where name != ".git" {
            let path = (root as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let type = attributes[.type] as? FileAttributeType
            else { continue }
            if type == .typeDirectory {
                files += walk(path)
            } else if type == .typeRegular {
                files.append(path)
            }
        }
        return files
    }

    /// Scans one file; binary and oversized files give no findings.
    public static func scanFile(_ path: String) -> [Finding] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 8 << 20 + 1), data.count <= 8 << 20 else { return [] }
        if data.prefix(8192).contains(0) { return [] }
        return scan(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Scans text as if it were the file `path`.
    public static func scan(text: String, path: String) -> [Finding] {
        var findings: [Finding] = []
        let lines = TextLines.split(text).map(String.init)
        for (index, line) in lines.enumerated() {
            let range = NSRange(line.startIndex..., in: line)
            // The keyword may sit on the line or up to `keywordWindow` lines above (an ini section, a YAML parent).
            let context = lines[max(0, index - keywordWindow)...index].joined(separator: "\n")
            let contextRange = NSRange(context.startIndex..., in: context)
            var seen = Set<String>()
            for rule in rules {
                if let keyword = rule.keyword, keyword.firstMatch(in: context, range: contextRange) == nil { continue }
                for match in rule.pattern.matches(in: line, range: range) {
                    guard let r = Range(match.range(at: 1), in: line) else { continue }
                    let value = String(line[r])
                    guard !seen.contains(value), !isPlaceholder(value), entropy(value) >= rule.minEntropy else {
                        continue
                    }
                    if rule.name == "generic-secret" {
                        guard value.contains(where: \.isNumber), value.contains(where: \.isLetter) else { continue }
                        // A value a provider rule already reported (as a substring) is not reported twice.
                        guard !seen.contains(where: { value.contains($0) || $0.contains(value) }) else { continue }
                    }
                    seen.insert(value)
                    findings.append(
                        Finding(path: path, line: index + 1, rule: rule.name, masked: "xxxx…" + String(value.suffix(4)))
                    )
                }
            }
        }
        return findings
    }

    /// True for values that are obviously not real secrets.
    static func isPlaceholder(_ value: String) -> Bool {
        let lower = value.lowercased()
        let markers = [
            "redacted", "xxxx", "your", "example", "placeholder", "changeme", "change_me", "dummy", "sample", "***",
            "<", ">", "${", "$(", "todo", "fixme", "0000000000",
        ]
        if markers.contains(where: lower.contains) { return true }
        if uuid.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil { return true }
        return Set(value).count <= 3
    }

    /// Shannon entropy in bits per character.
    static func entropy(_ value: String) -> Double {
        guard !value.isEmpty else { return 0 }
        var counts: [Character: Int] = [:]
        for c in value { counts[c, default: 0] += 1 }
        let n = Double(value.count)
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / n
            return sum - p * log2(p)
        }
    }
}
