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
        let code = VaultCommands.run(command: command, args: words, env: env)
        // A key change can raise or clear a key alert: evaluate on the database when there is one.
        if command == "keys", code == ExitCode.success,
            ["add", "rotate", "revoke", "suspend", "resume"].contains(words.first ?? ""),
            FileManager.default.fileExists(atPath: dbPath), let store = try? openStore()
        {
            evaluateAlerts(store)
        }
        return code
    }

    func fetchCommand(_ args: inout Args) throws -> Int32 {
        let provider = try args.option("--provider") ?? "coingecko"
        let base = try args.option("--base-url")
        let plan = try args.option("--plan") ?? "demo"
        var passArgs = args
        let source = try VaultBridge.passphraseOptions(&passArgs)
        args = passArgs
        try args.finish()
        guard ["coingecko", "tokenmetrics"].contains(provider) else {
            throw UsageError("--provider must be coingecko or tokenmetrics")
        }
        guard let cgPlan = CoinGeckoConfig.Plan(rawValue: plan) else { throw UsageError("--plan must be demo or pro") }
        var baseURL: URL?
        if let base {
            guard let u = URL(string: base), u.scheme == "http" || u.scheme == "https" else {
                throw UsageError("--base-url: '\(base)' is not an http(s) URL")
            }
            baseURL = u
        }
        let store = try openStore()
        let assets = try store.assets()
        let keyID = "\(provider)/\(env)/read"
        let vault: UnlockedVault
        do {
            guard VaultLocation.standard(env: env).vaultExists else {
                throw Failure(
                    "no vault for env '\(env)': add the \(provider) key with `indextop keys add --provider \(provider) --scope read`"
                )
            }
            vault = try UnlockedVault.unlock(env: env, passphrase: source)
        } catch let e as VaultError {
            throw Failure(e.description)
        }
        let secret: SecretBytes
        do {
            secret = try vault.secret(for: keyID, actor: "fetch")
        } catch let e as VaultError {
            throw Failure(e.description)
        }
        let key: KeyProvider = { secret.unsafeStringCopy() }
        let sink = try StoreSink(path: dbPath)
        let log = FeedLog(url: FeedLog.defaultURL())
        let feed: any Feed
        if provider == "coingecko" {
            feed = CoinGeckoClient(
                config: CoinGeckoConfig(plan: cgPlan, baseURL: baseURL), assets: assets, key: key, sink: sink, log: log)
        } else {
            feed = TokenMetricsClient(
                config: baseURL.map { TokenMetricsConfig(baseURL: $0) } ?? TokenMetricsConfig(),
                symbols: Set(assets.map(\.symbol)), key: key, sink: sink,
                log: log)
        }
        do {
            let report = try feed.pollWithRetry(log: log)
            try? vault.markUsed(keyId: keyID)
            evaluateAlerts(
                store, feeds: [AlertInputs.Feed(name: provider, staleAfter: 0, lastPriceTime: report.lastTime)])
            if json {
                Output.json([
                    "provider": provider, "stored": report.stored, "prices": report.points.count,
                    "signals": report.signals.count, "rejected": report.rejected, "requests": report.requests,
                    "time": Output.time(report.lastTime),
                ])
            } else {
                Output.line(
                    "\(provider): stored \(report.points.count) prices, \(report.signals.count) signals in \(report.requests) request(s)"
                )
                for p in report.points.sorted(by: { $0.symbol < $1.symbol }) {
                    Output.line("  \(p.symbol) \(Output.price(p.price)) at \(UTCCalendar.iso(p.time))")
                }
                for r in report.rejected { Output.line("  rejected: \(r)") }
            }
            return ExitCode.success
        } catch let e as FeedError {
            if case .keyRejected = e.kind { try? vault.markRejected(keyId: keyID) }
            var stopped: String?
            switch e.kind {
            case .keyRejected, .configuration: stopped = e.message
            default: break
            }
            evaluateAlerts(
                store,
                feeds: stopped.map {
                    [AlertInputs.Feed(name: provider, staleAfter: 0, lastPriceTime: nil, stoppedError: $0)]
                })
            throw Failure("\(provider): \(e)")
        }
    }
}
