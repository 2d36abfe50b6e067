import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore
import TerminalUI
import Vault

extension CLI {
    /// `indextop [options]`: the dashboard on the database, with a live feed.
    func dashboard(_ args: inout Args) throws -> Int32 {
        let theme = try args.option("--theme")
        let themesDir = try args.option("--themes-dir")
        let refresh = try args.number("--refresh")
        let feedOption = try args.option("--feed")
        let ascii = args.flag("--ascii")
        let noColor = args.flag("--no-color")
        let configPath = try args.option("--config")
        let passphrase = try VaultBridge.passphraseOptions(&args)
        try args.finish()
        if let refresh, !(refresh > 0) { throw UsageError("--refresh must be a positive number of seconds") }
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            throw Failure("the dashboard needs a terminal (for scripts use `indextop snapshot` or the --json commands)")
        }
        // The process's one read-write connection: it creates or migrates the database before the
        // dashboard's read-only connections open it; the feed and the applies write through it.
        let writer: StoreWriter
        if !FileManager.default.fileExists(atPath: dbPath) {
            Output.error("indextop: no database at \(dbPath): creating it with the demo market and indices…")
            writer = try openWriter(create: true)
            try writer.perform { try DemoSeeder.seed($0, now: $0.clock()) }
            Output.error("indextop: created \(dbPath)")
        } else {
            writer = try openWriter()
        }
        var options = DashboardOptions(
            theme: theme, refresh: refresh, ascii: ascii, noColor: noColor, themesDir: themesDir,
            configPath: configPath)
        // Indices whose members have no known market cap are named in the footer at start (DESIGN §4).
        options.notice = try writer.perform { store in
            try store.indices().lazy.compactMap { Self.unknownCapWarning($0.spec, store: store) }.first
        }
        let config = options.config
        try Self.applySignalConfig(config)
        let feedName = feedOption ?? config.string("feed") ?? "sim"
        let kind: FeedKind
        do {
            kind = try FeedKind(parsing: feedName)
        } catch {
            throw UsageError(
                "--feed must be sim, coingecko, binance, tokenmetrics, file:PATH or none, not '\(feedName)'")
        }
        var coingecko = CoinGeckoConfig()
        if let plan = config.string("coingecko_plan") {
            guard let p = CoinGeckoConfig.Plan(rawValue: plan) else {
                throw UsageError("config coingecko_plan must be demo or pro, not '\(plan)'")
            }
            coingecko.plan = p
            coingecko.baseURL = p.defaultBaseURL
        }
        if let base = config.string("coingecko_base_url") {
            guard let u = URL(string: base), u.scheme == "http" || u.scheme == "https" else {
                throw UsageError("config coingecko_base_url: '\(base)' is not an http(s) URL")
            }
            coingecko.baseURL = u
        }
        if let interval = config.double("coingecko_interval"), interval >= 10 { coingecko.interval = interval }
        let hook = Self.alertHook(config: config)
        let runner = try startFeed(
            kind, writer: writer, passphrase: passphrase, autoRebalance: config.bool("auto_rebalance") ?? false,
            coingecko: coingecko, simInterval: max(0.2, config.double("sim_interval") ?? 2), alertHook: hook)
        // Without a feed the writer still evaluates the alerts on a timer (schedules, key expiry).
        let alertsOnly = runner == nil ? try StoreSink(writer: writer) : nil
        if let alertsOnly { installAlerts(on: alertsOnly, runner: nil, hook: hook) }
        // `signals_provider = tokenmetrics`: Token Metrics signals polled daily alongside the prices.
        var signalRunner: FeedRunner?
        if let signals = config.string("signals_provider"), signals != "none" {
            guard signals == "tokenmetrics" else {
                throw UsageError("config signals_provider must be tokenmetrics or none, not '\(signals)'")
            }
            if kind != .tokenmetrics {
                signalRunner = try startFeed(
                    .tokenmetrics, writer: writer, passphrase: passphrase, autoRebalance: false, coingecko: coingecko,
                    simInterval: 2)
            }
        }
        let backend = try StoreBackend(path: dbPath, writer: writer, env: env, passphrase: passphrase) {
            _ = signalRunner
            guard let runner else { return Dashboard.FeedStatus(name: "none", state: "off") }
            let s = runner.status
            return Dashboard.FeedStatus(
                name: s.name, state: s.state.label(now: Date().timeIntervalSince1970), lastPriceTime: s.lastPriceTime,
                interval: runner.feed.pollInterval)
        }
        let code = MainActor.assumeIsolated { DashboardApp.run(backend: backend, options: options) }
        withExtendedLifetime(alertsOnly) {}  // its timer runs as long as the dashboard
        return code
    }

    /// Starts the feed of `kind` on its own queue, writing through `writer`. With `autoRebalance` and a
    /// vault for the environment, the vault is unlocked now (the step-up, audited) so every automatic
    /// rebalance is audited.
    func startFeed(
        _ kind: FeedKind, writer: StoreWriter, passphrase: PassphraseSource, autoRebalance: Bool,
        coingecko: CoinGeckoConfig, simInterval: Double, alertHook: AlertHook? = nil
    ) throws -> FeedRunner? {
        if case .none = kind { return nil }
        let log = FeedLog(url: FeedLog.defaultURL())
        let sink = try StoreSink(writer: writer, log: log)
        sink.autoRebalance = autoRebalance
        var key: KeyProvider?
        var lease: KeyLease?
        if autoRebalance,
            let v = try writer.perform({ store in
                try VaultBridge.stepUp(
                    store: store, env: env, action: "rebalance.auto", detail: ["by": "dashboard"], passphrase)
            })
        {
            writer.onApplied { r in RebalanceAudit.record(r, in: v, by: "auto") }
        }
        let provider: String? =
            switch kind {
            case .coingecko: "coingecko"
            case .tokenmetrics: "tokenmetrics"
            default: nil
            }
        if let provider {
            let keyID = "\(provider)/\(env)/read"
            do {
                let v = try UnlockedVault.unlock(env: env, passphrase: passphrase)
                // Re-checked before every request: a revoke, suspend or expiry elsewhere stops the feed.
                let leased = try v.lease(keyId: keyID, actor: "feed")
                key = { try leased.current().unsafeStringCopy() }
                lease = leased
            } catch let e as VaultError {
                throw Failure("\(provider) feed: \(e.description)")
            }
        }
        let (assets, latest, seed, today, tokenMetricsIds) = try writer.perform { store in
            (
                try store.assets(), try store.latestPrices().mapValues(\.price),
                UInt64(try store.setting("demo_seed") ?? "42") ?? 42, UTCCalendar.dayNumber(store.clock()),
                try store.tokenMetricsIds()
            )
        }
        guard
            let feed = try FeedFactory.make(
                kind,
                .init(
                    assets: assets, latestPrices: latest,
                    seed: seed &+ UInt64(today), simInterval: simInterval,
                    coingecko: coingecko, tokenMetricsIds: tokenMetricsIds, key: key, priceSink: sink,
                    signalSink: sink, log: log))
        else { return nil }
        let leased = lease
        let runner = FeedRunner(
            feed: feed, log: log,
            onKeyRejected: { _, _ in leased?.markRejected() },
            onPoll: { report in if report.stored > 0 { leased?.markUsed() } })
        installAlerts(on: sink, runner: runner, hook: alertHook)
        runner.start()
        return runner
    }
}

extension CLI {
    /// `indextop snapshot`: the frame the dashboard would draw, as plain text.
    func snapshotCommand(_ args: inout Args) throws -> Int32 {
        let width = try args.int("--width") ?? 120
        let height = try args.int("--height") ?? 40
        let view = try args.int("--view") ?? 1
        let slug = try args.option("--index")
        let themeName = try args.option("--theme")
        let themesDir = try args.option("--themes-dir")
        let ascii = args.flag("--ascii")
        try args.finish()
        guard width > 0, height > 0, width <= 1000, height <= 1000 else {
            throw UsageError("--width and --height must be between 1 and 1000")
        }
        guard (1...6).contains(view) else { throw UsageError("--view must be 1 to 6") }
        if let themeName {
            // The text carries no colours, but a theme that does not load is reported as the dashboard would.
            let loader = ThemeLoader.standard(themesDir: themesDir, environment: ProcessInfo.processInfo.environment)
            if let problem = loader.load(themeName).diagnostics.first {
                throw Failure("--theme \(Args.quoted(themeName)): \(problem.description)")
            }
        }
        // Read-only: a snapshot never writes (an older schema is refused with the `indextop init` hint).
        let backend = try wrap {
            try StoreBackend(path: dbPath, writer: nil, env: env, passphrase: .prompt, historyInBackground: false) {
                Dashboard.FeedStatus(name: "none", state: "off")
            }
        }
        do {
            let text = try SnapshotCommand.render(
                backend: backend, width: width, height: height, view: view, indexSlug: slug, ascii: ascii)
            Output.line(text)
        } catch let e as StoreError {
            throw Failure(e.message)
        }
        return ExitCode.success
    }
}
