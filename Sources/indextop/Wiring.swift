import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore
import Vault

/// The vault as the CLI uses it: passphrase options, the step-up before critical actions, provider keys.
enum VaultBridge {
    /// Takes `--passphrase-fd N` / `--passphrase-file P` out of `args` (at most one of them); without
    /// either, `INDEXTOP_PASSPHRASE` when set, else the no-echo prompt.
    static func passphraseOptions(_ args: inout Args) throws -> PassphraseSource {
        let fd = try args.option("--passphrase-fd")
        let file = try args.option("--passphrase-file")
        switch (fd, file) {
        case (.some, .some): throw UsageError("give --passphrase-fd or --passphrase-file, not both")
        case (.some(let text), nil):
            guard let n = Int32(text), n >= 0 else {
                throw UsageError("--passphrase-fd needs a file descriptor number, not \(Args.quoted(text))")
            }
            return .fd(n)
        case (nil, .some(let path)): return .file(path)
        case (nil, nil):
            var none: [String] = []
            do { return try PassphraseSource.fromOptions(&none) } catch let e as VaultError {
                throw UsageError(e.description)
            }
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

    /// Audits every rebalance `store` applies from now on in the vault's chain (one entry each, after its
    /// commit; `by` names the path: `cli`, `auto`). Nothing when there is no vault.
    static func auditApplies(of store: PortfolioStore, in vault: UnlockedVault?, by: String) {
        guard let vault else { return }
        store.onApplied = { r in RebalanceAudit.record(r, in: vault, by: by) }
    }
}

extension CLI {
    func vaultCommand(_ command: String, _ args: inout Args) throws -> Int32 {
        var words = args.remaining
        if json { words.insert("--json", at: words.firstIndex(of: "--") ?? words.endIndex) }
        args = Args([])
        return VaultCommands.run(command: command, args: words, env: env)
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
        let secret: SecretBytes
        do {
            secret = try vault.secret(for: keyID, actor: "fetch")
        } catch let e as VaultError {
            throw Failure(e.description)
        }
        let key: KeyProvider = { secret.unsafeStringCopy() }
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
            try? vault.markUsed(keyId: keyID)
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
            throw Failure("\(provider): \(e)")
        }
    }
}
