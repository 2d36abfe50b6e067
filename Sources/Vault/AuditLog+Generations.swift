import Foundation

/// The generation and file MAC of the vault as an authenticated audit entry last recorded it.
struct RecordedGeneration: Sendable, Equatable {
    /// The vault generation.
    var generation: UInt64
    /// The file MAC, 64 hex digits.
    var fileMAC: String
    /// The entry's `seq`.
    var seq: Int
}

extension AuditLog {
    /// The result an audited write logs before its effect (DESIGN §9: intent, then the result).
    static let intentResult = "intent"

    /// The last entry, in log order, that authenticates under `key` and records a vault state the
    /// file had reached: an `ok` result carrying `generation` (every write, unlock and accepted
    /// restore logs one). Intents are left out, since their write may never have happened.
    ///
    /// Each line is checked against the line before it (resynchronising after a damaged line),
    /// so editing an early entry cannot hide a later record. Nil for an empty or missing log.
    /// Throws `.permissions`/`.io` when the log is refused.
    static func lastRecordedGeneration(url: URL, key: SecretBytes) throws -> RecordedGeneration? {
        guard let bytes = try SafeFile.readPrivate(url) else { return nil }
        var previous = [UInt8](repeating: 0, count: 32)
        var last: RecordedGeneration?
        for raw in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let entry = try? AuditEntry.parse(line: String(decoding: raw, as: UTF8.self)),
                let computed = try? link(key: key, previous: previous, entry: entry)
            else { continue }
            if entry.mac.isEmpty {
                previous = computed
                continue
            }
            guard let stored = hexDecode(entry.mac), stored.count == 32 else { continue }
            previous = stored
            guard Crypto.constantTimeEqual(stored, computed), entry.result == "ok",
                let text = entry.detail["generation"], let generation = UInt64(text)
            else { continue }
            last = RecordedGeneration(generation: generation, fileMAC: entry.detail["file_mac"] ?? "", seq: entry.seq)
        }
        return last
    }

    /// Line numbers of `intent` entries with no later result of the same action, key and
    /// generation: writes interrupted between their intent and their result (the change may or
    /// may not have committed; the generation recorded by the next unlock tells which).
    static func pendingIntents(_ entries: [(line: Int, entry: AuditEntry)]) -> [Int] {
        var open: [String: Int] = [:]
        for (line, entry) in entries {
            let id = "\(entry.action)|\(entry.keyId ?? "")|\(entry.detail["generation"] ?? "")"
            if entry.result == intentResult {
                open[id] = line
            } else {
                open[id] = nil
            }
        }
        return open.values.sorted()
    }
}
