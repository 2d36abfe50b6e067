import Foundation
import IndexCore

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

    /// The earliest and latest times `formatTime` writes: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
    static let timeRange: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// ISO-8601 UTC with whole seconds, e.g. `2025-03-01T12:00:00Z`; times outside years 1–9999
    /// (a hostile `not_after`) are shown at the nearer end of that range.
    public static func formatTime(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let t: Int64
        if !(seconds >= Double(timeRange.lowerBound)) {
            t = timeRange.lowerBound
        } else if seconds > Double(timeRange.upperBound) {
            t = timeRange.upperBound
        } else {
            t = Int64(seconds.rounded(.down))
        }
        return UTCCalendar.iso(t)
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (what `formatTime` writes, the only spelling an audit
    /// line may use): a valid calendar date, hour < 24, minute and second < 60. Nil otherwise.
    public static func parseTime(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u[19] == 90 else {
            return nil
        }
        func number(_ from: Int, _ length: Int) -> Int? {
            var value = 0
            for c in u[from..<(from + length)] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = number(0, 4), year >= 1, let month = number(5, 2), (1...12).contains(month),
            let day = number(8, 2), day >= 1, day <= UTCCalendar.daysIn(year: year, month: month),
            let hour = number(11, 2), hour < 24, let minute = number(14, 2), minute < 60,
            let second = number(17, 2), second < 60
        else { return nil }
        let t =
            UTCCalendar.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSince1970: TimeInterval(t))
    }
}
