import Foundation
import IndexCore
import SQLiteKit

/// The schedule of the live path (DESIGN §4–§6): what is due for an index and applying it. The decisions
/// are IndexCore's pure functions (`ScheduleClock.dueTrigger`, `nextRebalance`, `nextDCA`, `drifted`), the
/// same the backtest engine calls; this file only reads their inputs from the store.
extension PortfolioStore {
    /// Walks time from `from` to `to` in `step`s, applying every due rebalance and DCA deposit on each
    /// step through the live path, and recording a NAV point per index per step (the reference the
    /// backtest engine is checked against).
    public func replay(from: Int64, to: Int64, step: Int64, slugs: [String]? = nil) throws {
        var t = from
        while t <= to {
            for idx in try indices() where slugs?.contains(idx.slug) ?? true {
                try runDue(idx.slug, at: t, checkStale: false)
                try recordNAV(index(idx.slug), at: t)
            }
            t += step
        }
    }

    /// Applies what is due for `slug` at `time`: a DCA deposit, then a scheduled, risk-off or drift
    /// rebalance. Returns what was applied; `applied` also sees each plan with its record (the plan alone
    /// knows the trades skipped under the minimum trade).
    @discardableResult
    public func runDue(
        _ slug: String, at time: Int64, checkStale: Bool = true,
        applied: (StoredPlan, RebalanceRecord) -> Void = { _, _ in }
    ) throws -> [RebalanceRecord] {
        var done: [RebalanceRecord] = []
        var idx = try index(slug)
        if let next = try nextDCA(idx), next <= time, let dca = idx.spec.dca {
            var plan = try planDeposit(slug, amount: dca.amount, at: time)
            plan.flowKind = "dca"
            done.append(
                try apply(plan, reason: "DCA \(dca.schedule.rawValue) deposit of \(dca.amount)", checkStale: checkStale)
            )
            applied(plan, done[done.count - 1])
            idx = try index(slug)
        }
        if let trigger = try dueTrigger(idx, at: time) {
            let plan = try planRebalance(slug, trigger: trigger, at: time)
            if plan.plan.trades.isEmpty && trigger == .scheduled {
                // Nothing to trade: remember the check so the schedule moves on, without a history row.
                try setSetting("checked:\(slug)", String(time))
                return done
            }
            let risk = trigger == .riskOff ? try regimeInForce(idx.spec, at: time) : nil
            done.append(
                try apply(
                    plan, reason: ScheduleClock.reason(trigger, spec: idx.spec, risk: risk), checkStale: checkStale))
            applied(plan, done[done.count - 1])
        }
        return done
    }

    /// When `index` next rebalances on its schedule (nil for `none`).
    public func nextRebalance(_ index: IndexRecord) throws -> Int64? {
        ScheduleClock.nextRebalance(
            lastFull: try lastRebalanceTime(index, triggers: Self.fullTriggers), created: index.created,
            checked: try setting("checked:\(index.slug)").flatMap { Int64($0) }, rule: index.spec.rebalance)
    }

    /// Why `index` needs a rebalance at `time` (scheduled first, then a regime change, then drift), or nil.
    /// - Parameter valuation: `index` valued at `time`, when the caller has it (else it is computed).
    public func dueTrigger(_ index: IndexRecord, at time: Int64, valuation known: IndexValuation? = nil) throws
        -> RebalanceTrigger?
    {
        try ScheduleClock.dueTrigger(
            nextScheduled: nextRebalance(index), at: time, regimeChanged: regimeChanged(index, at: time)
        ) {
            let v = try known ?? valuation(index, at: time)
            return ScheduleClock.drifted(
                weights: v.holdings.map(\.weight), targets: v.holdings.map(\.target), rule: index.spec.rebalance)
        }
    }

    /// When the spec's DCA plan next deposits (nil without a plan).
    public func nextDCA(_ index: IndexRecord) throws -> Int64? {
        guard index.spec.dca != nil else { return nil }
        let last = try db.scalarInt(
            "SELECT MAX(time) FROM cash_flows WHERE index_id = ? AND kind = 'dca'", [index.id])
        return ScheduleClock.nextDCA(lastDCA: last, created: index.created, spec: index.spec)
    }

    /// True when a signal index's regime in force changed since its last rebalance.
    func regimeChanged(_ index: IndexRecord, at time: Int64) throws -> Bool {
        guard index.spec.methodology.kind == .signal, signalTargets != nil,
            let last = try lastRebalanceTime(index, triggers: Self.fullTriggers)
        else { return false }
        return try regimeInForce(index.spec, at: last) != regimeInForce(index.spec, at: time)
    }

    /// The risk level in force for `spec` at `time` (what its risk-off share and triggers use): the regime
    /// over the index's own universe, a change taking effect only after `risk_off.confirm_days`
    /// consecutive daily closes (DESIGN §5).
    public func regimeInForce(_ spec: IndexSpec, at time: Int64) throws -> RiskLevel {
        let cache = try currentSignalCache()
        let assets = try assetMap()
        let days = spec.methodology.kind == .signal ? spec.methodology.confirmDays : 1
        return try Regime.confirmed(day: Int(UTCCalendar.dayNumber(time)), confirmDays: days) { d in
            try regime(spec, day: d, cache: cache, assets: assets).risk
        }
    }

    /// The regime of one UTC day over `spec`'s own universe (its non-stablecoin members; a `top` universe
    /// ranked by that day's market caps): breadth of its labels (imported ones first), BTC's trend.
    public func regime(_ spec: IndexSpec, day: Int, cache: SignalCache, assets: [String: Asset]) throws -> Regime {
        let imported = try importedLabels(day: Int64(day))
        var labels: [SignalLabel] = []
        for symbol in regimeMembers(spec, day: day, cache: cache, assets: assets) {
            if let label = imported[symbol] {
                labels.append(label)
            } else if let s = cache.signal(symbol, day: day), day - s.day <= 3 {
                labels.append(s.rating.label)
            }
        }
        let btc = cache.signal("BTC", day: day).flatMap { day - $0.day <= 3 ? $0.indicators : nil }
        return Regime.assess(labels: labels, btc: btc)
    }

    /// The non-stablecoin members of `spec`'s universe on `day`, sorted.
    func regimeMembers(_ spec: IndexSpec, day: Int, cache: SignalCache, assets: [String: Asset]) -> [String] {
        let all = cache.candles.keys.filter { assets[$0].map { !$0.isStablecoin } ?? !cache.stablecoins.contains($0) }
        switch spec.universe {
        case .symbols(let list): return list.filter { !(assets[$0]?.isStablecoin ?? false) }.sorted()
        case .sector(let sector):
            return all.filter { assets[$0]?.sector.caseInsensitiveCompare(sector) == .orderedSame }.sorted()
        case .top(let n):
            let caps = all.compactMap { s -> (String, Double)? in
                guard let i = cache.index(s, day: day), let c = cache.candles[s]?[i].marketCap, c > 0 else {
                    return nil
                }
                return (s, c)
            }
            return caps.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(n).map(\.0).sorted()
        }
    }
}
