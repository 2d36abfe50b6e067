import Foundation

/// One line of the audit log (DESIGN §9): JSON with `seq`, `time`, `actor`, `action`, `key_id`,
/// `result`, `detail` and `mac`.
///
/// `mac` is hex HMAC-SHA256(K_audit, mac_{i-1} | canonical(entry)); it is empty for entries
/// written without the vault key (failed unlocks), which the next keyed entry's MAC then covers.
public struct AuditEntry: Sendable, Equatable {
    /// Position in the log, from 1.
    public var seq: Int
    /// When it happened (UTC, whole seconds).
    public var time: Date
    /// Who: `cli`, `dashboard`, a feed name.
    public var actor: String
    /// What: `unlock`, `key.add`, `key.rotate`, `key.revoke`, `key.suspend`, `key.use`, `rebalance.apply`...
    public var action: String
    /// The key concerned, if any.
    public var keyId: String?
    /// `ok`, `failed`, `denied`...
    public var result: String
    /// Extra string fields (version, keyed fingerprint, index slug); never a secret.
    public var detail: [String: String]
    /// Hex MAC, or "" when written without the key.
    public var mac: String

    /// Creates an entry.
    public init(
        seq: Int, time: Date, actor: String, action: String, keyId: String?, result: String,
        detail: [String: String], mac: String = ""
    ) {
        self.seq = seq
        self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
        self.actor = actor
        self.action = action
        self.keyId = keyId
        self.result = result
        self.detail = detail
        self.mac = mac
    }

    /// The canonical form the MAC covers: keys sorted, no whitespace, `mac` left out.
    public func canonical() -> [UInt8] { encode(includeMAC: false) }

    /// The stored line (canonical with `mac`), without the newline.
    public func line() -> String { String(decoding: encode(includeMAC: true), as: UTF8.self) }

    private func encode(includeMAC: Bool) -> [UInt8] {
        var out: [UInt8] = []
        func key(_ name: String) {
            RecordPayload.appendJSONString(Array(name.utf8), to: &out)
            out.append(UInt8(ascii: ":"))
        }
        func string(_ value: String) { RecordPayload.appendJSONString(Array(value.utf8), to: &out) }
        out.append(UInt8(ascii: "{"))
        key("action")
        string(action)
        out.append(UInt8(ascii: ","))
        key("actor")
        string(actor)
        out.append(UInt8(ascii: ","))
        key("detail")
        out.append(UInt8(ascii: "{"))
        for (index, name) in detail.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            .enumerated()
        {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            key(name)
            string(detail[name]!)
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: ","))
        key("key_id")
        if let keyId { string(keyId) } else { out += Array("null".utf8) }
        if includeMAC {
            out.append(UInt8(ascii: ","))
            key("mac")
            string(mac)
        }
        out.append(UInt8(ascii: ","))
        key("result")
        string(result)
        out.append(UInt8(ascii: ","))
        key("seq")
        out += Array(String(seq).utf8)
        out.append(UInt8(ascii: ","))
        key("time")
        string(AuditEntry.formatTime(time))
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Parses one stored line; throws `.audit` when a field is missing or has the wrong type.
    public static func parse(line: String) throws -> AuditEntry {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let seq = object["seq"] as? Int, let timeText = object["time"] as? String,
            let time = parseTime(timeText), let actor = object["actor"] as? String,
            let action = object["action"] as? String, let result = object["result"] as? String,
            let detail = object["detail"] as? [String: String], let mac = object["mac"] as? String
        else {
            throw VaultError(.audit, "malformed audit line")
        }
        let keyId: String?
        switch object["key_id"] {
        case let id as String: keyId = id
        case is NSNull, nil: keyId = nil
        default: throw VaultError(.audit, "malformed key_id in audit line")
        }
        return AuditEntry(
            seq: seq, time: time, actor: actor, action: action, keyId: keyId, result: result, detail: detail, mac: mac)
    }

    /// ISO-8601 UTC with whole seconds, e.g. `2025-03-01T12:00:00Z`.
    public static func formatTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// Parses `formatTime` output.
    public static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
