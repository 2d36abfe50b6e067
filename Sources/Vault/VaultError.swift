import Foundation

/// An error raised by the vault, the audit log, passphrase reading or the crypto layer.
///
/// The message and context never contain a secret, a passphrase or decrypted bytes.
public struct VaultError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The broad class of failure, stable for callers that branch on it.
    public enum Code: String, Sendable {
        /// A libcrypto call failed.
        case crypto
        /// The file is not a well-formed IDXV1 file (structure, bounds, truncation).
        case format
        /// Authentication failed: wrong passphrase or a tampered key wrap.
        case wrongPassphrase
        /// The file or a record failed its MAC or AEAD tag.
        case tampered
        /// File permissions or ownership are unsafe.
        case permissions
        /// A system call failed.
        case io
        /// No vault exists for the environment.
        case noVault
        /// The key does not exist.
        case unknownKey
        /// The key exists but may not be used (expired, suspended, compromised, deactivated).
        case keyUnusable
        /// The caller asked for something invalid (bad scope, empty secret, duplicate key).
        case invalid
        /// No passphrase could be read.
        case passphrase
        /// Another process changed the vault while this one held it unlocked.
        case conflict
        /// The audit log is malformed or its chain is broken.
        case audit
        /// The vault file is older than the generation the audit chain last recorded (a restored
        /// copy); `keys accept-restore` accepts it deliberately.
        case rollback
    }

    /// The class of failure.
    public let code: Code
    /// A human-readable message, one line, free of secrets.
    public let message: String
    /// Where it happened: a path, a record index or a function name.
    public let context: String

    /// Creates an error; `message` and `context` must not contain secrets.
    public init(_ code: Code, _ message: String, context: String = "") {
        self.code = code
        self.message = message
        self.context = context
    }

    /// The message followed by its context, one line.
    public var description: String {
        context.isEmpty ? message : "\(message) (\(context))"
    }
}
