import Foundation
import IndexCore
import MarketData
import PortfolioStore
import Vault

/// Connects the signal engine to a store.
enum SignalWiring {
    static func install(on store: PortfolioStore) { store.enableSignals() }
}

/// The vault as the CLI uses it: passphrase options, the step-up before critical actions, provider keys.
enum VaultBridge {
    /// Takes `--passphrase-fd N` / `--passphrase-file P` out of `args`.
    static func passphraseOptions(_ args: inout Args) throws -> PassphraseSource {
        var words = args.words
        do {
            let source = try PassphraseSource.fromOptions(&words)
            args = Args(words)
            return source
        } catch let e as VaultError {
            throw UsageError(e.description)
        }
    }

    /// When the environment has a vault, asks for its passphrase again (audited); returns the unlocked
    /// vault so the outcome can be audited too, or nil when there is no vault.
    static func stepUp(env: String, action: String, detail: [String: String], _ source: PassphraseSource) throws
        -> UnlockedVault?
    {
        guard VaultLocation.standard(env: env).vaultExists else { return nil }
        do {
            let vault = try UnlockedVault.unlock(env: env, passphrase: source)
            try vault.audit(action: action + ".confirm", keyId: nil, result: "ok", detail: detail)
            return vault
        } catch let e as VaultError {
            throw Failure("\(action) not confirmed: \(e.description)")
        }
    }

    /// Audits an applied rebalance in the vault's chain.
    static func auditApplied(_ vault: UnlockedVault?, _ r: RebalanceRecord) {
        guard let vault else { return }
        try? vault.audit(
            action: "rebalance.apply", keyId: nil, result: "ok",
            detail: [
                "index": r.indexSlug, "rebalance_id": String(r.id), "trigger": r.trigger,
                "trades": String(r.trades.count),
                "turnover": String(format: "%.6f", r.turnover), "nav_after": String(format: "%.2f", r.navAfter),
            ])
    }
}

extension CLI {
    func vaultCommand(_ command: String, _ args: inout Args) throws -> Int32 {
        let words = args.words + (json ? ["--json"] : [])
        args = Args([])
        return VaultCommands.run(command: command, args: words, env: env)
    }
}
