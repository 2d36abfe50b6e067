import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore
import Vault

/// A provider as a command uses it: its HTTP access (key from the vault when there is one) and
/// the vault to tell whether the key worked.
struct ProviderAccess {
    let provider: String
    let http: ProviderHTTP
    /// The key's lease (re-checked before every request), nil without a key.
    let lease: KeyLease?
    let coingecko: CoinGeckoConfig
    let binance: BinanceConfig
    let tokenMetrics: TokenMetricsConfig

    /// Records the outcome with the vault: a 401/403 marks the key rejected, success marks it used.
    func record(_ error: (any Error)?) {
        guard let lease else { return }
        if let e = error as? FeedError {
            if case .keyRejected = e.kind { lease.markRejected() }
        } else if error == nil {
            lease.markUsed()
        }
    }

    var coingeckoAPI: CoinGeckoAPI { CoinGeckoAPI(config: coingecko, http: http) }
}

/// Options every provider command shares: `--provider`, `--plan`, `--base-url`, `--rate`.
struct ProviderOptions {
    var provider: String
    var plan: CoinGeckoConfig.Plan
    var baseURL: URL?
    var rate: Double?
    var passphrase: PassphraseSource

    static func take(_ args: inout Args, defaultProvider: String, allowed: [String]) throws -> ProviderOptions {
        let provider = try args.option("--provider") ?? defaultProvider
        let base = try args.option("--base-url")
        let planText = try args.option("--plan") ?? "demo"
        let rate = try args.number("--rate")
        let passphrase = try VaultBridge.passphraseOptions(&args)
        guard allowed.contains(provider) else {
            throw UsageError("--provider must be \(allowed.joined(separator: " or ")), not '\(provider)'")
        }
        guard let plan = CoinGeckoConfig.Plan(rawValue: planText) else {
            throw UsageError("--plan must be demo or pro")
        }
        if let rate, !(rate > 0) { throw UsageError("--rate must be a positive number of requests a minute") }
        var baseURL: URL?
        if let base {
            guard let u = URL(string: base), u.scheme == "http" || u.scheme == "https", u.host != nil else {
                throw UsageError("--base-url: '\(base.prefix(80))' is not an http(s) URL")
            }
            baseURL = u
        }
        return ProviderOptions(provider: provider, plan: plan, baseURL: baseURL, rate: rate, passphrase: passphrase)
    }
}

extension CLI {
    /// Opens `options.provider`: its key from the vault (`<provider>/<env>/read`) when the vault
    /// has one; CoinGecko falls back to its keyless public API, Binance needs none, Token
    /// Metrics requires one. `maxWaits` > 0 makes requests keep to the plan's rate limit and
    /// wait out `Retry-After` (announced through `reporter`).
    func openProvider(_ options: ProviderOptions, maxWaits: Int, reporter: ProgressReporter) throws -> ProviderAccess {
        let provider = options.provider
        let notice: @Sendable (String) -> Void = { reporter.note("indextop: " + $0) }
        let log = FeedLog(url: FeedLog.defaultURL())
        var coingecko = CoinGeckoConfig(plan: options.plan, baseURL: options.baseURL, perMinute: options.rate)
        coingecko.timeout = 30
        var binance = BinanceConfig(baseURL: options.baseURL)
        if let rate = options.rate { binance.perMinute = rate }
        let tokenMetrics = options.baseURL.map { TokenMetricsConfig(baseURL: $0) } ?? TokenMetricsConfig()
        var lease: KeyLease?
        var key: KeyProvider?
        if provider != "binance" {
            let id = "\(provider)/\(env)/read"
            let hasVault = VaultLocation.standard(env: env).vaultExists
            if hasVault {
                do {
                    let v = try UnlockedVault.unlock(env: env, passphrase: options.passphrase)
                    do {
                        // Re-checked before every request: a revoke, suspend or expiry elsewhere stops at once.
                        let leased = try v.lease(keyId: id, actor: "fetch")
                        key = { try leased.current().unsafeStringCopy() }
                        lease = leased
                    } catch let e as VaultError where e.code == .unknownKey && provider == "coingecko" {
                        key = nil
                    }
                } catch let e as VaultError {
                    throw Failure(e.description)
                }
            }
            if key == nil {
                guard provider == "coingecko" else {
                    throw Failure(
                        "\(provider): no key \(id)\(hasVault ? "" : " (no vault for env '\(env)')"): add it with "
                            + "`indextop keys add --provider \(provider) --scope read`")
                }
                notice("coingecko: no key \(id) in the vault: using the keyless public API (lower rate limits)")
            }
        }
        let http: ProviderHTTP
        switch provider {
        case "binance": http = binance.http(maxWaits: maxWaits, log: log, notice: notice)
        case "tokenmetrics":
            http = ProviderHTTP(
                name: "tokenmetrics", keyHeader: "x-api-key", key: key, timeout: tokenMetrics.timeout, log: log,
                notice: notice)
        default: http = coingecko.http(key: key, maxWaits: maxWaits, log: log, notice: notice)
        }
        return ProviderAccess(
            provider: provider, http: http, lease: lease, coingecko: coingecko, binance: binance,
            tokenMetrics: tokenMetrics)
    }

    func fetchCommand(_ args: inout Args) throws -> Int32 {
        let history = try args.int("--history")
        let options = try ProviderOptions.take(
            &args, defaultProvider: "coingecko",
            allowed: history == nil ? ["coingecko", "binance", "tokenmetrics"] : ["coingecko", "binance"])
        if let history {
            var symbols: [String] = []
            while let word = args.optionalPositional() { symbols.append(word.uppercased()) }
            try args.finish()
            guard history > 0, history <= 10_000 else { throw UsageError("--history must be 1 to 10000 days") }
            return try backfill(options, days: history, symbols: symbols)
        }
        try args.finish()
        return try pollOnce(options)
    }

    /// `fetch --history DAYS [SYMBOL...]`: backfills the days not yet stored; exit 1 when an asset
    /// was not returned (named on stderr with a hint), after storing the others.
    func backfill(_ options: ProviderOptions, days: Int, symbols: [String]) throws -> Int32 {
        let store = try openStore()
        let all = try store.assets()
        var chosen = all
        if !symbols.isEmpty {
            let known = Set(all.map(\.symbol))
            if let unknown = symbols.first(where: { !known.contains($0) }) {
                throw Failure("fetch: no asset \(unknown) (add it with `indextop assets add`)")
            }
            chosen = all.filter { symbols.contains($0.symbol) }
        }
        let reporter = ProgressReporter()
        let access = try openProvider(options, maxWaits: 5, reporter: reporter)
        let report = try runBackfill(access, assets: chosen, days: days, store: store, reporter: reporter)
        if json {
            Output.json([
                "provider": access.provider, "days": days, "stored": report.stored, "fetched": report.fetched,
                "skipped": report.skipped,
                "missing": report.missing.map { ["symbol": $0.symbol, "reason": $0.reason] },
            ])
        } else {
            Output.line(
                "\(access.provider): stored \(report.stored) daily prices for \(report.fetched.count) asset(s); "
                    + "\(report.skipped.count) already covered")
        }
        return report.missing.isEmpty ? ExitCode.success : ExitCode.failure
    }

    /// Runs a backfill with `access` and reports missing assets on stderr.
    func runBackfill(
        _ access: ProviderAccess, assets: [Asset], days: Int, store: PortfolioStore, reporter: ProgressReporter
    ) throws -> BackfillReport {
        let source: any HistorySource =
            access.provider == "binance"
            ? BinanceClient(config: access.binance, assets: assets, sink: nil, http: access.http)
            : CoinGeckoHistory(api: access.coingeckoAPI)
        if access.provider == "coingecko", access.coingecko.plan == .demo, days > CoinGeckoAPI.demoMaxDays {
            reporter.note(
                "indextop: coingecko: the demo plan serves \(CoinGeckoAPI.demoMaxDays) days; asking for those")
        }
        do {
            let report = try HistoryBackfill(source: source, reporter: reporter).run(
                assets, days: days, store: store, now: store.clock())
            access.record(nil)
            for m in report.missing {
                reporter.note(
                    "indextop: \(access.provider): \(m.symbol): not returned (\(m.reason)); \(source.missingHint)")
            }
            return report
        } catch let e as FeedError {
            access.record(e)
            throw Failure(e.description)
        }
    }

    /// `fetch [--provider coingecko|binance|tokenmetrics]`: one poll, then exit.
    func pollOnce(_ options: ProviderOptions) throws -> Int32 {
        let writer = try openWriter()
        let (assets, tokenMetricsIds) = try writer.perform { (try $0.assets(), try $0.tokenMetricsIds()) }
        let reporter = ProgressReporter()
        let access = try openProvider(options, maxWaits: 0, reporter: reporter)
        let log = FeedLog(url: FeedLog.defaultURL())
        let sink = try StoreSink(writer: writer, log: log)
        let feed: any Feed
        switch access.provider {
        case "binance":
            feed = BinanceClient(config: access.binance, assets: assets, sink: sink, log: log, http: access.http)
        case "tokenmetrics":
            feed = TokenMetricsClient(
                config: access.tokenMetrics, symbols: Set(assets.map(\.symbol)),
                tokenMetricsIds: tokenMetricsIds, key: { "" }, sink: sink, log: log, http: access.http)
        default:
            feed = CoinGeckoClient(
                config: access.coingecko, assets: assets, key: nil, sink: sink, log: log, http: access.http)
        }
        do {
            let report = try feed.pollWithRetry(log: log)
            access.record(nil)
            _ = try? writer.perform { store in
                evaluateAlerts(
                    store,
                    feeds: [AlertInputs.Feed(name: access.provider, staleAfter: 0, lastPriceTime: report.lastTime)])
            }
            if json {
                Output.json([
                    "provider": access.provider, "stored": report.stored, "prices": report.points.count,
                    "signals": report.signals.count, "rejected": report.rejected, "requests": report.requests,
                    "time": Output.time(report.lastTime),
                ])
            } else {
                Output.line(
                    "\(access.provider): stored \(report.points.count) prices, \(report.signals.count) signals in \(report.requests) request(s)"
                )
                for p in report.points.sorted(by: { $0.symbol < $1.symbol }) {
                    Output.line("  \(p.symbol) \(Output.price(p.price)) at \(UTCCalendar.iso(p.time))")
                }
                for r in report.rejected { Output.line("  rejected: \(r)") }
            }
            return ExitCode.success
        } catch let e as FeedError {
            access.record(e)
            var stopped: String?
            switch e.kind {
            case .keyRejected, .configuration: stopped = e.message
            default: break
            }
            let feeds = stopped.map {
                [AlertInputs.Feed(name: access.provider, staleAfter: 0, lastPriceTime: nil, stoppedError: $0)]
            }
            _ = try? writer.perform { store in evaluateAlerts(store, feeds: feeds) }
            throw Failure(e.description)
        }
    }
}

extension CLI {
    /// Applies the config's `imported_max_age` (days an imported signal stays in force, default 7).
    /// - Throws: ``UsageError`` for a value that is not a whole number of days from 0 to 3650.
    static func applySignalConfig(_ config: DashboardConfig) throws {
        guard let text = config.string("imported_max_age") else { return }
        guard let days = Int64(text), (0...3650).contains(days) else {
            throw UsageError(
                "config imported_max_age must be a whole number of days (0 to 3650), not '\(text.prefix(80))'")
        }
        SignalPrecedence.maxAgeDays = days
    }
}

extension CLI {
    /// The warning about `spec`'s members without a known market cap, or nil (DESIGN §4).
    static func unknownCapWarning(_ spec: IndexSpec, store: PortfolioStore) -> String? {
        guard let symbols = try? store.unknownCapMembers(spec), !symbols.isEmpty else { return nil }
        let shown =
            symbols.prefix(10).joined(separator: ", ") + (symbols.count > 10 ? " and \(symbols.count - 10) more" : "")
        return "warning: index '\(spec.slug)': no market cap known for \(shown): not eligible for cap weighting or top "
            + "(CoinGecko sends 0 or null when the supply is unknown; Binance sends none: "
            + "`indextop fetch --provider coingecko` fills caps)"
    }

    /// Prints the unknown-cap warning of `spec` on stderr, if any.
    static func warnUnknownCaps(_ spec: IndexSpec, store: PortfolioStore) {
        if let warning = unknownCapWarning(spec, store: store) { Output.error("indextop: " + warning) }
    }
}
