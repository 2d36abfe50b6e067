import Foundation

/// The key-derivation function and its parameters as stored in an IDXV1 header (`kdf`, `p1`, `p2`, `p3`).
public struct KDFParameters: Equatable, Sendable {
    /// IDXV1 `kdf` byte values.
    public enum Algorithm: UInt8, Sendable {
        /// scrypt: p1 = log2 N, p2 = r, p3 = p.
        case scrypt = 1
        /// PBKDF2-HMAC-SHA256: p1 = iterations, p2 = p3 = 0.
        case pbkdf2 = 2
    }

    /// Which KDF.
    public let algorithm: Algorithm
    /// log2 N for scrypt, the iteration count for PBKDF2.
    public let p1: UInt32
    /// r for scrypt, 0 for PBKDF2.
    public let p2: UInt32
    /// p for scrypt, 0 for PBKDF2.
    public let p3: UInt32

    /// Creates parameters without validating them (see `validate()`).
    public init(algorithm: Algorithm, p1: UInt32, p2: UInt32, p3: UInt32) {
        self.algorithm = algorithm
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
    }

    /// The default for new vaults: scrypt N = 2^17, r = 8, p = 1.
    public static let defaultScrypt = KDFParameters(algorithm: .scrypt, p1: 17, p2: 8, p3: 1)
    /// PBKDF2-HMAC-SHA256 with 600 000 iterations (the minimum accepted).
    public static let defaultPBKDF2 = KDFParameters(algorithm: .pbkdf2, p1: 600_000, p2: 0, p3: 0)

    /// The parameters for a new vault: PBKDF2 when `INDEXTOP_VAULT_KDF=pbkdf2`, else scrypt.
    public static func forNewVault(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> KDFParameters
    {
        environment["INDEXTOP_VAULT_KDF"]?.lowercased() == "pbkdf2" ? defaultPBKDF2 : defaultScrypt
    }

    /// The most PBKDF2 iterations accepted (DESIGN §9): about 10 s per unlock on a slow machine.
    public static let maxPBKDF2Iterations: UInt32 = 10_000_000
    /// The most scrypt memory accepted, 128 × N × r × p bytes (DESIGN §9): 1 GiB.
    public static let maxScryptMemory: UInt64 = 1 << 30

    /// The memory scrypt needs, 128 × N × r × p bytes (nil for PBKDF2, or parameters so large
    /// that the product would not fit: log2 N above 32, r or p above 4096).
    public var scryptMemory: UInt64? {
        guard algorithm == .scrypt, p1 <= 32, p2 <= 4096, p3 <= 4096 else { return nil }
        return (UInt64(128) << UInt64(p1)) * UInt64(p2) * UInt64(p3)
    }

    /// Throws `.format` unless the parameters are inside the range DESIGN §9 accepts, checked
    /// before anything is derived so that a hostile header cannot make an unlock run for hours:
    /// scrypt log2 N 17–22, r = 8, p 1–4 and 128 × N × r × p at most 1 GiB; PBKDF2 600 000 to
    /// 10 000 000 iterations, p2 = p3 = 0.
    public func validate() throws {
        switch algorithm {
        case .scrypt:
            guard (17...22).contains(p1), p2 == 8, (1...4).contains(p3) else {
                throw VaultError(
                    .format, "scrypt parameters outside the accepted range (log2 N 17-22, r 8, p 1-4)",
                    context: "log2N=\(p1) r=\(p2) p=\(p3)")
            }
            guard let memory = scryptMemory, memory <= Self.maxScryptMemory else {
                throw VaultError(
                    .format, "scrypt would need more than 1 GiB of memory (128 x N x r x p); refused before deriving",
                    context: "log2N=\(p1) r=\(p2) p=\(p3)")
            }
        case .pbkdf2:
            guard p1 >= 600_000, p2 == 0, p3 == 0 else {
                throw VaultError(
                    .format, "PBKDF2 parameters outside the accepted range (at least 600000 iterations, p2 = p3 = 0)",
                    context: "iterations=\(p1) p2=\(p2) p3=\(p3)")
            }
            guard p1 <= Self.maxPBKDF2Iterations else {
                throw VaultError(
                    .format, "PBKDF2 iteration count above 10000000; refused before deriving",
                    context: "iterations=\(p1)")
            }
        }
    }

    /// Derives the 32-byte KEK from `passphrase` and `salt`; validates the parameters first.
    public func deriveKEK(passphrase: SecretBytes, salt: [UInt8]) throws -> SecretBytes {
        try validate()
        switch algorithm {
        case .scrypt:
            return try Crypto.scrypt(
                password: passphrase, salt: salt, n: UInt64(1) << UInt64(p1), r: UInt64(p2), p: UInt64(p3),
                length: 32)
        case .pbkdf2:
            return try Crypto.pbkdf2SHA256(password: passphrase, salt: salt, iterations: p1, length: 32)
        }
    }
}
