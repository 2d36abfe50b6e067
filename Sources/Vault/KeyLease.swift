import Foundation

/// A provider key held by a long-running user (a feed), re-checked before every request so that
/// `keys revoke`, `keys suspend` or an expiry in another process stops it at once (DESIGN §9,
/// "Revocation reaches running processes").
///
/// `current()` re-reads the vault file when its generation (or MAC) changed, authenticates it
/// with the DEK already held, and checks the leased version's state and validity window. Once it
/// refuses, the lease stays refused: the caller must stop, not retry. Thread-safe.
public final class KeyLease: @unchecked Sendable {
    /// The leased key id, `<provider>/<env>/<scope>`.
    public let keyId: String
    private let lock = NSLock()
    private let vault: UnlockedVault
    private let actor: String
    private var secret: SecretBytes?
    private var version: UInt32
    private var refusal: VaultError?

    init(vault: UnlockedVault, keyId: String, actor: String, now: Date) throws {
        self.vault = vault
        self.keyId = keyId
        self.actor = actor
        let secret = try vault.secret(for: keyId, actor: actor, now: now)
        self.secret = secret
        version = vault.issued[keyId] ?? 0
    }

    /// The secret to send with the next request, after re-checking the key. Throws
    /// `.keyUnusable` (revoked, suspended, deactivated, expired, not yet valid) or the vault's
    /// error when its file is gone, rolled back or tampered with; every later call throws the same.
    public func current(now: Date = Date()) throws -> SecretBytes {
        lock.lock()
        defer { lock.unlock() }
        if let refusal { throw refusal }
        do {
            try vault.refresh()
            try check(now: now)
        } catch let error as VaultError {
            refusal = error
            secret = nil
            throw error
        }
        return secret!
    }

    /// Reports that the leased version worked (activates a rotated version; see `markUsed`).
    public func markUsed() {
        lock.lock()
        defer { lock.unlock() }
        guard refusal == nil else { return }
        _ = try? vault.refresh()
        try? vault.markUsed(keyId: keyId)
    }

    /// Reports that the provider refused the leased version (see `markRejected`).
    public func markRejected() {
        lock.lock()
        defer { lock.unlock() }
        _ = try? vault.refresh()
        try? vault.markRejected(keyId: keyId)
    }

    /// The version handed out (for tests and the feed log).
    public var leasedVersion: UInt32 {
        lock.lock()
        defer { lock.unlock() }
        return version
    }

    private func check(now: Date) throws {
        let nowSeconds = UInt64(max(0, now.timeIntervalSince1970))
        guard
            let record = vault.image.records.first(where: {
                $0.metadata.keyId == keyId && $0.metadata.version == version
            })
        else {
            throw VaultError(.keyUnusable, "key \(keyId) v\(version) is no longer in the vault")
        }
        let metadata = record.metadata
        if metadata.state.isUsable && metadata.notBefore <= nowSeconds && nowSeconds < metadata.notAfter { return }
        // A rotation completed elsewhere retires this version for a newer, usable one: follow it.
        if metadata.state == .deactivated,
            vault.image.records.contains(where: {
                $0.metadata.keyId == keyId && $0.metadata.version > version && $0.metadata.state.isUsable
            })
        {
            secret = try vault.secret(for: keyId, actor: actor, now: now)
            version = vault.issued[keyId] ?? version
            return
        }
        let reason: String
        if metadata.state.isUsable && metadata.notAfter <= nowSeconds {
            let when = AuditEntry.formatTime(Date(timeIntervalSince1970: TimeInterval(metadata.notAfter)))
            reason = "key \(keyId) expired on \(when); the feed stops"
        } else if metadata.state.isUsable {
            let when = AuditEntry.formatTime(Date(timeIntervalSince1970: TimeInterval(metadata.notBefore)))
            reason = "key \(keyId) is not valid until \(when); the feed stops"
        } else {
            reason = "key \(keyId) v\(version) is now \(metadata.state.name); the feed stops"
        }
        try? vault.audit(
            action: "key.use", keyId: keyId, result: "denied",
            detail: ["reason": reason, "by": actor, "version": String(version)])
        throw VaultError(.keyUnusable, reason)
    }
}

extension UnlockedVault {
    /// Leases `keyId` for a long-running user: hands out the best usable version now (as
    /// `secret(for:)`, audited once as `key.use`), then re-checks it before every request.
    public func lease(keyId: String, actor: String, now: Date = Date()) throws -> KeyLease {
        try KeyLease(vault: self, keyId: keyId, actor: actor, now: now)
    }
}
