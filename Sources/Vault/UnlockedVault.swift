import Foundation

/// An unlocked vault: the DEK and the keys derived from it, in wiped buffers, plus the current
/// file image. Key material is wiped when the instance is released.
///
/// Not thread-safe: use one instance from one task or actor.
public final class UnlockedVault {
    /// The files this vault reads and writes.
    public let location: VaultLocation
    /// Who is acting, written into audit entries (`cli`, `dashboard`, a feed name).
    public var actor: String
    var image: VaultImage
    let dek: SecretBytes
    let auditKey: SecretBytes
    let fingerprintKey: SecretBytes
    let source: PassphraseSource
    /// The version handed out by `secret(for:)` per key id, so `markUsed`/`markRejected` know which one.
    var issued: [String: UInt32] = [:]
    /// Set when the `unlock` entry could not be appended (a damaged log): callers should warn.
    public internal(set) var auditProblem: String?

    init(location: VaultLocation, image: VaultImage, dek: SecretBytes, source: PassphraseSource, actor: String) throws {
        self.location = location
        self.image = image
        self.dek = dek
        self.source = source
        self.actor = actor
        auditKey = try AuditLog.key(dek: dek, vaultId: image.header.vaultId)
        fingerprintKey = try Crypto.hkdfSHA256(key: dek, salt: image.header.vaultId, info: VaultCodec.fingerprintInfo)
    }

    // `dek`, `auditKey` and `fingerprintKey` are SecretBytes: each wipes itself when released here.
    deinit {}

    /// Unlocks the standard vault of `env` (see `unlock(location:passphrase:actor:)`).
    public static func unlock(env: String, passphrase: PassphraseSource) throws -> UnlockedVault {
        try unlock(location: .standard(env: env), passphrase: passphrase)
    }

    /// Reads and authenticates the vault: permissions, bounds, KEK, DEK unwrap, file MAC and every
    /// record tag, then the rollback check (the file's generation against the last one the audit
    /// chain recorded). The process is hardened before the passphrase is read. Appends an `unlock`
    /// audit entry (ok with the generation and file MAC seen, or failed).
    /// Throws `.noVault`, `.permissions`, `.format`, `.wrongPassphrase`, `.tampered`, `.passphrase`,
    /// `.rollback`.
    public static func unlock(location: VaultLocation, passphrase: PassphraseSource, actor: String = "cli") throws
        -> UnlockedVault
    {
        try unlock(location: location, passphrase: passphrase, actor: actor) { kdf, salt, secret in
            try kdf.deriveKEK(passphrase: secret, salt: salt)
        }
    }

    /// Accepts a deliberate restore of an older vault file (`keys accept-restore`): unlocks without
    /// the rollback refusal and records the restored generation in the audit chain
    /// (`vault.accept-restore`, with the generation recorded before), so later unlocks compare
    /// against it. Returns the (recorded, found) generations, or nil when there was no rollback.
    public static func acceptRestore(location: VaultLocation, passphrase: PassphraseSource, actor: String = "cli")
        throws -> (recorded: UInt64, found: UInt64)?
    {
        try acceptRestore(location: location, passphrase: passphrase, actor: actor) { kdf, salt, secret in
            try kdf.deriveKEK(passphrase: secret, salt: salt)
        }
    }

    /// `acceptRestore` with an injectable KEK derivation.
    static func acceptRestore(
        location: VaultLocation, passphrase: PassphraseSource, actor: String,
        deriveKEK: (KDFParameters, [UInt8], SecretBytes) throws -> SecretBytes
    ) throws -> (recorded: UInt64, found: UInt64)? {
        var outcome: (UInt64, UInt64)?
        _ = try unlock(location: location, passphrase: passphrase, actor: actor, deriveKEK: deriveKEK) {
            vault, recorded in
            outcome = (recorded.generation, vault.image.generation)
            try vault.audit(
                action: "vault.accept-restore", keyId: nil, result: "ok",
                detail: vault.writeDetail([
                    "previous_generation": String(recorded.generation), "previous_seq": String(recorded.seq),
                ]))
        }
        return outcome
    }

    /// `unlock` with an injectable KEK derivation (tests memoise the expensive KDF). `onRollback`
    /// replaces the rollback refusal (accepting a restore).
    static func unlock(
        location: VaultLocation, passphrase: PassphraseSource, actor: String,
        deriveKEK: (KDFParameters, [UInt8], SecretBytes) throws -> SecretBytes,
        onRollback: ((UnlockedVault, RecordedGeneration) throws -> Void)? = nil
    ) throws -> UnlockedVault {
        ProcessHardening.disableCoreDumps()
        guard let bytes = try SafeFile.readPrivate(location.vaultURL) else {
            throw VaultError(
                .noVault, "no vault for environment \(location.env); create one with `indextop keys add`",
                context: location.vaultURL.path)
        }
        let opened: (VaultImage, SecretBytes)
        do {
            _ = try IDXV1.parse(bytes)  // refuse a malformed file before prompting
            let secret = try passphrase.read()
            opened = try VaultCodec.open(bytes: bytes) { kdf, salt in try deriveKEK(kdf, salt, secret) }
        } catch let error as VaultError {
            if error.code == .wrongPassphrase || error.code == .tampered || error.code == .format {
                _ = try? AuditLog.append(
                    url: location.auditURL, key: nil, actor: actor, action: "unlock", keyId: nil, result: "failed",
                    detail: ["reason": error.code.rawValue])
            }
            throw error
        }
        let vault = try UnlockedVault(
            location: location, image: opened.0, dek: opened.1, source: passphrase, actor: actor)
        if let recorded = try AuditLog.lastRecordedGeneration(url: location.auditURL, key: vault.auditKey),
            recorded.generation > vault.image.generation
        {
            if let onRollback {
                try onRollback(vault, recorded)
            } else {
                try? vault.audit(
                    action: "unlock", keyId: nil, result: "failed",
                    detail: vault.writeDetail([
                        "reason": "rollback", "recorded_generation": String(recorded.generation),
                    ]))
                throw VaultError(
                    .rollback,
                    "the vault file is at generation \(vault.image.generation) but the audit log recorded generation \(recorded.generation) (entry \(recorded.seq)): an older copy was restored over it, which can bring revoked keys back; refusing it. If you restored it on purpose, run `indextop --env \(location.env) keys accept-restore`",
                    context: location.vaultURL.path)
            }
        }
        do {
            try vault.audit(action: "unlock", keyId: nil, result: "ok", detail: vault.writeDetail([:]))
        } catch {
            vault.auditProblem = "\(error)"
        }
        return vault
    }

    /// Creates a new, empty vault for `location` (refused when one exists), writing it at once
    /// (`vault.create` intent before the write, its result after). `kdf` defaults to
    /// `KDFParameters.forNewVault()`.
    public static func create(
        location: VaultLocation, passphrase: PassphraseSource, kdf: KDFParameters = .forNewVault(),
        actor: String = "cli"
    ) throws -> UnlockedVault {
        let secret = try passphrase.read()
        try kdf.validate()
        let lock = try FileLock(location.lockURL)
        defer { withExtendedLifetime(lock) {} }
        guard !location.vaultExists else {
            throw VaultError(
                .invalid, "a vault already exists for environment \(location.env)", context: location.vaultURL.path)
        }
        let (image, dek) = try VaultCodec.newImage(kdf: kdf, passphrase: secret)
        var written = image
        written.generation = 1
        let bytes = try VaultCodec.serialize(written, dek: dek)
        written.mac = Array(bytes.suffix(IDXV1.macLength))
        let vault = try UnlockedVault(location: location, image: written, dek: dek, source: passphrase, actor: actor)
        try vault.audited(
            action: "vault.create", keyId: nil, detail: ["kdf": kdf.algorithm == .scrypt ? "scrypt" : "pbkdf2"],
            image: written
        ) {
            try SafeFile.writeAtomically(bytes, to: location.vaultURL)
        }
        return vault
    }

    /// The current generation (incremented by every write).
    public var generation: UInt64 { image.generation }

    /// Appends an audit entry chained with K_audit. Throws `.audit`/`.io` when the log cannot be written.
    public func audit(action: String, keyId: String?, result: String, detail: [String: String]) throws {
        try AuditLog.append(
            url: location.auditURL, key: auditKey, actor: actor, action: action, keyId: keyId, result: result,
            detail: detail)
    }

    /// Verifies the audit chain of this vault's log.
    public func verifyAudit() -> AuditVerification {
        AuditLog.verify(url: location.auditURL, key: auditKey)
    }

    /// A keyed fingerprint of a secret for audit entries: `fp:` + 16 hex digits of
    /// HMAC-SHA256(HKDF(DEK, vault_id, "IDXV1/fingerprint"), secret). Reveals nothing without the DEK.
    public func fingerprint(of secret: SecretBytes) throws -> String {
        let mac = try secret.withUnsafeBytes { try Crypto.hmacSHA256(key: fingerprintKey, data: $0) }
        return "fp:" + AuditLog.hexEncode(Array(mac.prefix(8)))
    }

    /// `detail` plus the generation and file MAC of `image` (default: the current one): what every
    /// write and unlock records so that a later unlock can detect a rollback.
    func writeDetail(_ detail: [String: String], image: VaultImage? = nil) -> [String: String] {
        let image = image ?? self.image
        var out = detail
        out["generation"] = String(image.generation)
        out["file_mac"] = AuditLog.hexEncode(image.mac)
        return out
    }

    /// Runs `write` between an `intent` audit entry and its result (`ok`, or `failed` when it
    /// throws), both carrying `image`'s generation and file MAC. When the intent cannot be
    /// logged nothing is written, so a change never commits without its entry, even if the
    /// process dies between the rename and the result.
    func audited(
        action: String, keyId: String?, detail: [String: String], image: VaultImage, write: () throws -> Void
    ) throws {
        let recorded = writeDetail(detail, image: image)
        try audit(action: action, keyId: keyId, result: "intent", detail: recorded)
        do {
            try write()
        } catch {
            var failed = recorded
            failed["error"] = (error as? VaultError)?.code.rawValue ?? "io"
            try? audit(action: action, keyId: keyId, result: "failed", detail: failed)
            throw error
        }
        try audit(action: action, keyId: keyId, result: "ok", detail: recorded)
    }

    /// Writes `newImage` under the lock: refuses when another process wrote since this one read,
    /// increments `generation`, logs the `intent` of `action`, then temp file, fsync, rename, folder
    /// fsync, then logs the result (see `audited`).
    func commit(
        _ newImage: VaultImage, action: String, keyId: String?, detail: [String: String],
        beforeRename: (() throws -> Void)? = nil
    ) throws {
        let lock = try FileLock(location.lockURL)
        defer { withExtendedLifetime(lock) {} }
        guard let current = try SafeFile.readPrivate(location.vaultURL) else {
            throw VaultError(.conflict, "the vault file disappeared", context: location.vaultURL.path)
        }
        let onDisk = try IDXV1.parse(current)
        guard onDisk.generation == image.generation, onDisk.header == image.header else {
            throw VaultError(.conflict, "the vault was changed by another process; run the command again")
        }
        // A file written elsewhere may carry any u64 generation; at the maximum it cannot grow.
        guard image.generation < UInt64.max else {
            throw VaultError(.format, "the vault generation is at its maximum; it cannot be written again")
        }
        var next = newImage
        next.generation = image.generation + 1
        let bytes = try VaultCodec.serialize(next, dek: dek)
        next.mac = Array(bytes.suffix(IDXV1.macLength))
        try audited(action: action, keyId: keyId, detail: detail, image: next) {
            try SafeFile.writeAtomically(bytes, to: location.vaultURL, beforeRename: beforeRename)
            image = next
        }
    }

    /// Re-reads the file when another process wrote it (another generation or MAC),
    /// authenticating it with this vault's DEK, so that a long-lived holder (a feed) sees
    /// revocations. Returns true when the image changed. Throws `.noVault` when the file is gone,
    /// `.rollback` for a lower generation, `.tampered` for another header or a bad MAC or tag.
    @discardableResult
    public func refresh() throws -> Bool {
        guard let bytes = try SafeFile.readPrivate(location.vaultURL) else {
            throw VaultError(.noVault, "the vault file disappeared", context: location.vaultURL.path)
        }
        let onDisk = try IDXV1.parse(bytes)
        if onDisk.generation == image.generation && onDisk.mac == image.mac { return false }
        guard onDisk.header == image.header else { throw VaultError(.tampered, "the vault header changed") }
        guard onDisk.generation >= image.generation else {
            throw VaultError(
                .rollback,
                "the vault file went back from generation \(image.generation) to \(onDisk.generation); refusing it",
                context: location.vaultURL.path)
        }
        try VaultCodec.authenticate(bytes: bytes, image: onDisk, dek: dek)
        for record in onDisk.records { _ = try payload(of: record) }
        image = onDisk
        return true
    }

    /// Decrypts a record's payload.
    func payload(of record: SealedRecord) throws -> RecordPayload {
        try RecordPayload.decode(VaultCodec.openRecord(record, dek: dek, vaultId: image.header.vaultId))
    }

    /// Re-encrypts `record`'s payload under new metadata (the AAD binds the metadata).
    func resealed(_ record: SealedRecord, metadata: RecordMetadata) throws -> SealedRecord {
        let plaintext = try VaultCodec.openRecord(record, dek: dek, vaultId: image.header.vaultId)
        return try VaultCodec.sealRecord(
            metadata: metadata, plaintext: plaintext, dek: dek, vaultId: image.header.vaultId)
    }

    /// Checks `passphrase` against this vault by unwrapping the DEK again (used by step-up).
    func checkPassphrase(_ passphrase: SecretBytes) throws {
        let kek = try image.header.kdf.deriveKEK(passphrase: passphrase, salt: image.header.salt)
        let again = try VaultCodec.unwrapDEK(image: image, kek: kek)
        guard again.constantTimeEquals(dek) else { throw VaultError(.wrongPassphrase, "wrong passphrase") }
    }
}
