import Dispatch
import Foundation
import IndexCore
import PortfolioStore
import TerminalUI
import Vault

/// The dashboard's data from the SQLite store (its own read-only connection, WAL), the vault's public
/// metadata and the feed's status. Writes (applies) go to the process's ``StoreWriter``. Cheap parts (valuations) are read every refresh; heavy parts
/// (performance series, history, signals, keys) only when what they depend on changed.
public final class StoreBackend: DashboardBackend {
    private let store: PortfolioStore
    private let env: String
    private let passphrase: PassphraseSource
    /// The feed's status, read each refresh (from the feed runner).
    public var feedStatus: () -> FeedStatus
    /// Histories computed in place (no ``HistoryLoader``).
    private var slow: [String: IndexHistory] = [:]
    /// Computes histories off the UI queue; nil: in place (`snapshot`).
    private let history: HistoryLoader?
    private var signalCache: (key: [Int64], rows: [SignalRow], badges: [String: SignalBadge], regime: Regime?)?
    private var vaultCache: (time: Double, keys: [KeyRow]?, audit: [AuditRow], chain: String?)?
    private var last: (version: Int64, histories: Int, feed: FeedStatus, snapshot: DashboardSnapshot)?
    private var assets: [String: Asset] = [:]
    /// Plans previews on its own queue and connection, so the UI never waits for a signal cache to load.
    private let planner: PlanWorker

    /// The process's writer; nil for a read-only backend (`snapshot`), which refuses to apply.
    let writer: StoreWriter?

    /// Opens the store at `path` read-only for the dashboard; applies go through `writer` (nil: refused).
    /// `historyInBackground` computes the performance and history off the calling queue (the live
    /// dashboard); false computes them in place (`snapshot`, which needs them in its one frame).
    public init(
        path: String, writer: StoreWriter?, env: String, passphrase: PassphraseSource,
        historyInBackground: Bool = true, feedStatus: @escaping () -> FeedStatus
    ) throws {
        store = try PortfolioStore(path: path, create: false, readOnly: true)
        self.writer = writer
        history = historyInBackground ? HistoryLoader(path: path) : nil
        planner = PlanWorker(path: path)
        self.env = env
        self.passphrase = passphrase
        self.feedStatus = feedStatus
    }

    public func loadSnapshot() throws -> DashboardSnapshot {
        let version = try store.dataVersion()
        let feed = feedStatus()
        let histories = history?.generation ?? 0
        let now = Int64(Date().timeIntervalSince1970)
        if let last, last.version == version, last.histories == histories, last.feed == feed,
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
            let past = try loadHistory(idx)
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
            total += v.nav
            if let c = v.change24h { total24hAgo += v.nav / (1 + c) } else { known24h = false }
            indices.append(
                IndexSnapshot(
                    slug: idx.slug, name: idx.name, methodology: Self.summary(idx.spec), nav: v.nav,
                    navPerUnit: v.navPerUnit, change24h: v.change24h, maxDrift: v.maxDrift, driftBand: band,
                    rebalanceDue: due, nextRebalance: next, cash: idx.cash, holdings: holdings,
                    navSeries: past?.navSeries ?? [], btcSeries: past?.btcSeries ?? [],
                    buyHoldSeries: past?.buyHoldSeries ?? [], metrics: past?.metrics ?? Metrics(),
                    btcMetrics: past?.btcMetrics, buyHoldMetrics: past?.buyHoldMetrics,
                    rebalances: past?.rebalances ?? []))
        }
        let vault = loadVault()
        var f = feed
        if f.lastPriceTime == nil { f.lastPriceTime = try store.latestPriceTime() }
        var snapshot = DashboardSnapshot(
            time: now, totalValue: total,
            totalChange24h: known24h && total24hAgo > 0 ? total / total24hAgo - 1 : nil, feed: f,
            regime: signals.regime, indices: indices, signals: signals.rows, keys: vault.keys, audit: vault.audit,
            chainStatus: vault.chain)
        snapshot.alerts = try store.alerts().map(AlertRow.init)
        last = (version, histories, feed, snapshot)
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

    /// Performance and history of `idx`, recomputed when its NAV history or rebalances changed: off the UI
    /// queue for the live dashboard (the previous history is shown meanwhile), in place for `snapshot`.
    private func loadHistory(_ idx: IndexRecord) throws -> IndexHistory? {
        let key = try store.historyKey(idx) + [idx.id]
        if let history { return history.history(idx, key: key) }
        if let hit = slow[idx.slug], hit.key == key { return hit }
        let entry = try IndexHistory.load(idx, key: key, from: store)
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
                        id: k.id, provider: k.provider, env: k.env, scope: k.scope, state: k.displayState,
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
            slug: p.slug, name: name, trigger: "manual", navBefore: p.plan.navBefore, navAfter: p.plan.navAfter,
            turnover: p.plan.turnover, fees: p.plan.fees, slippage: p.plan.slippage, cashAfter: p.plan.cashAfter,
            trades: p.plan.trades.map {
                TradeRow(
                    symbol: $0.symbol, side: $0.side.rawValue, quantity: $0.quantity, price: $0.price,
                    notional: $0.notional, fee: $0.fee)
            }, pricesTime: p.pricesTime)
    }

    public func applyRebalance(_ preview: RebalancePreview) throws {
        let source = try passphraseForApply(preview)
        try planner.queue.sync {
            try self.planner.apply(preview, writer: requireWriter(), env: env, passphrase: source)
        }
    }

    public func applyRebalanceInBackground(
        _ preview: RebalancePreview, completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        // Only a prompt needs the UI queue (terminal suspended); the KDF, the re-plan and the write do not.
        let source: PassphraseSource
        let writer: StoreWriter
        do {
            source = try passphraseForApply(preview)
            writer = try requireWriter()
        } catch {
            completion(.failure(error))
            return
        }
        let worker = planner
        let env = self.env
        worker.queue.async {
            completion(Result { try worker.apply(preview, writer: writer, env: env, passphrase: source) })
        }
    }

    private func requireWriter() throws -> StoreWriter {
        guard let writer else { throw StoreError("read-only dashboard: rebalances cannot be applied here") }
        return writer
    }

    /// The passphrase source for the step-up: a prompt is read now, with the terminal suspended, so the
    /// unlock can run off the UI queue.
    private func passphraseForApply(_ preview: RebalancePreview) throws -> PassphraseSource {
        guard case .prompt = passphrase,
            let protecting = try StepUp.protectingEnvironment(bound: store.vaultBinding(), current: env)
        else { return passphrase }
        let secret = try Terminal.suspended {
            FileHandle.standardError.write(
                Data("\nApplying a rebalance of \(preview.slug) needs the \(protecting) vault passphrase.\n".utf8))
            return try passphrase.read()
        }
        return .secret(secret)
    }
}

/// The vault audit of applied rebalances: one entry per record, by the path that applied it.
public enum RebalanceAudit {
    /// Appends `rebalance.apply` for `r` to `vault`'s chain (`by`: `cli`, `dashboard`, `auto`).
    public static func record(_ r: RebalanceRecord, in vault: UnlockedVault, by: String) {
        try? vault.audit(
            action: "rebalance.apply", keyId: nil, result: "ok",
            detail: [
                "index": r.indexSlug, "rebalance_id": String(r.id), "trigger": r.trigger,
                "trades": String(r.trades.count), "by": by,
                "turnover": String(format: "%.6f", r.turnover), "nav_after": String(format: "%.2f", r.navAfter),
            ])
    }
}

/// A read-only connection of its own, used only on its serial queue, for planning previews off the UI
/// queue; it remembers the plan behind each preview so the apply confirms exactly that plan.
final class PlanWorker: @unchecked Sendable {
    let queue = DispatchQueue(label: "indextop.dashboard.plan", qos: .userInitiated)
    private let path: String
    private var store: PortfolioStore?
    /// The plan behind the last preview of each index (on `queue`).
    private var previewed: [String: StoredPlan] = [:]

    init(path: String) { self.path = path }

    private func connection() throws -> PortfolioStore {
        dispatchPrecondition(condition: .onQueue(queue))
        if let store { return store }
        let s = try PortfolioStore(path: path, create: false, readOnly: true)
        store = s
        return s
    }

    /// Plans a manual rebalance of `slug` (call on `queue`).
    func plan(_ slug: String) throws -> RebalancePreview {
        let s = try connection()
        let plan = try s.planRebalance(slug, trigger: .manual)
        previewed[slug] = plan
        return StoreBackend.preview(plan, name: try s.index(slug).name)
    }

    /// Unlocks the vault when there is one (audited), then applies the plan behind `preview` through the
    /// writer's one apply path (re-planned once if it went stale, refused beyond the confirmation) and
    /// audits the record. Call on `queue`.
    func apply(_ preview: RebalancePreview, writer: StoreWriter, env: String, passphrase: PassphraseSource) throws {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let confirmed = previewed[preview.slug], confirmed.pricesTime == preview.pricesTime,
            confirmed.plan.trades.count == preview.trades.count
        else { throw StoreError("stale plan: the preview is not the last one planned; press r to preview again") }
        var vault: UnlockedVault?
        // The vault bound to this database confirms, whatever --env says (DESIGN §9, "The step-up").
        let bound = try writer.perform { try $0.vaultBinding() }
        if let protecting = try StepUp.protectingEnvironment(bound: bound, current: env) {
            vault = try UnlockedVault.unlock(env: protecting, passphrase: passphrase)
            _ = try writer.perform { try $0.bindVault(env: protecting) }
            try vault?.audit(
                action: "rebalance.apply.confirm", keyId: nil, result: "ok",
                detail: ["index": preview.slug, "by": "dashboard", "env": env])
        }
        let unlocked = vault
        try writer.perform { store in
            let automatic = store.onApplied
            store.onApplied = { r in if let unlocked { RebalanceAudit.record(r, in: unlocked, by: "dashboard") } }
            defer { store.onApplied = automatic }
            _ = try store.applyConfirmed(confirmed, reason: "manual rebalance from the dashboard")
        }
        previewed[preview.slug] = nil
    }
}
