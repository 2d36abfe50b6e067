import Dispatch
import Foundation
import IndexCore
import PortfolioStore

/// The slow part of an index's snapshot: its performance series and figures and its rebalance history.
struct IndexHistory: Sendable {
    /// What it was computed from (``PortfolioStore/historyKey(_:)`` and the index id).
    var key: [Int64]
    var navSeries: [SeriesPoint] = []
    var btcSeries: [SeriesPoint] = []
    var buyHoldSeries: [SeriesPoint] = []
    var metrics = Metrics()
    var btcMetrics: Metrics?
    var buyHoldMetrics: Metrics?
    var rebalances: [RebalanceRow] = []

    /// Reads it from `store` (the performance report walks the NAV and price history: slow).
    static func load(_ idx: IndexRecord, key: [Int64], from store: PortfolioStore) throws -> IndexHistory {
        let perf = try store.performance(idx.slug)
        let rebalances = try store.history(idx.slug, limit: 200).map { r in
            var row = RebalanceRow(
                id: r.id, time: r.time, trigger: r.trigger, status: r.status, navBefore: r.navBefore,
                navAfter: r.navAfter, turnover: r.turnover, fees: r.fees, slippage: r.slippage, reason: r.reason,
                trades: r.trades.map {
                    TradeRow(
                        symbol: $0.symbol, side: $0.side, quantity: $0.quantity, price: $0.price,
                        notional: $0.notional, fee: $0.fee, slippage: $0.slippage)
                })
            // A tracked index's executed rebalance: its fills and shortfall (ExecutionView.swift).
            if r.status == "executed" { row.execution = try store.execution(r.id).map(StoreBackend.execution) }
            return row
        }
        return IndexHistory(
            key: key, navSeries: perf.series.map { SeriesPoint(time: $0.time, value: $0.value) },
            btcSeries: perf.btcSeries.map { SeriesPoint(time: $0.time, value: $0.value) },
            buyHoldSeries: perf.buyAndHoldSeries.map { SeriesPoint(time: $0.time, value: $0.value) },
            metrics: StoreBackend.metrics(perf.figures), btcMetrics: perf.btc.map(StoreBackend.metrics),
            buyHoldMetrics: perf.buyAndHold.map(StoreBackend.metrics), rebalances: rebalances)
    }
}

/// Computes ``IndexHistory`` off the UI queue, on a queue and read-only connection of its own. The UI asks
/// for the history of a key; until it is ready the UI shows the previous one (or none at start).
final class HistoryLoader: @unchecked Sendable {
    private let queue = DispatchQueue(label: "indextop.dashboard.history", qos: .utility)
    private let path: String
    private let lock = NSLock()
    /// Finished histories by slug (under `lock`).
    private var done: [String: IndexHistory] = [:]
    /// Requests in flight, by slug → key (under `lock`).
    private var pending: [String: [Int64]] = [:]
    /// Bumped on every finished history (under `lock`), so the UI knows to rebuild its snapshot.
    private var finished = 0
    /// Only touched on `queue`.
    private var store: PortfolioStore?

    init(path: String) { self.path = path }

    /// How many histories have finished so far.
    var generation: Int {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// The finished history of `idx` for `key` when there is one; otherwise asks for it (once per key) and
    /// returns the newest finished one of an older key, or nil.
    func history(_ idx: IndexRecord, key: [Int64]) -> IndexHistory? {
        lock.lock()
        let hit = done[idx.slug]
        let asked = pending[idx.slug] == key
        if hit?.key != key, !asked { pending[idx.slug] = key }
        lock.unlock()
        if hit?.key == key || asked { return hit }
        queue.async { self.compute(idx, key: key) }
        return hit
    }

    private func compute(_ idx: IndexRecord, key: [Int64]) {
        let result: IndexHistory?
        do {
            if store == nil { store = try PortfolioStore(path: path, create: false, readOnly: true) }
            result = try store.map { try IndexHistory.load(idx, key: key, from: $0) }
        } catch {
            result = nil  // retried on the next request with a new key; the UI keeps what it had
        }
        lock.lock()
        if pending[idx.slug] == key { pending[idx.slug] = nil }
        if let result {
            done[idx.slug] = result
            finished += 1
        }
        lock.unlock()
    }
}
