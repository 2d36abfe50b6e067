import Foundation

/// The result of `keys verify`.
public struct VaultReport: Sendable {
    /// Records decrypted and authenticated.
    public var records: Int
    /// The file's generation.
    public var generation: UInt64
    /// Usable versions past their expiry.
    public var expired: [KeyInfo]
    /// Usable versions expiring within 14 days.
    public var expiringSoon: [KeyInfo]
    /// The audit chain status.
    public var audit: AuditVerification
}

extension UnlockedVault {
    /// Default key lifetime in days.
    public static let defaultExpiryDays = 90

    /// Every key version with its masked secret and label (decrypts each record), sorted by id then version.
    public func keys() throws -> [KeyInfo] {
        let entries = AuditLog.tail(url: location.auditURL, count: Int.max)
        let uses = KeyInfo.lastUses(entries)
        let rejected = KeyInfo.rejectedVersions(entries)
        return try image.records.map { record in
            let payload = try payload(of: record)
            var info = KeyInfo(
                metadata: record.metadata, lastUsed: uses["\(record.metadata.keyId)#\(record.metadata.version)"],
                masked: payload.secret.masked, label: payload.label.isEmpty ? nil : payload.label)
            info.rejected = rejected.contains("\(record.metadata.keyId)#\(record.metadata.version)")
            return info
        }.sorted { ($0.id, $0.version) < ($1.id, $1.version) }
    }

    /// Stores a new key `<provider>/<env>/<scope>` as version 1 (or the next version when every
    /// earlier one is retired), active, expiring after `expiresInDays` (1–3650).
    /// Throws `.invalid` for a bad provider, empty secret or an existing live key (rotate it instead).
    @discardableResult
    public func add(
        provider: String, scope: KeyScope, secret: SecretBytes, publicKey: String = "", label: String = "",
        expiresInDays: Int = defaultExpiryDays, now: Date = Date()
    ) throws -> KeyInfo {
        try Self.validate(provider: provider, secret: secret, days: expiresInDays)
        let keyId = "\(provider)/\(location.env)/\(scope.rawValue)"
        let existing = image.records.filter { $0.metadata.keyId == keyId }
        guard !existing.contains(where: { $0.metadata.state.isUsable || $0.metadata.state == .suspended }) else {
            throw VaultError(.invalid, "key \(keyId) already exists; use `indextop keys rotate \(keyId)`")
        }
        let version = (existing.map(\.metadata.version).max() ?? 0) + 1
        let record = try seal(
            keyId: keyId, version: version, state: .active, secret: secret, publicKey: publicKey, label: label,
            days: expiresInDays, now: now)
        var next = image
        next.records.append(record)
        try commit(
            next, action: "key.add", keyId: keyId,
            detail: ["version": String(version), "scope": scope.rawValue, "fingerprint": try fingerprint(of: secret)])
        return KeyInfo(metadata: record.metadata, lastUsed: nil, masked: secret.masked, label: label)
    }

    /// Adds a new version of `keyId` in state pre-activation; the current version stays usable
    /// until the new one is used successfully once (`markUsed`), then it is deactivated.
    @discardableResult
    public func rotate(
        keyId: String, secret: SecretBytes, publicKey: String = "", label: String? = nil,
        expiresInDays: Int = defaultExpiryDays, now: Date = Date()
    ) throws -> KeyInfo {
        let existing = image.records.filter { $0.metadata.keyId == keyId }
        guard let newest = existing.max(by: { $0.metadata.version < $1.metadata.version }) else {
            throw VaultError(.unknownKey, "no key \(keyId)")
        }
        try Self.validate(provider: "x", secret: secret, days: expiresInDays)
        var next = image
        // A version still awaiting its first use is superseded by this one.
        for index in next.records.indices
        where next.records[index].metadata.keyId == keyId && next.records[index].metadata.state == .preActivation {
            var metadata = next.records[index].metadata
            metadata.state = .deactivated
            next.records[index] = try resealed(next.records[index], metadata: metadata)
        }
        let version = newest.metadata.version + 1
        let oldLabel = try label ?? payload(of: newest).label
        let record = try seal(
            keyId: keyId, version: version, state: .preActivation, secret: secret, publicKey: publicKey,
            label: oldLabel, days: expiresInDays, now: now)
        next.records.append(record)
        try commit(
            next, action: "key.rotate", keyId: keyId,
            detail: ["version": String(version), "fingerprint": try fingerprint(of: secret)])
        issued[keyId] = nil
        return KeyInfo(metadata: record.metadata, lastUsed: nil, masked: secret.masked, label: oldLabel)
    }

    /// Marks every version of `keyId` not already retired as compromised, at once. Returns the versions changed.
    @discardableResult
    public func revoke(keyId: String) throws -> [UInt32] {
        try transition(keyId: keyId, action: "key.revoke", to: .compromised) {
            $0 != .compromised && $0 != .deactivated
        }
    }

    /// Suspends every usable version of `keyId`. Returns the versions changed.
    @discardableResult
    public func suspend(keyId: String) throws -> [UInt32] {
        try transition(keyId: keyId, action: "key.suspend", to: .suspended) { $0.isUsable }
    }

    /// Returns suspended versions of `keyId` to active. Returns the versions changed.
    @discardableResult
    public func resume(keyId: String) throws -> [UInt32] {
        try transition(keyId: keyId, action: "key.resume", to: .active) { $0 == .suspended }
    }

    /// Re-reads and re-authenticates the file (MAC and every record), checks expiry and the audit chain.
    public func verify(now: Date = Date()) throws -> VaultReport {
        guard let bytes = try SafeFile.readPrivate(location.vaultURL) else {
            throw VaultError(.noVault, "the vault file disappeared", context: location.vaultURL.path)
        }
        let onDisk = try IDXV1.parse(bytes)
        guard onDisk.header == image.header else { throw VaultError(.tampered, "the vault header changed") }
        try VaultCodec.authenticate(bytes: bytes, image: onDisk, dek: dek)
        for record in onDisk.records { _ = try payload(of: record) }
        image = onDisk
        let all = try keys().filter { $0.state.isUsable }
        return VaultReport(
            records: onDisk.records.count, generation: onDisk.generation,
            expired: all.filter { $0.expiryStatus(now: now) == .expired },
            expiringSoon: all.filter { $0.expiryStatus(now: now) == .warning }, audit: verifyAudit())
    }

    private func transition(keyId: String, action: String, to state: KeyState, when: (KeyState) -> Bool) throws
        -> [UInt32]
    {
        guard image.records.contains(where: { $0.metadata.keyId == keyId }) else {
            throw VaultError(.unknownKey, "no key \(keyId)")
        }
        var next = image
        var changed: [UInt32] = []
        for index in next.records.indices
        where next.records[index].metadata.keyId == keyId && when(next.records[index].metadata.state) {
            var metadata = next.records[index].metadata
            metadata.state = state
            next.records[index] = try resealed(next.records[index], metadata: metadata)
            changed.append(metadata.version)
        }
        guard !changed.isEmpty else {
            throw VaultError(.invalid, "no version of \(keyId) can be moved to \(state.name)")
        }
        try commit(
            next, action: action, keyId: keyId,
            detail: ["versions": changed.map(String.init).joined(separator: ","), "state": state.name])
        issued[keyId] = nil
        return changed
    }

    private func seal(
        keyId: String, version: UInt32, state: KeyState, secret: SecretBytes, publicKey: String, label: String,
        days: Int, now: Date
    ) throws -> SealedRecord {
        let start = UInt64(max(0, now.timeIntervalSince1970.rounded(.down)))
        let metadata = RecordMetadata(
            keyId: keyId, version: version, state: state, notBefore: start, notAfter: start + UInt64(days) * 86_400)
        let plaintext = RecordPayload(key: publicKey, secret: secret, label: label).encoded()
        return try VaultCodec.sealRecord(
            metadata: metadata, plaintext: plaintext, dek: dek, vaultId: image.header.vaultId)
    }

    static func validate(provider: String, secret: SecretBytes, days: Int) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard !provider.isEmpty, provider.count <= 64, provider.allSatisfy({ allowed.contains($0) }) else {
            throw VaultError(.invalid, "provider must be 1-64 characters of a-z, 0-9, '-', '_' or '.'")
        }
        guard secret.count > 0, secret.count <= 64 * 1024 else {
            throw VaultError(.invalid, "the secret must be 1 byte to 64 KiB")
        }
        guard (1...3650).contains(days) else { throw VaultError(.invalid, "--expires must be 1-3650 days") }
    }
}
