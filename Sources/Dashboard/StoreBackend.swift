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
    private var signalCache: (key: [Int64], rows: [SignalRow], badges: [String: SignalBadge], regime: Regime?)?
    private var vaultCache: (time: Double, keys: [KeyRow]?, audit: [AuditRow], chain: String?)?
    private var last: (version: Int64, feed: FeedStatus, snapshot: DashboardSnapshot)?
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

    public func loadSnapshot() throws -> DashboardSnapshot {
        let version = try store.db.scalarInt("PRAGMA data_version") ?? 0
        let feed = feedStatus()
        let now = Int64(Date().timeIntervalSince1970)
        if let last, last.version == version, last.feed == feed,
            vaultCache.map({ Date().timeIntervalSince1970 - $0.time < 5 }) ?? false
        {
            var s = last.snapshot
            s.time = now
            return s
        }
        if assets.isEmpty { assets = try store.assetMap() }
        let signals = try loadSignals()
        var indices: [IndexSnapshot] = []
        var total = 0.0
        var total24hAgo = 0.0
        var known24h = true
        for idx in try store.indices() {
            let v = try store.valuation(idx)
            let slowPart = try loadSlow(idx)
            let next = try store.nextRebalance(idx)
            let band = idx.spec.rebalance.driftBand ?? 0
            var due = next.map { $0 <= v.time } ?? false
            if band > 0, v.maxDrift > band { due = true }
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
                    rebalanceDue: due, nextRebalance: next, cash: idx.cash, holdings: holdings,
                    navSeries: perf.series.map { SeriesPoint(time: $0.time, value: $0.value) },
                    btcSeries: perf.btcSeries.map { SeriesPoint(time: $0.time, value: $0.value) },
                    buyHoldSeries: perf.buyAndHoldSeries.map { SeriesPoint(time: $0.time, value: $0.value) },
                    metrics: Self.metrics(perf.figures), btcMetrics: perf.btc.map(Self.metrics),
                    buyHoldMetrics: perf.buyAndHold.map(Self.metrics), rebalances: slowPart.rebalances))
            indices[indices.count - 1].tracked = idx.kind == .tracked
        }
        let vault = loadVault()
        var f = feed
        if f.lastPriceTime == nil { f.lastPriceTime = try store.latestPriceTime() }
        let snapshot = DashboardSnapshot(
            time: now, totalValue: total,
            totalChange24h: known24h && total24hAgo > 0 ? total / total24hAgo - 1 : nil, feed: f,
            regime: signals.regime, indices: indices, signals: signals.rows, keys: vault.keys, audit: vault.audit,
            chainStatus: vault.chain)
        last = (version, feed, snapshot)
        return snapshot
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
        let key = [
            try store.db.scalarInt("SELECT COUNT(*) FROM rebalances WHERE index_id = ?", [idx.id]) ?? 0,
            // A tracked index's plan turns `executed` without a new row (its fills).
            try store.db.scalarInt(
                "SELECT COUNT(*) FROM rebalances WHERE index_id = ? AND status = 'executed'", [idx.id]) ?? 0,
            try store.db.scalarInt("SELECT MAX(time) FROM index_values WHERE index_id = ?", [idx.id]) ?? 0,
            idx.id,
        ]
        if let hit = slow[idx.slug], hit.key == key { return hit }
        let perf = try store.performance(idx.slug)
        let rebalances = try store.history(idx.slug, limit: 200).map { r in
            var row = RebalanceRow(
                id: r.id, time: r.time, trigger: r.trigger, status: r.status, navBefore: r.navBefore,
                navAfter: r.navAfter, turnover: r.turnover, fees: r.fees + r.slippage, reason: r.reason,
                trades: r.trades.map {
                    TradeRow(
                        symbol: $0.symbol, side: $0.side.rawValue, quantity: $0.quantity, price: $0.price,
                        notional: $0.notional, fee: $0.fee)
                })
            if r.status == "executed" { row.execution = try store.execution(r.id).map(Self.execution) }
            return row
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
                symbol: s.symbol, label: s.label, score: s.score, conviction: abs(s.score), rsi: s.indicators["rsi14"],
                macdHist: s.indicators["macd_hist"], roc7: s.indicators["roc7"], roc30: s.indicators["roc30"],
                votes: s.votes.map { Vote(rule: $0.text, vote: $0.vote) },
                source: s.source == "rating" ? "computed" : s.source)
        }
        var badges: [String: SignalBadge] = [:]
        for r in list { badges[r.symbol] = SignalBadge(label: r.label, score: r.score, conviction: r.conviction) }
        let regime = try store.storedRegime().map { Regime(risk: $0.risk, breadth: $0.breadth, btcTrend: $0.btcTrend) }
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

    /// A tracked holding's correction, recorded as an adjustment trade on this connection.
    public func adjustHolding(_ a: HoldingAdjustment) throws {
        try store.adjustHolding(
            a.slug, symbol: a.symbol, quantity: a.quantity, costBasis: a.costBasis, reason: a.reason)
        last = nil
    }

    static func execution(_ e: ExecutionReport) -> ExecutionSummary {
        ExecutionSummary(
            shortfall: e.shortfall, shortfallBp: e.shortfallBp,
            fills: e.fills.map {
                ExecutionSummary.Fill(
                    symbol: $0.symbol, side: $0.side.rawValue, plannedPrice: $0.plannedPrice, quantity: $0.quantity,
                    price: $0.price, shortfall: $0.shortfall, shortfallBp: $0.shortfallBp)
            })
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
            slug: p.slug, name: name, trigger: "manual", navBefore: p.plan.navBefore, navAfter: p.plan.navAfter,
            turnover: p.plan.turnover, fees: p.plan.fees, slippage: p.plan.slippage, cashAfter: p.plan.cashAfter,
            trades: p.plan.trades.map {
                TradeRow(
                    symbol: $0.symbol, side: $0.side.rawValue, quantity: $0.quantity, price: $0.price,
                    notional: $0.notional, fee: $0.fee)
            }, pricesTime: p.pricesTime)
    }

    public func applyRebalance(_ preview: RebalancePreview) throws {
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
        // Re-planned at the latest prices on the planner's connection (its candle cache is warm), compared
        // with what the user confirmed, and applied at once.
        let worker = planner
        let r = try worker.queue.sync { try worker.applyIfUnchanged(preview) }
        try? vault?.audit(
            action: "rebalance.apply", keyId: nil, result: "ok",
            detail: [
                "index": r.indexSlug, "rebalance_id": String(r.id), "trades": String(r.trades.count),
                "turnover": String(format: "%.6f", r.turnover), "by": "dashboard",
            ])
        last = nil
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

    /// Plans again at the latest prices and applies the fresh plan when it is materially the trades the
    /// user confirmed: same symbols and sides, each notional within 1 % or the minimum trade (live prices
    /// move between the preview and `y`). Otherwise refuses it as stale. Call on `queue`.
    func applyIfUnchanged(_ preview: RebalancePreview) throws -> RebalanceRecord {
        let s = try connection()
        let plan = try s.planRebalance(preview.slug, trigger: .manual)
        let minTrade = try s.index(preview.slug).spec.minTrade
        let before = Dictionary(preview.trades.map { ("\($0.symbol)/\($0.side)", $0.notional) }, uniquingKeysWith: +)
        let after = Dictionary(
            plan.plan.trades.map { ("\($0.symbol)/\($0.side.rawValue)", $0.notional) }, uniquingKeysWith: +)
        let same =
            Set(before.keys) == Set(after.keys)
            && before.allSatisfy { k, n in abs((after[k] ?? 0) - n) <= max(0.01 * n, minTrade) }
        guard same else {
            throw StoreError("stale plan: prices or holdings changed since the preview; press r to preview again")
        }
        return try s.apply(plan, reason: "manual rebalance from the dashboard")
    }
}
