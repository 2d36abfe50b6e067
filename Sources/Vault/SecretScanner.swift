import Foundation
import IndexCore

/// One exposed secret found by `SecretScanner`; holds only a mask of the secret.
public struct Finding: Sendable, Equatable {
    /// The file, as given or as reached while walking a folder.
    public var path: String
    /// 1-based line number.
    public var line: Int
    /// The rule that matched (`binance`, `coinbase`, `kraken`, `kucoin`, `coingecko-demo`,
    /// `tokenmetrics`, `private-key`, `generic-secret`).
    public var rule: String
    /// `xxxx…` plus the last 4 characters of the secret.
    public var masked: String

    /// `file:line: rule: xxxx…last4`.
    public var description: String { "\(path):\(line): \(rule): \(masked)" }
}

/// Looks for exposed API keys in files (DESIGN §9 `indextop scan`): keyword-anchored provider
/// rules, PEM private keys, plus high-entropy values assigned to key/secret/token names.
///
/// Linear time: each line is cut once into tokens (runs of `[A-Za-z0-9+/_-]`) that provider rules
/// check whole (anchored), and assignments are found from their operator with bounded look-back;
/// lines are scanned up to `lineCap` characters, and longer lines are reported as notes. Skips
/// `.git`, binary files (a NUL in the first 8 KiB), files over 8 MiB and the lines of indextop's
/// own audit log; placeholders (`REDACTED`, `xxxx`, `<...>`, `${...}`) are ignored.
public enum SecretScanner {
    /// Characters of a line scanned; the rest of a longer line is not (and a note says so).
    public static let lineCap = 16_384

    /// How many lines above a match a provider keyword may appear.
    static let keywordWindow = 3

    /// Scans files and folders (recursively, not following symlinks). Unreadable paths are skipped;
    /// use `scan(paths:errors:notes:)` to learn about them.
    public static func scan(paths: [String]) -> [Finding] {
        var errors: [String] = []
        var notes: [String] = []
        return scan(paths: paths, errors: &errors, notes: &notes)
    }

    /// Scans like `scan(paths:)`, appending a message per path that could not be read to `errors`
    /// and one per line longer than `lineCap` to `notes` (`FILE:LINE: ...`).
    public static func scan(paths: [String], errors: inout [String], notes: inout [String]) -> [Finding] {
        var findings: [Finding] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append("\(path): no such file or directory")
                continue
            }
            for file in isDirectory.boolValue ? walk(path) : [path] {
                findings += scanFile(file, notes: &notes)
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
        var notes: [String] = []
        return scanFile(path, notes: &notes)
    }

    static func scanFile(_ path: String, notes: inout [String]) -> [Finding] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 8 << 20 + 1), data.count <= 8 << 20 else { return [] }
        if data.prefix(8192).contains(0) { return [] }
        return scan(bytes: Array(data), path: path, lineCap: lineCap, notes: &notes)
    }

    /// Scans text as if it were the file `path`.
    public static func scan(text: String, path: String) -> [Finding] {
        var notes: [String] = []
        return scan(bytes: Array(text.utf8), path: path, lineCap: lineCap, notes: &notes)
    }

    /// Scans text as the file `path` with another line cap (`Int.max`: none); a note per longer line.
    public static func scan(text: String, path: String, lineCap: Int, notes: inout [String]) -> [Finding] {
        scan(bytes: Array(text.utf8), path: path, lineCap: lineCap, notes: &notes)
    }

    /// Scans UTF-8 `bytes` line by line, each up to `lineCap` bytes (a note per longer line).
    static func scan(bytes: [UInt8], path: String, lineCap: Int, notes: inout [String]) -> [Finding] {
        // The one line reader's rule (BOM dropped; LF, CRLF and CR end a line).
        var lines = TextLines.ranges(bytes).map { bytes[$0] }
        for (index, line) in lines.enumerated() where line.count > lineCap {
            notes.append(
                "\(path):\(index + 1): line of \(line.count) bytes; only its first \(lineCap) were scanned")
            lines[index] = line.prefix(lineCap)
        }
        // Which provider keywords each line holds, once per line (the window then looks them up).
        let keywords = lines.map { ScanRules.keywords(in: $0) }
        var findings: [Finding] = []
        for (index, line) in lines.enumerated() {
            if ScanRules.isAuditEntry(line) { continue }
            var context: Set<String> = []
            for k in keywords[max(0, index - keywordWindow)...index] { context.formUnion(k) }
            var seen: [String] = []
            func report(_ rule: String, _ value: String) {
                guard !seen.contains(where: { $0.contains(value) || value.contains($0) }) else { return }
                seen.append(value)
                findings.append(
                    Finding(path: path, line: index + 1, rule: rule, masked: "xxxx…" + String(value.suffix(4))))
            }
            if let pem = ScanRules.privateKey(lines: lines, at: index) { report("private-key", pem) }
            for token in ScanRules.tokens(line) {
                if let rule = ScanRules.providerRule(token, context: context, line: line) { report(rule, token) }
            }
            for value in ScanRules.assignedSecrets(line) { report("generic-secret", value) }
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
        return Set(value).count <= 3
    }

    /// Shannon entropy in bits per character.
    static func entropy(_ value: String) -> Double {
        guard !value.isEmpty else { return 0 }
        var counts: [Character: Int] = [:]
        for c in value { counts[c, default: 0] += 1 }
        let n = Double(value.count)
        // Summed in character order, not hash order: the same string gives the same bits in every process.
        return counts.keys.sorted().reduce(0) { sum, c in
            let p = Double(counts[c]!) / n
            return sum - p * log2(p)
        }
    }
}
