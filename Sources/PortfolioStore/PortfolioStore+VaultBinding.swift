import Foundation
import SQLiteKit

/// The vault that protects this database's applies (DESIGN §9, "The step-up"), kept in `settings`
/// under `vault_env`.
extension PortfolioStore {
    /// The `settings` key of the binding.
    public static let vaultBindingKey = "vault_env"

    /// The environment (`dev`, `test`, `prod`) whose vault confirms applies on this database, or
    /// nil when none was recorded yet.
    public func vaultBinding() throws -> String? {
        try setting(Self.vaultBindingKey)
    }

    /// Records `env` as the protecting vault unless one is recorded already (the first binding
    /// stays); returns the binding in force.
    @discardableResult
    public func bindVault(env: String) throws -> String {
        try db.run(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", [Self.vaultBindingKey, env])
        return try vaultBinding() ?? env
    }
}
