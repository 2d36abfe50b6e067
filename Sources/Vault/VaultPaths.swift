import Foundation
import IndexCore

/// Where vaults and audit logs live: the data folder of ``AppPaths`` (`$XDG_DATA_HOME/indextop`).
public enum VaultPaths {
    /// The data folder (not created by this call).
    public static func dataDirectory() -> URL {
        let paths = AppPaths(environment: ProcessInfo.processInfo.environment, fallbackHome: NSHomeDirectory())
        return URL(fileURLWithPath: paths.dataDirectory, isDirectory: true)
    }

    /// `vault-<env>.idxv` in the data folder.
    public static func vaultURL(env: String) -> URL {
        dataDirectory().appendingPathComponent("vault-\(env).idxv")
    }

    /// `audit-<env>.jsonl` next to the vault.
    public static func auditURL(env: String) -> URL {
        dataDirectory().appendingPathComponent("audit-\(env).jsonl")
    }
}

/// The files of one environment's vault. `standard(env:)` is what the app uses; tests point it at a temp folder.
public struct VaultLocation: Sendable, Equatable {
    /// The environment name (`dev`, `test`, `prod`).
    public let env: String
    /// The IDXV1 file.
    public let vaultURL: URL
    /// The audit JSONL file.
    public let auditURL: URL

    /// A location with explicit files.
    public init(env: String, vaultURL: URL, auditURL: URL) {
        self.env = env
        self.vaultURL = vaultURL
        self.auditURL = auditURL
    }

    /// The files of `env` inside `directory`, named as in `VaultPaths`.
    public init(env: String, directory: URL) {
        self.init(
            env: env, vaultURL: directory.appendingPathComponent("vault-\(env).idxv"),
            auditURL: directory.appendingPathComponent("audit-\(env).jsonl"))
    }

    /// The standard location of `env` (see `VaultPaths`).
    public static func standard(env: String) -> VaultLocation {
        VaultLocation(env: env, vaultURL: VaultPaths.vaultURL(env: env), auditURL: VaultPaths.auditURL(env: env))
    }

    /// The lock file serialising writers: `<vault>.lock`.
    var lockURL: URL { vaultURL.appendingPathExtension("lock") }

    /// Whether a vault file exists.
    public var vaultExists: Bool { FileManager.default.fileExists(atPath: vaultURL.path) }
}
