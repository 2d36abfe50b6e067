import Foundation

/// The authenticated layer of IDXV1: key wrap, file MAC and record encryption (DESIGN §9).
enum VaultCodec {
    static let recordAADPrefix = Array("IDXV1/record".utf8)
    static let fileMACInfo = "IDXV1/file-mac"
    static let auditInfo = "IDXV1/audit"
    static let fingerprintInfo = "IDXV1/fingerprint"

    /// `"IDXV1/record" | vault_id | record metadata`.
    static func recordAAD(vaultId: [UInt8], metadata: RecordMetadata) -> [UInt8] {
        recordAADPrefix + vaultId + metadata.encoded()
    }

    /// Unwraps the DEK with the KEK; a tag failure means a wrong passphrase (or a changed header).
    static func unwrapDEK(image: VaultImage, kek: SecretBytes) throws -> SecretBytes {
        do {
            let dek = try Crypto.openAESGCM(
                key: kek, nonce: image.wrapNonce, sealed: image.wrappedDEK, aad: image.header.encoded())
            guard dek.count == Crypto.keyLength else { throw VaultError(.format, "wrapped DEK has the wrong size") }
            return dek
        } catch let error as VaultError where error.code == .tampered {
            throw VaultError(.wrongPassphrase, "wrong passphrase (or the vault header was altered)")
        }
    }

    /// HMAC-SHA256 under HKDF(DEK, vault_id, "IDXV1/file-mac") over `body`.
    static func fileMAC(body: UnsafeRawBufferPointer, dek: SecretBytes, vaultId: [UInt8]) throws -> [UInt8] {
        let key = try Crypto.hkdfSHA256(key: dek, salt: vaultId, info: fileMACInfo)
        return try Crypto.hmacSHA256(key: key, data: body)
    }

    /// Checks the file MAC over the raw bytes and every record's AEAD tag. Throws `.tampered`.
    static func authenticate(bytes: [UInt8], image: VaultImage, dek: SecretBytes) throws {
        let expected = try bytes.withUnsafeBytes { raw in
            try fileMAC(
                body: UnsafeRawBufferPointer(rebasing: raw[0..<(bytes.count - IDXV1.macLength)]), dek: dek,
                vaultId: image.header.vaultId)
        }
        guard Crypto.constantTimeEqual(expected, image.mac) else {
            throw VaultError(.tampered, "vault file MAC does not verify: the file was modified")
        }
        for (index, record) in image.records.enumerated() {
            do {
                _ = try openRecord(record, dek: dek, vaultId: image.header.vaultId)
            } catch let error as VaultError where error.code == .tampered {
                throw VaultError(.tampered, "record tag does not verify", context: "record \(index)")
            }
        }
    }

    /// Parses, derives the KEK through `deriveKEK` (only after every bound was checked), unwraps
    /// the DEK and authenticates the whole file. Returns the image and the DEK.
    static func open(bytes: [UInt8], deriveKEK: (KDFParameters, [UInt8]) throws -> SecretBytes) throws
        -> (VaultImage, SecretBytes)
    {
        let image = try IDXV1.parse(bytes)
        let kek = try deriveKEK(image.header.kdf, image.header.salt)
        let dek = try unwrapDEK(image: image, kek: kek)
        try authenticate(bytes: bytes, image: image, dek: dek)
        return (image, dek)
    }

    /// Encodes `image` with a fresh file MAC (the stored `mac` is ignored).
    static func serialize(_ image: VaultImage, dek: SecretBytes) throws -> [UInt8] {
        let body = image.encodedBody()
        let mac = try body.withUnsafeBytes { try fileMAC(body: $0, dek: dek, vaultId: image.header.vaultId) }
        return body + mac
    }

    /// Encrypts `plaintext` as a record with a fresh random nonce.
    static func sealRecord(metadata: RecordMetadata, plaintext: SecretBytes, dek: SecretBytes, vaultId: [UInt8])
        throws -> SealedRecord
    {
        let nonce = try Crypto.randomBytes(Crypto.nonceLength)
        let sealed = try plaintext.withUnsafeBytes {
            try Crypto.sealAESGCM(
                key: dek, nonce: nonce, plaintext: $0, aad: recordAAD(vaultId: vaultId, metadata: metadata))
        }
        return SealedRecord(metadata: metadata, nonce: nonce, sealed: sealed)
    }

    /// Decrypts a record's plaintext JSON; throws `.tampered` when its tag does not verify.
    static func openRecord(_ record: SealedRecord, dek: SecretBytes, vaultId: [UInt8]) throws -> SecretBytes {
        try Crypto.openAESGCM(
            key: dek, nonce: record.nonce, sealed: record.sealed,
            aad: recordAAD(vaultId: vaultId, metadata: record.metadata))
    }

    /// A new, empty vault image and its DEK, the DEK wrapped under a KEK derived from `passphrase`.
    static func newImage(kdf: KDFParameters, passphrase: SecretBytes) throws -> (VaultImage, SecretBytes) {
        let salt = try Crypto.randomBytes(16)
        let header = VaultHeader(kdf: kdf, salt: salt, vaultId: try Crypto.randomBytes(IDXV1.vaultIdLength))
        let kek = try kdf.deriveKEK(passphrase: passphrase, salt: salt)
        let dek = try Crypto.randomSecret(Crypto.keyLength)
        let nonce = try Crypto.randomBytes(Crypto.nonceLength)
        let wrapped = try dek.withUnsafeBytes {
            try Crypto.sealAESGCM(key: kek, nonce: nonce, plaintext: $0, aad: header.encoded())
        }
        let image = VaultImage(
            header: header, wrapNonce: nonce, wrappedDEK: wrapped, generation: 0, records: [], mac: [])
        return (image, dek)
    }
}
