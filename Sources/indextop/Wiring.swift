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

    func fetchCommand(_ args: inout Args) throws -> Int32 {
        let provider = try args.option("--provider") ?? "coingecko"
        let base = try args.option("--base-url")
        let plan = try args.option("--plan") ?? "demo"
        let source = try VaultBridge.passphraseOptions(&args)
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
        let writer = try openWriter()
        let assets = try writer.perform { try $0.assets() }
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
        let lease: KeyLease
        do {
            lease = try vault.lease(keyId: keyID, actor: "fetch")
        } catch let e as VaultError {
            throw Failure(e.description)
        }
        let key: KeyProvider = { try lease.current().unsafeStringCopy() }
        let log = FeedLog(url: FeedLog.defaultURL())
        let sink = try StoreSink(writer: writer, log: log)
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
            lease.markUsed()
            _ = try? writer.perform { store in
                evaluateAlerts(
                    store, feeds: [AlertInputs.Feed(name: provider, staleAfter: 0, lastPriceTime: report.lastTime)])
            }
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
            if case .keyRejected = e.kind { lease.markRejected() }
            var stopped: String?
            switch e.kind {
            case .keyRejected, .configuration: stopped = e.message
            default: break
            }
            let feeds = stopped.map {
                [AlertInputs.Feed(name: provider, staleAfter: 0, lastPriceTime: nil, stoppedError: $0)]
            }
            _ = try? writer.perform { store in evaluateAlerts(store, feeds: feeds) }
            throw Failure("\(provider): \(e)")
        }
    }
}
