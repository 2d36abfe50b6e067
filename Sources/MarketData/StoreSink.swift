import Foundation
import IndexCore
import PortfolioStore

/// The SQLite store as the feeds' sink: its own write connection, used under a lock from the feed's
/// queue (never the UI's). Each batch is one transaction; NAV points follow, and the signals are
/// recomputed when a new daily close arrives.
public final class StoreSink: PriceSink, SignalSink, @unchecked Sendable {
    private let lock = NSLock()
    private let store: PortfolioStore
    private var lastDay: Int64?
    /// Apply due rebalances after each batch (config `auto_rebalance = true`; default off).
    public var autoRebalance = false
    /// Called (on the feed's queue) after each stored batch with the number of rows.
    public var onStored: (@Sendable (Int) -> Void)?

    /// Opens a write connection to the database at `path`.
    public init(path: String) throws {
        store = try PortfolioStore(path: path, create: false)
        store.enableSignals()
        lastDay = try store.latestPriceTime().map(UTCCalendar.dayNumber)
    }

    public func store(_ points: [PricePoint], source: String) throws {
        guard !points.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
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
            for idx in try store.indices() { _ = try? store.runDue(idx.slug, at: t) }
        }
        onStored?(valid.count)
    }

    public func store(_ signals: [ExternalSignal]) throws {
        lock.lock()
        defer { lock.unlock() }
        let known = Set(try store.assets().map(\.symbol))
        let list = signals.filter { known.contains($0.symbol) }.map { s in
            ImportedSignal(
                symbol: s.symbol, day: UTCCalendar.dayNumber(s.time) * UTCCalendar.day,
                label: s.label > 0 ? "bullish" : s.label < 0 ? "bearish" : "neutral",
                score: s.score ?? Double(s.label), source: s.source)
        }
        try store.insertImportedSignals(list)
    }

    public func lastImportedLabels(source: String) -> [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        return (try? store.lastImportedLabels(source: source)) ?? [:]
    }
}

/// glibc's `malloc_trim`: returns freed heap pages to the system (the daily signal refresh reads the
/// whole price history once; without this its pages stay resident in the feed thread's arena).
@_silgen_name("malloc_trim")
private func releaseFreeMemory(_ pad: Int) -> Int32
