import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore
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
        if !FileManager.default.fileExists(atPath: dbPath) {
            Output.error("indextop: no database at \(dbPath): creating it with the demo market and indices…")
            let store = try openStore(create: true)
            try DemoSeeder.seed(store, now: store.clock())
            Output.error("indextop: created \(dbPath)")
        }
        _ = try openStore()  // migrates an older database before the dashboard opens it
        let options = DashboardOptions(
            theme: theme, refresh: refresh, ascii: ascii, noColor: noColor, themesDir: themesDir,
            configPath: configPath)
        let config = options.config
        let feedName = feedOption ?? config.string("feed") ?? "sim"
        let kind: FeedKind
        do {
            kind = try FeedKind(parsing: feedName)
        } catch {
            throw UsageError("--feed must be sim, coingecko, file:PATH or none, not '\(feedName)'")
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
        if let interval = config.number("coingecko_interval") { coingecko.interval = interval }
        let runner = try startFeed(
            kind, passphrase: passphrase, autoRebalance: config.bool("auto_rebalance") ?? false,
            coingecko: coingecko, simInterval: config.number("sim_interval") ?? 2)
        let backend = try StoreBackend(path: dbPath, env: env, passphrase: passphrase) {
            guard let runner else { return Dashboard.FeedStatus(name: "none") }
            let s = runner.status
            return Dashboard.FeedStatus(
                name: s.name, state: s.state, lastPriceTime: s.lastPriceTime,
                interval: runner.feed.pollInterval)
        }
        return MainActor.assumeIsolated { DashboardApp.run(backend: backend, options: options) }
    }

    /// Starts the feed of `kind` on its own queue, writing through its own connection.
    func startFeed(
        _ kind: FeedKind, passphrase: PassphraseSource, autoRebalance: Bool, coingecko: CoinGeckoConfig,
        simInterval: Double
    ) throws -> FeedRunner? {
        if case .none = kind { return nil }
        let store = try openStore()
        let sink = try StoreSink(path: dbPath)
        sink.autoRebalance = autoRebalance
        var key: KeyProvider?
        var vault: UnlockedVault?
        var keyID = ""
        if case .coingecko = kind {
            keyID = "coingecko/\(env)/read"
            do {
                let v = try UnlockedVault.unlock(env: env, passphrase: passphrase)
                let secret = try v.secret(for: keyID, actor: "feed")
                key = { secret.unsafeStringCopy() }
                vault = v
            } catch let e as VaultError {
                throw Failure("coingecko feed: \(e.description)")
            }
        }
        let latest = try store.latestPrices().mapValues(\.price)
        let seed = UInt64(try store.setting("demo_seed") ?? "42") ?? 42
        let log = FeedLog(url: FeedLog.defaultURL())
        guard
            let feed = try FeedFactory.make(
                kind,
                .init(
                    assets: try store.assets(), latestPrices: latest,
                    seed: seed &+ UInt64(UTCCalendar.dayNumber(store.clock())), simInterval: simInterval,
                    coingecko: coingecko, key: key, priceSink: sink,
                    signalSink: sink, log: log))
        else { return nil }
        let box = VaultBox(vault: vault)
        let usedKey = keyID
        let runner = FeedRunner(
            feed: feed, log: log,
            onKeyRejected: { _, _ in box.rejected(usedKey) },
            onPoll: { report in if report.stored > 0 { box.used(usedKey) } })
        runner.start()
        return runner
    }
}

/// The unlocked vault as the feed's queue uses it (mark the key used once, or rejected).
final class VaultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var vault: UnlockedVault?
    private var marked = false

    init(vault: UnlockedVault?) { self.vault = vault }

    func used(_ keyID: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !marked, let vault else { return }
        marked = true
        try? vault.markUsed(keyId: keyID)
    }

    func rejected(_ keyID: String) {
        lock.lock()
        defer { lock.unlock() }
        try? vault?.markRejected(keyId: keyID)
    }
}

extension CLI {
    /// `indextop snapshot`: the frame the dashboard would draw, as plain text.
    func snapshotCommand(_ args: inout Args) throws -> Int32 {
        let width = try args.int("--width") ?? 120
        let height = try args.int("--height") ?? 40
        let view = try args.int("--view") ?? 1
        let slug = try args.option("--index")
        let ascii = args.flag("--ascii")
        try args.finish()
        guard width > 0, height > 0, width <= 1000, height <= 1000 else {
            throw UsageError("--width and --height must be between 1 and 1000")
        }
        guard (1...6).contains(view) else { throw UsageError("--view must be 1 to 6") }
        _ = try openStore()
        let backend = try StoreBackend(path: dbPath, env: env, passphrase: .prompt) {
            Dashboard.FeedStatus(name: "none")
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
