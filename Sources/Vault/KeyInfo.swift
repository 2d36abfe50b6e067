import Foundation

/// The scope of a key: feeds use `read`; `trade` (exchange execution) needs a step-up to use.
public enum KeyScope: String, Sendable, CaseIterable {
    /// Market data only.
    case read
    /// Can place orders.
    case trade
}

/// How close a key is to expiry, for colouring (DESIGN §10: warning under 14 days, alert when expired).
public enum ExpiryStatus: String, Sendable {
    /// More than 14 days left.
    case ok
    /// 14 days or less left.
    case warning
    /// Past `not_after`: refused.
    case expired
}

/// What can be shown about one key version, without its secret.
public struct KeyInfo: Sendable, Equatable {
    /// `<provider>/<env>/<scope>`.
    public var id: String
    /// The provider (`coingecko`, `tokenmetrics`, `binance`...).
    public var provider: String
    /// The environment.
    public var env: String
    /// `read` or `trade` (raw text when a foreign file holds another value).
    public var scope: String
    /// The version, 1 for the original key.
    public var version: UInt32
    /// The life-cycle state.
    public var state: KeyState
    /// When it was stored (`not_before`).
    public var created: Date
    /// When it expires (`not_after`).
    public var expires: Date
    /// The last successful `key.use` recorded in the audit log, if any.
    public var lastUsed: Date?
    /// `****` plus the last 4 characters; nil when read without the passphrase.
    public var masked: String?
    /// The label given at `keys add`; nil when read without the passphrase.
    public var label: String?
    /// The provider refused this version (HTTP 401/403) after its last successful hand-out: the
    /// newest of its `key.use` and `key.rejected` audit entries is the rejection.
    public var rejected = false

    /// The state as shown: `rejected` for a usable key the provider refused, else the state's name.
    public var displayState: String { rejected && state.isUsable ? "rejected" : state.name }

    /// The warning days before expiry.
    public static let warningDays = 14.0

    /// `ok`, `warning` (≤ 14 days left) or `expired` at `now`.
    public func expiryStatus(now: Date = Date()) -> ExpiryStatus {
        if now >= expires { return .expired }
        if expires.timeIntervalSince(now) <= KeyInfo.warningDays * 86_400 { return .warning }
        return .ok
    }

    /// Builds the info from record metadata.
    init(metadata: RecordMetadata, lastUsed: Date?, masked: String?, label: String?) {
        let parts = metadata.keyId.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        id = metadata.keyId
        provider = parts.first ?? metadata.keyId
        env = parts.count == 3 ? parts[1] : ""
        scope = parts.count == 3 ? parts[2] : ""
        version = metadata.version
        state = metadata.state
        created = Date(timeIntervalSince1970: TimeInterval(metadata.notBefore))
        expires = Date(timeIntervalSince1970: TimeInterval(metadata.notAfter))
        self.lastUsed = lastUsed
        self.masked = masked
        self.label = label
    }

    /// The `"id#version"` keys whose newest `key.use` (ok) / `key.rejected` entry is a rejection.
    static func rejectedVersions(_ entries: [AuditEntry]) -> Set<String> {
        var out: Set<String> = []
        for entry in entries {
            guard let id = entry.keyId, let version = entry.detail["version"] else { continue }
            if entry.action == "key.rejected" {
                out.insert("\(id)#\(version)")
            } else if entry.action == "key.use", entry.result == "ok" {
                out.remove("\(id)#\(version)")
            }
        }
        return out
    }

    /// The last successful use of each `key_id`/version in `entries`, keyed `"id#version"`.
    static func lastUses(_ entries: [AuditEntry]) -> [String: Date] {
        var result: [String: Date] = [:]
        for entry in entries where entry.action == "key.use" && entry.result == "ok" {
            guard let id = entry.keyId, let version = entry.detail["version"] else { continue }
            result["\(id)#\(version)"] = entry.time
        }
        return result
    }
}

/// Reads what the dashboard shows without asking for the passphrase.
public enum VaultMetadata {
    /// The key versions stored for `env`, from the clear metadata of the file (no authentication:
    /// display only); `lastUsed` comes from the audit log. Nil when no vault exists. Throws on
    /// unsafe permissions or a malformed file.
    public static func read(env: String) throws -> [KeyInfo]? {
        try read(location: .standard(env: env))
    }

    /// `read(env:)` for an explicit location.
    public static func read(location: VaultLocation) throws -> [KeyInfo]? {
        guard let bytes = try SafeFile.readPrivate(location.vaultURL) else { return nil }
        let image = try IDXV1.parse(bytes)
        let entries = AuditLog.tail(url: location.auditURL, count: Int.max)
        let uses = KeyInfo.lastUses(entries)
        let rejected = KeyInfo.rejectedVersions(entries)
        return image.records.map {
            var info = KeyInfo(
                metadata: $0.metadata, lastUsed: uses["\($0.metadata.keyId)#\($0.metadata.version)"], masked: nil,
                label: nil)
            info.rejected = rejected.contains("\($0.metadata.keyId)#\($0.metadata.version)")
            return info
        }
    }
}
