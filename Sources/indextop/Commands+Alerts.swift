import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore
import Vault

extension CLI {
    /// `indextop alerts [--json] [--all] [--ack ID]`: evaluates the alerts, runs `alert_command` for
    /// new ones, and lists the open ones (every one with `--all`), newest first. Exit 1 when any is new.
    func alertsCommand(_ args: inout Args) throws -> Int32 {
        let all = args.flag("--all")
        let ackText = try args.option("--ack")
        try args.finish()
        var ack: Int64?
        if let ackText {
            guard let id = Int64(ackText), id > 0 else {
                throw UsageError("--ack must be an alert id (a positive integer), not '\(ackText.prefix(40))'")
            }
            ack = id
        }
        let store = try openStore()
        if let ack {
            let a = try wrapStore { try store.acknowledgeAlert(ack) }
            if json { Output.line(AlertJSON.encode(a.json)) } else { Output.line("alert \(a.id): \(a.state.rawValue)") }
            return ExitCode.success
        }
        evaluateAlerts(store, full: true)
        let list = try wrapStore { try store.alerts(all: all) }
        if json {
            Output.line(list.isEmpty ? "[]" : AlertJSON.encode(list.map(\.json)))
        } else if list.isEmpty {
            Output.line(all ? "no alerts" : "no open alerts")
        } else {
            Output.table(
                ["ID", "STATE", "KIND", "INDEX", "ASSET", "FIRST SEEN", "MESSAGE"],
                list.map {
                    [
                        String($0.id), $0.state.rawValue, $0.key.kind.rawValue, $0.key.index, $0.key.asset,
                        UTCCalendar.iso($0.firstSeen), $0.message,
                    ]
                }, right: [0])
        }
        return list.contains { $0.state == .new } ? ExitCode.failure : ExitCode.success
    }

    /// Evaluates the alerts on `store` (this command is the writer) with the vault's keys, and runs
    /// `alert_command` for the new ones, waiting for it. Never fails the command: a problem is one
    /// line on stderr.
    /// - Parameters:
    ///   - feeds: the feeds this command polled, when it did.
    ///   - full: judge a risk-off rebalance due even when that loads the price history (`alerts`
    ///     itself); other commands leave it to the `regime` alert unless their candles are loaded.
    @discardableResult
    func evaluateAlerts(_ store: PortfolioStore, feeds: [AlertInputs.Feed]? = nil, full: Bool = false)
        -> AlertReport?
    {
        let context = AlertContext(
            keys: AlertSources.keys(location: .standard(env: env)), feeds: feeds, coldSignalsOnly: !full)
        let report: AlertReport
        do {
            report = try store.evaluateAlerts(now: store.clock(), context: context)
        } catch {
            Output.error("indextop: alerts not evaluated: \(error)")
            return nil
        }
        if let hook = Self.alertHook() {
            hook.dispatchPending(store: store, now: store.clock())
            hook.wait()
        }
        return report
    }

    /// The configured `alert_command` (nil when unset or unusable; the reason goes to stderr once).
    static func alertHook() -> AlertHook? {
        let environment = ProcessInfo.processInfo.environment
        let config = DashboardConfig.load(path: DashboardConfig.defaultPath(environment: environment))
        return alertHook(config: config)
    }

    /// `alert_command` and `alert_min_interval` (default 60 s) of `config`.
    static func alertHook(config: DashboardConfig) -> AlertHook? {
        guard let command = config.string("alert_command"), !command.isEmpty else { return nil }
        let interval = config.double("alert_min_interval") ?? 60
        do {
            return try AlertHook(
                command: command, minInterval: interval.isFinite ? interval : 60,
                log: FeedLog(url: FeedLog.defaultURL()))
        } catch {
            let line = config.entries["alert_command"]?.line ?? 0
            Output.error("\(config.path):\(line): alert_command: \(error)")
            return nil
        }
    }

    /// Makes the feed's sink (the dashboard's writer) evaluate alerts after a batch (at most every
    /// 10 s) and every 10 s (a stale or stopped feed sends no batch), with the vault's keys and the
    /// feed's status.
    /// - Parameter runner: the feed; nil for none (feed alerts are then left alone).
    func installAlerts(on sink: StoreSink, runner: FeedRunner?, hook: AlertHook?) {
        let keys = KeyAlertCache(location: .standard(env: env))
        sink.alertContext = {
            AlertContext(
                keys: keys.current(),
                feeds: runner.map { [AlertSources.feed($0.status, staleAfter: $0.feed.staleAfter)] })
        }
        sink.alertHook = hook
        sink.startAlertTimer(interval: 10)
    }

    func wrapStore<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as StoreError { throw Failure(e.message) }
    }
}

/// JSON text of the alert shapes (`Encodable`, sorted keys, like every other command's output).
enum AlertJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}

/// The vault's keys for the alert rules, re-read at most every 10 s (the writer evaluates after every
/// batch, and the vault changes only when a key command runs).
final class KeyAlertCache: @unchecked Sendable {
    private let location: VaultLocation
    private let lock = NSLock()
    private var cached: (time: Date, keys: [AlertInputs.Key]?)?

    init(location: VaultLocation) { self.location = location }

    func current() -> [AlertInputs.Key]? {
        lock.lock()
        defer { lock.unlock() }
        if let cached, Date().timeIntervalSince(cached.time) < 10 { return cached.keys }
        let keys = AlertSources.keys(location: location)
        cached = (Date(), keys)
        return keys
    }
}
