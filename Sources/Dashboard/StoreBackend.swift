import Dispatch
import Foundation
import IndexCore
import PortfolioStore
import SQLiteKit
import TerminalUI
import Vault

/// The dashboard's data from the SQLite store (its own read connection, WAL), the vault's public
/// metadata and the feed's status. Cheap parts (valuations) are read every refresh; heavy parts
/// (performance series, history, signals, keys) only when what they depend on changed.
public final class StoreBackend: DashboardBackend {
    private let store: PortfolioStore
    private let env: String
    private let passphrase: PassphraseSource
    /// The feed's status, read each refresh (from the feed runner).
    public var feedStatus: () -> FeedStatus
    private var slow: [String: (key: [Int64], perf: PerformanceReport, rebalances: [RebalanceRow])] = [:]
    /// Each index's positions, read again when its change token moves (with `slow`).
    private var positions: [String: [String: (quantity: Double, costBasis: Double)]] = [:]
    /// The latest and 24h-ago prices, kept current from the newest ticks (`newestPrices(after:)`).
    private var book = PriceBook()
    private var bookTime: Int64?
    /// The index records, read again when the indices table's fingerprint moves.
    private var records: (token: [Double], list: [IndexRecord])?
    private var signalCache: (key: [Int64], rows: [SignalRow], badges: [String: SignalBadge], regime: Regime?)?
    private var vaultCache: (time: Double, keys: [KeyRow]?, audit: [AuditRow], chain: String?)?
    private var last: (version: Int64, snapshot: DashboardSnapshot)?
    private var assets: [String: Asset] = [:]
    /// Plans previews on its own queue and connection, so the UI never waits for a signal cache to load.
    private let planner: PlanWorker

    /// Opens the store at `path` for the dashboard.
    public init(path: String, env: String, passphrase: PassphraseSource, feedStatus: @escaping () -> FeedStatus) throws
    {
        store = try PortfolioStore(path: path, create: false)
        store.enableSignals()
        planner = PlanWorker(path: path)
        self.env = env
        self.passphrase = passphrase
        self.feedStatus = feedStatus
    }

    /// The snapshot, rebuilt only from what changed: the feed's status and the vault's summary are patched
    /// into the last snapshot; the indices are re-read only when another connection committed a write
    /// (`PRAGMA data_version`), and each index's history and performance only when its own rows changed.
    public func loadSnapshot() throws -> DashboardSnapshot {
        let version = try store.db.scalarInt("PRAGMA data_version") ?? 0
        let now = Int64(Date().timeIntervalSince1970)
        var snapshot: DashboardSnapshot
        if let last, last.version == version {
            snapshot = last.snapshot
        } else {
            snapshot = try loadData()
        }
        let vault = loadVault()
        snapshot.keys = vault.keys
        snapshot.audit = vault.audit
        snapshot.chainStatus = vault.chain
        var feed = feedStatus()
        if feed.lastPriceTime == nil { feed.lastPriceTime = snapshot.feed.lastPriceTime }
        snapshot.feed = feed
        snapshot.time = now
        last = (version, snapshot)
        return snapshot
    }

    public func invalidate() {
        last = nil
        book = PriceBook()
        bookTime = nil
        positions = [:]
        records = nil
        slow = [:]
        signalCache = nil
        vaultCache = nil
        assets = [:]
    }

    /// Brings the price book up to date: every asset's prices on the first call, then only the symbols
    /// with a price newer than the newest one seen (a feed tick re-reads its symbols, not the history).
    private func refreshBook() throws {
        guard let since = bookTime else {
            for s in assets.keys { (book.latest[s], book.dayAgo[s]) = try store.bookEntry(s) }
            bookTime = book.latest.values.map(\.time).max() ?? 0
            return
        }
        let fresh = try store.newestPrices(after: since)
        for (s, p) in fresh {
            book.latest[s] = p
            book.dayAgo[s] = try store.price(s, atOrBefore: p.time - UTCCalendar.day)
        }
        bookTime = max(since, fresh.values.map(\.time).max() ?? since)
    }

    /// Reads every index (valuation, DUE, cached history and performance), the signals and the regime.
    private func loadData() throws -> DashboardSnapshot {
        if assets.isEmpty { assets = try store.assetMap() }
        let signals = try loadSignals()
        var indices: [IndexSnapshot] = []
        var total = 0.0
        var total24hAgo = 0.0
        var known24h = true
        let latestPrice = try store.latestPriceTime()
        // The time `rebalance --due` judges at: the newest price, else the clock.
        let dueTime = latestPrice ?? store.clock()
        try refreshBook()
        let token = try store.indicesToken()
        if records?.token != token { records = (token, try store.indices()) }
        for idx in records?.list ?? [] {
            let slowPart = try loadSlow(idx)
            let v = try store.valuation(idx, positions: positions[idx.slug] ?? [:], book: book, at: nil)
            let next = try store.nextRebalance(idx)
            let band = idx.spec.rebalance.driftBand ?? 0
            let holdings = v.holdings.map { h in
                HoldingRow(
                    symbol: h.symbol, name: assets[h.symbol]?.name ?? "", sector: assets[h.symbol]?.sector ?? "",
                    quantity: h.quantity, price: h.price ?? 0, value: h.value, weight: h.weight, target: h.target,
                    drift: h.drift, change24h: h.change24h, signal: signals.badges[h.symbol], pnl: h.pnl)
            }
            let perf = slowPart.perf
            total += v.nav
            if let c = v.change24h { total24hAgo += v.nav / (1 + c) } else { known24h = false }
            indices.append(
                IndexSnapshot(
                    slug: idx.slug, name: idx.name, methodology: Self.summary(idx.spec), nav: v.nav,
                    navPerUnit: v.navPerUnit, change24h: v.change24h, maxDrift: v.maxDrift, driftBand: band,
                    rebalanceDue: try store.isDue(idx, at: dueTime, valuation: v), nextRebalance: next, cash: idx.cash,
                    holdings: holdings, navSeries: perf.series.map { SeriesPoint(time: $0.time, value: $0.value) },
                    btcSeries: perf.btcSeries.map { SeriesPoint(time: $0.time, value: $0.value) },
                    buyHoldSeries: perf.buyAndHoldSeries.map { SeriesPoint(time: $0.time, value: $0.value) },
                    metrics: Self.metrics(perf.figures), btcMetrics: perf.btc.map(Self.metrics),
                    buyHoldMetrics: perf.buyAndHold.map(Self.metrics), rebalances: slowPart.rebalances))
        }
        return DashboardSnapshot(
            time: 0, totalValue: total,
            totalChange24h: known24h && total24hAgo > 0 ? total / total24hAgo - 1 : nil,
            feed: FeedStatus(lastPriceTime: latestPrice), regime: signals.regime, indices: indices,
            signals: signals.rows)
    }

    static func summary(_ spec: IndexSpec) -> MethodologySummary {
        let universe: String
        switch spec.universe {
        case .symbols(let s): universe = s.count <= 4 ? s.joined(separator: ",") : "\(s.count) tokens"
        case .top(let n): universe = "universe top \(n)"
        case .sector(let s): universe = "sector \(s)"
        }
        let r = spec.rebalance
        var schedule = r.schedule.rawValue
        let days = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        if r.schedule == .weekly { schedule += " \(days[r.weekday])" }
        if r.schedule != .none { schedule += String(format: " %02d:00", r.hourUTC) }
        if let b = r.driftBand { schedule += String(format: " ±%.0f%%", b * 100) }
        var type = spec.methodology.kind.rawValue
        if let top = spec.methodology.top { type += " top \(top)" }
        return MethodologySummary(
            type: type, cap: spec.methodology.cap, universe: universe, schedule: schedule, feesBps: spec.feesBps,
            slippageBps: spec.slippageBps)
    }

    static func metrics(_ f: PerformanceFigures) -> Metrics {
        Metrics(
            return24h: f.return24h, return7d: f.return7d, return30d: f.return30d, returnAll: f.returnAll,
            volatility: f.volatility, maxDrawdown: f.maxDrawdown, sharpe: f.sharpe, sortino: f.sortino)
    }

    /// Performance and history of `idx`, recomputed when its NAV history or rebalances changed.
    private func loadSlow(_ idx: IndexRecord) throws -> (
        key: [Int64], perf: PerformanceReport, rebalances: [RebalanceRow]
    ) {
        let key = try store.changeToken(idx) + [Int64(idx.cash.bitPattern), Int64(idx.units.bitPattern)]
        if let hit = slow[idx.slug], hit.key == key { return hit }
        positions[idx.slug] = try store.positions(idx.id)
        let perf = try store.performance(idx.slug)
        let rebalances = try store.history(idx.slug, limit: 200).map { r in
            RebalanceRow(
                id: r.id, time: r.time, trigger: r.trigger, status: r.status, navBefore: r.navBefore,
                navAfter: r.navAfter, turnover: r.turnover, fees: r.fees, slippage: r.slippage, reason: r.reason,
                trades: r.trades.map {
                    TradeRow(
                        symbol: $0.symbol, side: $0.side, quantity: $0.quantity, price: $0.price,
                        notional: $0.notional, fee: $0.fee, slippage: $0.slippage)
                })
        }
        let entry = (key, perf, rebalances)
        slow[idx.slug] = entry
        return entry
    }

    /// Latest stored signals (imported ones take precedence) and the stored regime.
    private func loadSignals() throws -> (rows: [SignalRow], badges: [String: SignalBadge], regime: Regime?) {
        let key = try store.signalsVersion()
        if let c = signalCache, c.key == key { return (c.rows, c.badges, c.regime) }
        let list = try store.storedSignals().values.sorted { $0.symbol < $1.symbol }.map { s in
            SignalRow(
                symbol: s.symbol, label: SignalLabel(parsing: s.label) ?? .neutral, score: s.score,
                conviction: abs(s.score), rsi: s.indicators["rsi14"],
                macdHist: s.indicators["macd_hist"], roc7: s.indicators["roc7"], roc30: s.indicators["roc30"],
                votes: s.votes.map { Vote(rule: $0.text, vote: $0.vote) },
                source: s.source == "rating" ? "computed" : s.source)
        }
        var badges: [String: SignalBadge] = [:]
        for r in list { badges[r.symbol] = SignalBadge(label: r.label, score: r.score, conviction: r.conviction) }
        let regime = try store.storedRegime().flatMap { r in
            RiskLevel(rawValue: r.risk).map { Regime(risk: $0, breadth: r.breadth, btcTrend: r.btcTrend) }
        }
        signalCache = (key, list, badges, regime)
        return (list, badges, regime)
    }

    /// Key metadata (no passphrase needed) and the audit tail, re-read every 5 s.
    private func loadVault() -> (keys: [KeyRow]?, audit: [AuditRow], chain: String?) {
        let t = Date().timeIntervalSince1970
        if let c = vaultCache, t - c.time < 5 { return (c.keys, c.audit, c.chain) }
        var keys: [KeyRow]?
        var chain: String?
        do {
            if let infos = try VaultMetadata.read(env: env) {
                keys = infos.map { k in
                    KeyRow(
                        id: k.id, provider: k.provider, env: k.env, scope: k.scope, state: k.state.name,
                        expires: Int64(k.expires.timeIntervalSince1970),
                        lastUsed: k.lastUsed.map { Int64($0.timeIntervalSince1970) }, masked: k.masked ?? "****")
                }
                chain = "locked (verify: indextop audit verify)"
            }
        } catch {
            keys = []
            chain = "vault unreadable: \(error)"
        }
        let audit = AuditLog.tail(env: env, count: 20).reversed().map {
            AuditRow(
                time: Int64($0.time.timeIntervalSince1970), actor: $0.actor, action: $0.action, keyId: $0.keyId,
                result: $0.result)
        }
        vaultCache = (t, keys, audit, chain)
        return (keys, audit, chain)
    }

    public func planRebalance(slug: String) throws -> RebalancePreview {
        try Self.preview(store.planRebalance(slug, trigger: .manual), name: store.index(slug).name)
    }

    public func planRebalanceInBackground(
        slug: String, completion: @escaping @Sendable (Result<RebalancePreview, any Error>) -> Void
    ) {
        let worker = planner
        worker.queue.async { completion(Result { try worker.plan(slug) }) }
    }

    static func preview(_ p: StoredPlan, name: String) -> RebalancePreview {
        RebalancePreview(
            slug: p.slug, name: name, trigger: p.trigger.rawValue, navBefore: p.plan.navBefore,
            navAfter: p.plan.navAfter, turnover: p.plan.turnover, fees: p.plan.fees, slippage: p.plan.slippage,
            cashAfter: p.plan.cashAfter,
            trades: p.plan.trades.map {
                TradeRow(
                    symbol: $0.symbol, side: $0.side, quantity: $0.quantity, price: $0.price, notional: $0.notional,
                    fee: $0.fee, slippage: $0.slippage)
            },
            weights: p.plan.weights.map {
                WeightRow(symbol: $0.symbol, before: $0.before, target: $0.target, after: $0.after)
            },
            skipped: p.plan.skipped.map { SkippedRow(symbol: $0.symbol, notional: $0.notional, reason: $0.reason) },
            pricesTime: p.pricesTime)
    }

    public func applyRebalance(_ preview: RebalancePreview) throws -> ApplyOutcome {
        var vault: UnlockedVault?
        if VaultLocation.standard(env: env).vaultExists {
            vault = try Terminal.suspended {
                if case .prompt = passphrase {
                    FileHandle.standardError.write(
                        Data("\nApplying a rebalance of \(preview.slug) needs the vault passphrase.\n".utf8))
                }
                return try UnlockedVault.unlock(env: env, passphrase: passphrase)
            }
            try vault?.audit(
                action: "rebalance.apply.confirm", keyId: nil, result: "ok",
                detail: ["index": preview.slug, "by": "dashboard"])
        }
        // Planned again on the planner's connection: applied only when it is the plan the user confirmed.
        let worker = planner
        let r: RebalanceRecord
        switch try worker.queue.sync(execute: { try worker.applyAsPreviewed(preview) }) {
        case .applied(let record): r = record
        case .changed(let next): return .changed(next)
        }
        try? vault?.audit(
            action: "rebalance.apply", keyId: nil, result: "ok",
            detail: [
                "index": r.indexSlug, "rebalance_id": String(r.id), "trades": String(r.trades.count),
                "turnover": String(format: "%.6f", r.turnover), "by": "dashboard",
            ])
        last = nil
        return .applied(id: r.id)
    }

}

/// A connection of its own, used only on its serial queue, for planning previews off the UI queue.
final class PlanWorker: @unchecked Sendable {
    let queue = DispatchQueue(label: "indextop.dashboard.plan", qos: .userInitiated)
    private let path: String
    private var store: PortfolioStore?

    init(path: String) { self.path = path }

    private func connection() throws -> PortfolioStore {
        dispatchPrecondition(condition: .onQueue(queue))
        if let store { return store }
        let s = try PortfolioStore(path: path, create: false)
        s.enableSignals()
        store = s
        return s
    }

    /// Plans a manual rebalance of `slug` (call on `queue`).
    func plan(_ slug: String) throws -> RebalancePreview {
        let s = try connection()
        return StoreBackend.preview(try s.planRebalance(slug, trigger: .manual), name: try s.index(slug).name)
    }

    /// What `applyAsPreviewed` did.
    enum Outcome {
        case applied(RebalanceRecord)
        case changed(RebalancePreview)
    }

    /// Plans again at the latest prices and holdings: applies that plan when it is exactly the preview
    /// the user confirmed (every trade, weight and cost equal), else applies nothing and returns the new
    /// plan for the user to confirm. The store refuses it still if a write lands in between. Call on `queue`.
    func applyAsPreviewed(_ preview: RebalancePreview) throws -> Outcome {
        let s = try connection()
        let plan = try s.planRebalance(preview.slug, trigger: .manual)
        let fresh = StoreBackend.preview(plan, name: try s.index(preview.slug).name)
        guard fresh == preview else { return .changed(fresh) }
        return .applied(try s.apply(plan, reason: "manual rebalance from the dashboard"))
    }
}
