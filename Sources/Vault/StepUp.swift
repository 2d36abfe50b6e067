import Foundation

/// The step-up for critical actions (applying a rebalance, using a trade key).
///
/// The step-up protects a database, not an environment name (DESIGN §9): the database records
/// which environment's vault protects its applies (the caller keeps that binding in the
/// database's settings), and an apply under any `--env` asks that vault's passphrase.
public enum StepUp {
    /// The environments a vault may exist for.
    public static let environments = ["dev", "test", "prod"]

    /// The environment whose vault must confirm an apply on a database.
    ///
    /// - `bound`: the environment the database recorded; it is used whatever `current` is (even
    ///   when that vault file is missing: its unlock then fails, and the apply with it).
    /// - Unbound: `current` when it has a vault; else the one environment that has a vault.
    /// - Nil when unbound and no environment has a vault (nothing to confirm against).
    ///
    /// Throws `.invalid` when unbound, `current` has no vault and several others do (which one
    /// protects the database cannot be guessed).
    public static func protectingEnvironment(
        bound: String?, current: String, vaultExists: (String) -> Bool = { VaultLocation.standard(env: $0).vaultExists }
    ) throws -> String? {
        if let bound, !bound.isEmpty { return bound }
        if vaultExists(current) { return current }
        let others = environments.filter { $0 != current && vaultExists($0) }
        guard others.count <= 1 else {
            throw VaultError(
                .invalid,
                "this database is not yet bound to a vault and vaults exist for \(others.joined(separator: " and ")); run the apply with --env set to the one that protects it"
            )
        }
        return others.first
    }

    /// Returns false when `env` has no vault (nothing to confirm against). Otherwise unlocks the
    /// vault with a fresh read of `source` (a wrong passphrase throws `.wrongPassphrase` and is
    /// audited as a failed unlock) and appends an audit entry `action` with `detail`, then returns true.
    public static func confirm(env: String, action: String, detail: [String: String], source: PassphraseSource)
        throws -> Bool
    {
        try confirm(location: .standard(env: env), action: action, detail: detail, source: source)
    }

    /// `confirm` for an explicit location.
    public static func confirm(
        location: VaultLocation, action: String, detail: [String: String], source: PassphraseSource,
        actor: String = "cli"
    ) throws -> Bool {
        guard location.vaultExists else { return false }
        let vault = try UnlockedVault.unlock(location: location, passphrase: source, actor: actor)
        try vault.audit(action: action, keyId: detail["key_id"], result: "ok", detail: detail)
        return true
    }
}
