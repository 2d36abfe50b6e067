import Foundation
import IndexCore
import PortfolioStore
import Vault

/// The alert inputs the store cannot read itself: the vault's keys (clear metadata and the audit
/// log, no passphrase needed) and a running feed's status.
public enum AlertSources {
    /// Every key version of the vault at `location`: its state, expiry, and whether the provider
    /// rejected it after its last successful use (the audit log's `key.rejected` and `key.use`).
    /// Empty when there is no vault; nil when it cannot be read (its key alerts are then left alone).
    public static func keys(location: VaultLocation) -> [AlertInputs.Key]? {
        let read: [KeyInfo]?
        do { read = try VaultMetadata.read(location: location) } catch { return nil }
        guard let infos = read else { return [] }
        var last: [String: String] = [:]
        for e in AuditLog.tail(url: location.auditURL, count: Int.max) {
            guard let id = e.keyId, let version = e.detail["version"] else { continue }
            if e.action == "key.rejected" || (e.action == "key.use" && e.result == "ok") {
                last["\(id)#\(version)"] = e.action
            }
        }
        return infos.map { k in
            AlertInputs.Key(
                id: k.id, version: k.version, usable: k.state.isUsable,
                retired: k.state == .deactivated || k.state == .compromised,
                expires: Int64(k.expires.timeIntervalSince1970),
                rejected: last["\(k.id)#\(k.version)"] == "key.rejected")
        }
    }

    /// The feed as the alert rules see it: its stale threshold, newest price, and the error it stopped on.
    public static func feed(_ status: FeedStatus, staleAfter: Double) -> AlertInputs.Feed {
        var stopped: String?
        if case .error(let message) = status.state { stopped = message }
        return AlertInputs.Feed(
            name: status.name, staleAfter: staleAfter, lastPriceTime: status.lastPriceTime, stoppedError: stopped)
    }
}
