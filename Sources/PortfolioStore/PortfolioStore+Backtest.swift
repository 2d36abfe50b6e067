import Dispatch
import Foundation
import IndexCore
import SQLiteKit

extension PortfolioStore {
    /// The market as a dense matrix over the step times `start, start + step, …, ≤ end`, every asset a
    /// column, read in one query: each cell is the newest stored row at or before its step.
    public func marketMatrix(from start: Int64, to end: Int64, step: Int64 = UTCCalendar.day) throws -> MarketMatrix {
        var times: [Int64] = []
        var t = start
        while t <= end {
            times.append(t)
            t += step
        }
        var matrix = MarketMatrix(times: times, assets: try assets())
        let st = try db.prepare(
            "SELECT symbol, time, price, market_cap, volume FROM prices WHERE time <= ? ORDER BY symbol, time")
        try st.bind(.integer(end), at: 1)
        var symbol = ""
        var rows: [MarketMatrix.Row] = []
        while try st.step() {
            let s = st.columnString(0)
            if s != symbol {
                matrix.fill(symbol, rows: rows)
                rows.removeAll(keepingCapacity: true)
                symbol = s
            }
            rows.append(
                MarketMatrix.Row(
                    time: st.columnInt64(1), price: st.columnDouble(2),
                    marketCap: st.columnIsNull(3) ? nil : st.columnDouble(3),
                    volume: st.columnIsNull(4) ? nil : st.columnDouble(4)))
        }
        matrix.fill(symbol, rows: rows)
        return matrix
    }

    /// The backtest engine for `spec` over `matrix`, with this store's signals (when enabled) for the
    /// methodologies that need them.
    public func engine(_ spec: IndexSpec, market: MarketMatrix) -> BacktestEngine {
        var engine = BacktestEngine(spec: spec, market: market)
        if let provider = signalTargets {
            engine.signalTargets = { spec, view, time in try provider(spec, view, time, self) }
            engine.regime = { spec, time in try self.regimeInForce(spec, at: time) }
        }
        return engine
    }

    /// The period a backtest covers: [from, to] clipped to the stored prices.
    /// - Throws: `StoreError` without prices or for an empty period.
    public func backtestPeriod(from: Int64?, to: Int64?) throws -> (start: Int64, end: Int64) {
        guard let latest = try latestPriceTime(), let earliest = try db.scalarInt("SELECT MIN(time) FROM prices")
        else { throw StoreError("no stored prices to backtest on (import prices first)") }
        let end = min(to ?? latest, latest)
        let start = max(from ?? earliest, earliest)
        guard start < end else { throw StoreError("backtest period is empty") }
        return (start, end)
    }

    /// Replays `spec` over the stored prices from `from` to `to` (daily steps) in memory; nothing is written.
    /// - Throws: `StoreError` (no prices, unknown symbols), `MethodologyError`, `PlanError`, `BacktestError`.
    public func backtest(_ spec: IndexSpec, from: Int64? = nil, to: Int64? = nil) throws -> BacktestResult {
        try checkSymbols(spec)
        let period = try backtestPeriod(from: from, to: to)
        return try engine(spec, market: marketMatrix(from: period.start, to: period.end)).run()
    }

    /// Records a replay of an index created at the matrix's first step: every event after the initial
    /// one through `apply` (the one write path), then the engine's NAV points, in one transaction.
    func record(_ result: BacktestResult, slug: String) throws {
        try db.transaction {
            for e in result.events.dropFirst() {
                var stored = StoredPlan(
                    slug: slug, trigger: e.trigger, time: e.time, plan: e.plan, prices: e.prices,
                    pricesTime: e.pricesTime, targets: e.targets)
                stored.cashFlow = e.cashFlow
                stored.unitsDelta = e.unitsDelta
                stored.flowKind = e.flowKind
                stored.holdingsBefore = e.holdingsBefore
                try apply(stored, reason: e.reason, checkStale: false)
            }
            if let checked = result.checked { try setSetting("checked:\(slug)", String(checked)) }
            let idx = try index(slug)
            let st = try db.cached(
                """
                INSERT INTO index_values(index_id, time, nav, nav_per_unit, units) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(index_id, time) DO UPDATE SET nav = excluded.nav, nav_per_unit = excluded.nav_per_unit,
                    units = excluded.units
                """)
            try st.bind(int: idx.id, at: 1)
            for p in result.navs {
                try st.bind(int: p.time, at: 2)
                try st.bind(double: p.nav, at: 3)
                try st.bind(double: p.navPerUnit, at: 4)
                try st.bind(double: p.units, at: 5)
                try st.execute()
            }
        }
    }

    /// Creates the index of `spec` at `start` and replays it to `end` through the engine (daily steps),
    /// recording what it did: the demo's history, and any "what if" seeding.
    public func createAndReplay(_ spec: IndexSpec, from start: Int64, to end: Int64, market: MarketMatrix? = nil)
        throws
    {
        try db.transaction {
            try createIndex(spec, at: start)
            let m = try market ?? marketMatrix(from: start, to: end)
            try record(engine(spec, market: m).run(), slug: spec.slug)
        }
    }

    /// Refuses a spec naming symbols the store does not know (as `index create` does).
    func checkSymbols(_ spec: IndexSpec) throws {
        let known = try assetMap()
        var named: [String] = []
        if case .symbols(let list) = spec.universe { named += list }
        named += (spec.methodology.weights ?? [:]).keys.sorted()
        let unknown = named.filter { known[$0] == nil }
        if !unknown.isEmpty {
            throw StoreError("index '\(spec.slug)': unknown symbols \(unknown.joined(separator: ", "))")
        }
        if spec.methodology.usesStablecoin, known[spec.methodology.stablecoin] == nil {
            throw StoreError("index '\(spec.slug)': unknown stablecoin \(spec.methodology.stablecoin)")
        }
    }
}

extension PortfolioStore {
    /// Replays every variant over the same matrix and returns one row each, ranked by Sharpe. Passive
    /// variants run in parallel on `jobs` threads (default: every core); variants that need signals use
    /// this store's connection and run one after another.
    public func sweep(_ variants: [SweepGrid.Variant], from: Int64? = nil, to: Int64? = nil, jobs: Int? = nil) throws
        -> [SweepRow]
    {
        guard !variants.isEmpty else { return [] }
        for v in variants { try checkSymbols(v.spec) }
        let period = try backtestPeriod(from: from, to: to)
        let market = try marketMatrix(from: period.start, to: period.end)
        let needsSignals = variants.contains { [.signal, .trend, .rsi].contains($0.spec.methodology.kind) }
        if needsSignals || jobs == 1 || variants.count == 1 {
            return SweepRow.ranked(
                try variants.map { v in
                    var e = engine(v.spec, market: market)
                    e.keepEvents = false
                    return SweepRow(variant: v, result: try e.run())
                })
        }
        let results = SweepResults(count: variants.count)
        let workers = max(1, min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, variants.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < variants.count {
                var e = BacktestEngine(spec: variants[i].spec, market: market)
                e.keepEvents = false
                let r = Result { SweepRow(variant: variants[i], result: try e.run()) }
                results.set(i, r)
                i += workers
            }
        }
        return SweepRow.ranked(try results.all().map { try $0.get() })
    }
}

/// Results written by the sweep's worker threads, each slot once.
private final class SweepResults: @unchecked Sendable {
    private var slots: [Result<SweepRow, any Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<SweepRow, any Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }
    func all() -> [Result<SweepRow, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0 ?? .failure(StoreError("sweep variant did not run")) }
    }
}
