import Foundation
import IndexCore
import PortfolioStore

/// The SQLite store as the feeds' sink: every batch is submitted to the process's ``StoreWriter`` (the one
/// read-write connection) and waited for on the feed's queue (never the UI's). Each batch is one
/// transaction; NAV points follow, and the signals are recomputed when a new daily close arrives.
/// Errors reach the feed (which reports and retries them); automatic rebalances that fail are logged.
public final class StoreSink: PriceSink, SignalSink, @unchecked Sendable {
    private let writer: StoreWriter
    private let log: FeedLog?
    /// Only touched on the writer's queue.
    private var lastDay: Int64?
    /// Apply due rebalances after each batch (config `auto_rebalance = true`; default off). Set before the
    /// feed starts.
    public var autoRebalance = false
    /// Called (on the writer's queue) after each stored batch with the number of rows.
    public var onStored: (@Sendable (Int) -> Void)?
    /// What the store cannot see for the alert rules (keys, feeds); alerts are evaluated after a
    /// batch of prices or signals only when this is set.
    public var alertContext: (@Sendable () -> AlertContext)?
    /// After a batch, alerts are evaluated only when the last evaluation is at least this many seconds
    /// old (valuing every index costs about 10 ms for 10 × 100 holdings; the alert timer catches up).
    public var alertMinInterval: Int64 = 10
    private var lastAlertEvaluation: Int64?
    /// Runs `alert_command` for new alerts, when configured.
    public var alertHook: AlertHook?
    private var alertTimer: (any DispatchSourceTimer)?

    /// A sink writing through `writer`; failed automatic rebalances go to `log`.
    public init(writer: StoreWriter, log: FeedLog? = nil) throws {
        self.writer = writer
        self.log = log
        lastDay = try writer.perform { try $0.latestPriceTime().map(UTCCalendar.dayNumber) }
    }

    /// A sink with a writer of its own on the database at `path` (tools and tests with no other writer).
    public convenience init(path: String) throws {
        try self.init(writer: StoreWriter(path: path))
    }

    public func store(_ points: [PricePoint], source: String) throws {
        guard !points.isEmpty else { return }
        try writer.perform { store in try self.write(points, source: source, store) }
    }

    /// On the writer's queue.
    private func write(_ points: [PricePoint], source: String, _ store: PortfolioStore) throws {
        let known = Set(try store.assets().map(\.symbol))
        let valid = points.filter { known.contains($0.symbol) && $0.price.isFinite && $0.price > 0 }
        try store.insertPrices(valid.sorted { ($0.symbol, $0.time) < ($1.symbol, $1.time) }, source: source)
        try store.recordNAVs(minInterval: 60)
        if let newest = valid.map(\.time).max() {
            let day = UTCCalendar.dayNumber(newest)
            if lastDay.map({ day > $0 }) ?? true {
                // Advance only once the refresh worked, so a failed one is retried on the next batch.
                try store.refreshSignals()
                lastDay = day
                // The candle cache is only needed once a day: give its memory back to the system now.
                store.dropSignalCache()
                _ = releaseFreeMemory(0)
            }
        }
        if autoRebalance, let t = try store.latestPriceTime() {
            // The same path as `rebalance --due`: staleness checked at apply, audited by the writer's hook.
            for idx in try store.indices() {
                do {
                    try store.runDue(idx.slug, at: t)
                } catch {
                    log?.write(feed: source, level: "error", "auto-rebalance of \(idx.slug) failed: \(error)")
                }
            }
        }
        evaluateAlerts(store, afterBatch: true)
        onStored?(valid.count)
    }

    public func store(_ signals: [ExternalSignal]) throws {
        try writer.perform { store in
            let known = Set(try store.assets().map(\.symbol))
            let list = signals.filter { known.contains($0.symbol) }.map { s in
                ImportedSignal(
                    symbol: s.symbol, day: UTCCalendar.dayNumber(s.time) * UTCCalendar.day,
                    label: s.label > 0 ? "bullish" : s.label < 0 ? "bearish" : "neutral",
                    score: s.score ?? Double(s.label), source: s.source)
            }
            try store.insertImportedSignals(list)
        }
        try writer.perform { store in _ = self.evaluateAlerts(store, afterBatch: true) }
    }

    /// Evaluates the alerts now on the writer's queue (e.g. after a key change). Returns the alerts
    /// raised; failures are ignored (alerts never stop a feed).
    @discardableResult
    public func evaluateAlerts() -> [AlertRecord] {
        (try? writer.perform { store in self.evaluateAlerts(store) }) ?? []
    }

    /// Evaluates the alerts every `interval` seconds on a utility queue, so a feed that went stale or
    /// stopped (and sends no more batches) is reported too.
    public func startAlertTimer(interval: Double) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "indextop.alerts", qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(1))
        timer.setEventHandler { [weak self] in self?.evaluateAlerts() }
        timer.resume()
        try? writer.perform { _ in self.alertTimer = timer }
    }

    /// On the writer's queue.
    @discardableResult
    private func evaluateAlerts(_ store: PortfolioStore, afterBatch: Bool = false) -> [AlertRecord] {
        guard let alertContext else { return [] }
        let now = store.clock()
        if afterBatch, let last = lastAlertEvaluation, now - last < alertMinInterval { return [] }
        lastAlertEvaluation = now
        var context = alertContext()
        context.coldSignalsOnly = true  // never load the price history for an alert (see AlertContext)
        guard let report = try? store.evaluateAlerts(now: now, context: context) else { return [] }
        alertHook?.dispatchPending(store: store, now: now)
        return report.raised
    }

    public func lastImportedLabels(source: String) -> [String: Int] {
        (try? writer.perform { try $0.lastImportedLabels(source: source) }) ?? [:]
    }
}

/// glibc's `malloc_trim`: returns freed heap pages to the system (the daily signal refresh reads the
/// whole price history once; without this its pages stay resident in the writer thread's arena).
@_silgen_name("malloc_trim")
private func releaseFreeMemory(_ pad: Int) -> Int32
