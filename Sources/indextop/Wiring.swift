import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore
import Vault

/// The vault as the CLI uses it: passphrase options, the step-up before critical actions, provider keys.
enum VaultBridge {
    /// Takes `--passphrase-fd N` / `--passphrase-file P` out of `args` (one of them at most); without
    /// them `INDEXTOP_PASSPHRASE` (captured and unset now) or the no-echo prompt.
    static func passphraseOptions(_ args: inout Args) throws -> PassphraseSource {
        let fd = try args.option("--passphrase-fd")
        let file = try args.option("--passphrase-file")
        if fd != nil && file != nil { throw UsageError("give --passphrase-fd or --passphrase-file, not both") }
        if let fd {
            guard let n = Int32(fd), n >= 0 else { throw UsageError("--passphrase-fd needs a file descriptor number") }
            return .fd(n)
        }
        if let file {
            guard !file.isEmpty else { throw UsageError("--passphrase-file needs a path") }
            return .file(file)
        }
        return PassphraseSource.fromEnvironment()
    }

    /// Asks the passphrase of the vault that protects `store`'s applies (DESIGN §9: the database's
    /// binding, whatever `--env` says; bound on first use) and audits the confirmation; returns the
    /// unlocked vault so the outcome can be audited too, or nil when no vault exists at all.
    static func stepUp(
        store: PortfolioStore, env: String, action: String, detail: [String: String], _ source: PassphraseSource
    ) throws -> UnlockedVault? {
        do {
            guard let protecting = try StepUp.protectingEnvironment(bound: store.vaultBinding(), current: env) else {
                return nil
            }
            let vault = try UnlockedVault.unlock(env: protecting, passphrase: source)
            try store.bindVault(env: protecting)
            var confirmed = detail
            confirmed["env"] = env
            try vault.audit(action: action + ".confirm", keyId: nil, result: "ok", detail: confirmed)
            return vault
        } catch let e as VaultError {
            throw Failure("\(action) not confirmed: \(e.description)")
        }
    }

    /// Audits every rebalance `store` applies from now on in the vault's chain (one entry each, after its
    /// commit; `by` names the path: `cli`, `auto`). Nothing when there is no vault.
    static func auditApplies(of store: PortfolioStore, in vault: UnlockedVault?, by: String) {
        guard let vault else { return }
        store.onApplied = { r in RebalanceAudit.record(r, in: vault, by: by) }
    }
}

extension CLI {
    func vaultCommand(_ command: String, _ args: inout Args) throws -> Int32 {
        let subcommand = args.unconsumed.first ?? ""
        let code = try VaultCommands.run(command: command, &args, cli: self)
        // A key change can raise or clear a key alert: evaluate on the database when there is one.
        if command == "keys", code == ExitCode.success,
            ["add", "rotate", "revoke", "suspend", "resume"].contains(subcommand),
            FileManager.default.fileExists(atPath: dbPath), let store = try? openStore()
        {
            evaluateAlerts(store)
        }
        return code
    }
}
