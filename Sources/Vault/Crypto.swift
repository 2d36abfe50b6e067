import COpenSSL
import Foundation

/// Thin wrappers over libcrypto for every primitive the vault uses. Nothing here implements
/// cryptography itself: each function forwards to OpenSSL and checks its return code.
public enum Crypto {
    /// AES-256-GCM nonce length in bytes.
    public static let nonceLength = 12
    /// AES-256-GCM tag length in bytes.
    public static let tagLength = 16
    /// AES-256 key length in bytes.
    public static let keyLength = 32

    /// `count` bytes from `RAND_bytes`; throws when the CSPRNG fails.
    public static func randomBytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        guard RAND_bytes(&out, Int32(count)) == 1 else {
            throw VaultError(.crypto, "RAND_bytes failed", context: #function)
        }
        return out
    }

    /// A new random secret of `count` bytes (a DEK).
    public static func randomSecret(_ count: Int) throws -> SecretBytes {
        try SecretBytes(count: count) { buffer in
            guard RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(count)) == 1 else {
                throw VaultError(.crypto, "RAND_bytes failed", context: #function)
            }
        }
    }

    /// scrypt (RFC 7914) through `EVP_PBE_scrypt`, with `maxmem` sized for the parameters.
    /// - Parameters: `n` the cost (a power of two), `r` the block size, `p` the parallelism.
    public static func scrypt(
        password: SecretBytes, salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int
    ) throws -> SecretBytes {
        // EVP_PBE_scrypt needs 128·r·(N+2) bytes for V plus 128·r·p for B; give it a margin.
        let maxmem = 128 &* r &* (n &+ 2) &+ 128 &* r &* p &+ (1 << 20)
        return try SecretBytes(count: length) { out in
            let ok = password.withUnsafeBytes { pass in
                EVP_PBE_scrypt(
                    pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count, salt, salt.count,
                    n, r, p, maxmem, out.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
            }
            guard ok == 1 else { throw VaultError(.crypto, "scrypt failed", context: #function) }
        }
    }

    /// PBKDF2-HMAC-SHA256 through `EVP_KDF` "PBKDF2", for any iteration count from 1 to `UInt32.max`.
    public static func pbkdf2SHA256(
        password: SecretBytes, salt: [UInt8], iterations: UInt32, length: Int
    ) throws -> SecretBytes {
        guard iterations >= 1 else {
            throw VaultError(.crypto, "PBKDF2 iteration count out of range", context: #function)
        }
        return try SecretBytes(count: length) { out in
            let ok = password.withUnsafeBytes { pass in
                copenssl_pbkdf2_sha256(
                    pass.baseAddress?.assumingMemoryBound(to: UInt8.self), pass.count, salt, salt.count,
                    UInt64(iterations), out.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
            }
            guard ok == 1 else { throw VaultError(.crypto, "PBKDF2 failed", context: #function) }
        }
    }

    /// HKDF-SHA256 (RFC 5869) through `EVP_KDF` "HKDF".
    public static func hkdfSHA256(key: SecretBytes, salt: [UInt8], info: String, length: Int = 32) throws
        -> SecretBytes
    {
        try hkdfSHA256(key: key, salt: salt, infoBytes: Array(info.utf8), length: length)
    }

    /// HKDF-SHA256 with binary `info`.
    public static func hkdfSHA256(key: SecretBytes, salt: [UInt8], infoBytes: [UInt8], length: Int = 32) throws
        -> SecretBytes
    {
        return try SecretBytes(count: length) { out in
            let ok = key.withUnsafeBytes { ikm in
                copenssl_hkdf_sha256(
                    ikm.baseAddress?.assumingMemoryBound(to: UInt8.self), ikm.count, salt, salt.count, infoBytes,
                    infoBytes.count, out.baseAddress!.assumingMemoryBound(to: UInt8.self), length)
            }
            guard ok == 1 else { throw VaultError(.crypto, "HKDF failed", context: #function) }
        }
    }

    /// HMAC-SHA256 of `data` under `key` (32 bytes out).
    public static func hmacSHA256(key: SecretBytes, data: UnsafeRawBufferPointer) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var outLength: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            HMAC(
                EVP_sha256(), k.baseAddress, Int32(k.count), data.baseAddress?.assumingMemoryBound(to: UInt8.self),
                data.count, &out, &outLength)
        }
        guard result != nil, outLength == 32 else {
            throw VaultError(.crypto, "HMAC-SHA256 failed", context: #function)
        }
        return out
    }

    /// HMAC-SHA256 of a byte array.
    public static func hmacSHA256(key: SecretBytes, bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try hmacSHA256(key: key, data: $0) }
    }

    /// Constant-time comparison (`CRYPTO_memcmp`); false when the lengths differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }

    /// Overwrites `bytes` with zeros through `OPENSSL_cleanse`.
    public static func cleanse(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
    }

    /// AES-256-GCM encryption; returns `ciphertext ‖ tag` (plaintext length + 16 bytes).
    public static func sealAESGCM(key: SecretBytes, nonce: [UInt8], plaintext: UnsafeRawBufferPointer, aad: [UInt8])
        throws -> [UInt8]
    {
        guard key.count == keyLength, nonce.count == nonceLength else {
            throw VaultError(.crypto, "AES-256-GCM needs a 32-byte key and a 12-byte nonce", context: #function)
        }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw VaultError(.crypto, "EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        var length: Int32 = 0
        var ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1
        ok = ok && EVP_CIPHER_CTX_ctrl(ctx, copenssl_ctrl_gcm_set_ivlen(), Int32(nonceLength), nil) == 1
        ok =
            ok
            && key.withUnsafeBytes { k in
                EVP_EncryptInit_ex(ctx, nil, nil, k.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce) == 1
            }
        if ok && !aad.isEmpty { ok = EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 }
        var written = 0
        if ok && plaintext.count > 0 {
            ok =
                out.withUnsafeMutableBufferPointer { o in
                    EVP_EncryptUpdate(
                        ctx, o.baseAddress, &length, plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        Int32(plaintext.count))
                } == 1
            written = Int(length)
        }
        if ok {
            ok =
                out.withUnsafeMutableBufferPointer { o in EVP_EncryptFinal_ex(ctx, o.baseAddress! + written, &length) }
                == 1
            written += Int(length)
        }
        if ok {
            ok =
                out.withUnsafeMutableBufferPointer { o in
                    EVP_CIPHER_CTX_ctrl(ctx, copenssl_ctrl_gcm_get_tag(), Int32(tagLength), o.baseAddress! + written)
                } == 1
        }
        guard ok, written == plaintext.count else {
            cleanse(&out)
            throw VaultError(.crypto, "AES-256-GCM encryption failed", context: #function)
        }
        return out
    }

    /// AES-256-GCM decryption of `ciphertext ‖ tag` into a secret buffer; throws `.tampered` when
    /// the tag does not verify (wrong key, changed ciphertext, nonce or AAD).
    public static func openAESGCM(key: SecretBytes, nonce: [UInt8], sealed: [UInt8], aad: [UInt8]) throws
        -> SecretBytes
    {
        guard key.count == keyLength, nonce.count == nonceLength, sealed.count >= tagLength else {
            throw VaultError(.crypto, "AES-256-GCM input has the wrong size", context: #function)
        }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw VaultError(.crypto, "EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let ctLength = sealed.count - tagLength
        var tag = Array(sealed[ctLength...])
        return try SecretBytes(count: ctLength) { out in
            var length: Int32 = 0
            var ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1
            ok = ok && EVP_CIPHER_CTX_ctrl(ctx, copenssl_ctrl_gcm_set_ivlen(), Int32(nonceLength), nil) == 1
            ok =
                ok
                && key.withUnsafeBytes { k in
                    EVP_DecryptInit_ex(ctx, nil, nil, k.baseAddress?.assumingMemoryBound(to: UInt8.self), nonce) == 1
                }
            if ok && !aad.isEmpty { ok = EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 }
            let outBase = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var written = 0
            if ok && ctLength > 0 {
                ok = EVP_DecryptUpdate(ctx, outBase, &length, sealed, Int32(ctLength)) == 1
                written = Int(length)
            }
            ok = ok && EVP_CIPHER_CTX_ctrl(ctx, copenssl_ctrl_gcm_set_tag(), Int32(tagLength), &tag) == 1
            guard ok else { throw VaultError(.crypto, "AES-256-GCM decryption failed", context: #function) }
            guard EVP_DecryptFinal_ex(ctx, outBase + written, &length) == 1 else {
                throw VaultError(.tampered, "authentication tag mismatch", context: #function)
            }
        }
    }

    /// Seals a byte array (convenience over the buffer form).
    public static func sealAESGCM(key: SecretBytes, nonce: [UInt8], plaintext: [UInt8], aad: [UInt8]) throws
        -> [UInt8]
    {
        try plaintext.withUnsafeBytes { try sealAESGCM(key: key, nonce: nonce, plaintext: $0, aad: aad) }
    }
}
