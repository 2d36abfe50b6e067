import IndexCore
import SQLiteKit

/// A rebalance applied through ``PortfolioStore/applyConfirmed(_:reason:)``.
public struct AppliedRebalance: Sendable {
    /// What was recorded.
    public var record: RebalanceRecord
    /// The plan applied: the one confirmed, or its re-plan at newer prices.
    public var plan: StoredPlan
    /// True when the confirmed plan had gone stale and was planned again before applying.
    public var replanned: Bool
}

extension PortfolioStore {
    /// The one path of a confirmed manual rebalance (CLI `--apply`, the dashboard's `y`): applies `confirmed`
    /// when it still matches the stored prices and holdings; when a live feed moved them meanwhile, plans
    /// it once more at the latest prices and applies the new plan if it is materially what the user
    /// confirmed (``materiallySame(_:_:minTrade:)``), else refuses it as stale. Staleness is checked once,
    /// inside the same transaction as the writes, so nothing can change between the check and the apply;
    /// ``onApplied`` (the audit trail) sees the record once, after the commit.
    /// - Throws: `StoreError` (stale plan beyond the confirmation, unknown index), planner errors.
    public func applyConfirmed(_ confirmed: StoredPlan, reason: String) throws -> AppliedRebalance {
        try db.transaction {
            do {
                return AppliedRebalance(record: try apply(confirmed, reason: reason), plan: confirmed, replanned: false)
            } catch let e as StoreError where e.isStalePlan {
                let fresh = try planRebalance(confirmed.slug, trigger: confirmed.trigger, noSell: confirmed.noSell)
                let minTrade = try index(confirmed.slug).spec.minTrade
                guard Self.materiallySame(confirmed, fresh, minTrade: minTrade) else {
                    throw StoreError(
                        stale:
                            "stale plan for '\(confirmed.slug)': prices or holdings changed beyond the confirmed trades; preview it again"
                    )
                }
                let record = try apply(fresh, reason: reason)
                return AppliedRebalance(record: record, plan: fresh, replanned: true)
            }
        }
    }

    /// True when `fresh` trades what `confirmed` did: the same symbols and sides, each notional within 1 %
    /// or the minimum trade (live prices move between a preview and its confirmation).
    public static func materiallySame(_ confirmed: StoredPlan, _ fresh: StoredPlan, minTrade: Double) -> Bool {
        func notionals(_ p: StoredPlan) -> [String: Double] {
            Dictionary(p.plan.trades.map { ("\($0.symbol)/\($0.side.rawValue)", $0.notional) }, uniquingKeysWith: +)
        }
        let before = notionals(confirmed)
        let after = notionals(fresh)
        return Set(before.keys) == Set(after.keys)
            && before.allSatisfy { key, n in abs((after[key] ?? 0) - n) <= max(0.01 * n, minTrade) }
    }
}
