import Foundation

extension UnlockedVault {
    /// The secret of the best usable version of `keyId` (the newest active or pre-activation,
    /// not expired). A `trade` key first asks for the passphrase again (step-up). Audits `key.use`.
    /// Throws `.unknownKey`, `.keyUnusable` (expired, suspended, compromised, deactivated),
    /// `.wrongPassphrase` on a failed step-up.
    public func secret(for keyId: String, actor: String, now: Date = Date()) throws -> SecretBytes {
        let versions = image.records.filter { $0.metadata.keyId == keyId }
        guard !versions.isEmpty else { throw VaultError(.unknownKey, "no key \(keyId)") }
        let nowSeconds = UInt64(max(0, now.timeIntervalSince1970))
        let usable = versions.filter {
            $0.metadata.state.isUsable && $0.metadata.notAfter > nowSeconds && $0.metadata.notBefore <= nowSeconds
        }
        guard let record = usable.max(by: { $0.metadata.version < $1.metadata.version }) else {
            let newest = versions.max { $0.metadata.version < $1.metadata.version }!.metadata
            let reason: String
            if newest.state.isUsable && newest.notBefore > nowSeconds {
                let when = AuditEntry.formatTime(Date(timeIntervalSince1970: TimeInterval(newest.notBefore)))
                reason = "key \(keyId) is not valid until \(when)"
            } else if newest.state.isUsable && newest.notAfter <= nowSeconds {
                let when = AuditEntry.formatTime(Date(timeIntervalSince1970: TimeInterval(newest.notAfter)))
                reason = "key \(keyId) expired on \(when); rotate it with `indextop keys rotate \(keyId)`"
            } else {
                reason = "key \(keyId) is \(newest.state.name) and may not be used"
            }
            try audit(action: "key.use", keyId: keyId, result: "denied", detail: ["reason": reason, "by": actor])
            throw VaultError(.keyUnusable, reason)
        }
        if keyId.hasSuffix("/\(KeyScope.trade.rawValue)") {
            try stepUp(action: "key.use.trade", detail: ["key_id": keyId])
        }
        let secret = try payload(of: record).secret
        issued[keyId] = record.metadata.version
        try audit(
            action: "key.use", keyId: keyId, result: "ok",
            detail: [
                "version": String(record.metadata.version), "fingerprint": try fingerprint(of: secret), "by": actor,
            ])
        return secret
    }

    /// Reports that the version last handed out for `keyId` worked. When it is a rotated version
    /// awaiting its first use, it becomes active and every older live version is deactivated.
    public func markUsed(keyId: String) throws {
        guard let version = issued[keyId],
            let index = image.records.firstIndex(where: {
                $0.metadata.keyId == keyId && $0.metadata.version == version
            }),
            image.records[index].metadata.state == .preActivation
        else { return }
        var next = image
        var retired: [UInt32] = []
        for i in next.records.indices where next.records[i].metadata.keyId == keyId {
            var metadata = next.records[i].metadata
            if metadata.version == version {
                metadata.state = .active
            } else if metadata.version < version && metadata.state.isUsable {
                metadata.state = .deactivated
                retired.append(metadata.version)
            } else {
                continue
            }
            next.records[i] = try resealed(next.records[i], metadata: metadata)
        }
        try commit(
            next, action: "key.activate", keyId: keyId,
            detail: ["version": String(version), "deactivated": retired.map(String.init).joined(separator: ",")])
    }

    /// Reports that the provider refused the version last handed out (HTTP 401/403). A rotated
    /// version awaiting its first use is suspended so the previous version is used again; an
    /// established version is left as is (the refusal may be the provider's fault) but audited.
    public func markRejected(keyId: String) throws {
        guard let version = issued[keyId] else { return }
        issued[keyId] = nil
        var detail = ["version": String(version)]
        if let index = image.records.firstIndex(where: { $0.metadata.keyId == keyId && $0.metadata.version == version }
        ),
            image.records[index].metadata.state == .preActivation
        {
            var next = image
            var metadata = next.records[index].metadata
            metadata.state = .suspended
            next.records[index] = try resealed(next.records[index], metadata: metadata)
            detail["state"] = KeyState.suspended.name
            try commit(next, action: "key.rejected", keyId: keyId, detail: detail)
            return
        }
        try audit(action: "key.rejected", keyId: keyId, result: "failed", detail: detail)
    }

    /// Asks the vault's passphrase source again and checks it; audits `action` (ok or failed).
    /// Throws `.wrongPassphrase` on a mismatch.
    public func stepUp(action: String, detail: [String: String]) throws {
        let passphrase = try source.read(prompt: "Passphrase again to confirm \(action): ")
        do {
            try checkPassphrase(passphrase)
        } catch let error as VaultError where error.code == .wrongPassphrase {
            try audit(action: action, keyId: detail["key_id"], result: "failed", detail: detail)
            throw VaultError(.wrongPassphrase, "wrong passphrase: \(action) not confirmed")
        }
        try audit(action: action, keyId: detail["key_id"], result: "ok", detail: detail)
    }
}
