import Foundation
import IndexCore
import SQLiteKit

/// One planned trade of a rebalance and what was really executed for it.
public struct FillRecord: Sendable, Equatable {
    public var symbol: String
    public var side: TradeSide
    public var plannedQuantity: Double
    /// The planned (limit) price: the latest price when the rebalance was planned.
    public var plannedPrice: Double
    /// Quantity filled (0 when nothing was).
    public var quantity: Double
    /// Volume-weighted fill price (base currency); the planned price when nothing was filled.
    public var price: Double
    /// Fees of the fills, valued in the base currency.
    public var fees: Double
    /// Implementation shortfall in money: (fill − planned price) × quantity for a buy, the opposite for a sell.
    public var shortfall: Double
    /// The shortfall in basis points of the planned notional of the filled quantity; nil when unfilled.
    public var shortfallBp: Double?
}

/// What the fills of a rebalance cost against its plan.
public struct ExecutionReport: Sendable, Equatable {
    public var rebalanceID: Int64
    public var fills: [FillRecord]
    /// Σ shortfall.
    public var shortfall: Double
    /// Σ shortfall / Σ planned notional of the filled quantities × 10 000; nil when nothing was filled.
    public var shortfallBp: Double?
}

/// An order to execute elsewhere (`rebalance SLUG --orders`).
public struct Order: Sendable, Equatable {
    public var symbol: String
    public var side: TradeSide
    public var quantity: Double
    /// The latest price when planned.
    public var limitPrice: Double
    public var notional: Double
}

extension PortfolioStore {
    /// Records `stored` for a tracked index as `planned`: the rebalance row, its trades (the orders) and
    /// weights; holdings, cash and units do not move until fills are recorded. Runs inside `apply`.
    func recordPlanned(_ stored: StoredPlan, index idx: IndexRecord, reason: String) throws -> RebalanceRecord {
        if stored.cashFlow != 0 {
            throw StoreError(
                "index '\(idx.slug)' is tracked: deposits and withdrawals are trades (`indextop trades import`)")
        }
        // The trades' prices are the latest prices (the orders' limits), not a simulated execution.
        let rid = try insertRebalance(stored, index: idx, status: "planned", reason: reason)
        let targetsJSON = try JSONSerialization.data(withJSONObject: stored.targets, options: [.sortedKeys])
        try db.run(
            "UPDATE indices SET targets = ? WHERE id = ?", [String(decoding: targetsJSON, as: UTF8.self), idx.id])
        return try rebalance(rid)
    }

    /// The newest rebalance of `slug` when it is `planned` (a newer plan supersedes an older one; once
    /// executed, there is none until the next is confirmed).
    public func latestPlanned(_ slug: String) throws -> RebalanceRecord? {
        let idx = try index(slug)
        guard
            let (id, status) = try db.queryOne(
                "SELECT id, status FROM rebalances WHERE index_id = ? ORDER BY time DESC, id DESC LIMIT 1", [idx.id],
                { ($0.int64(0), $0.string(1)) }), status == "planned"
        else { return nil }
        return try rebalance(id)
    }

    /// The orders of the newest planned rebalance of the tracked `slug`, else of a fresh plan (a preview:
    /// nothing is stored). Limit price = the latest price when planned.
    public func orders(_ slug: String) throws -> (rebalanceID: Int64?, orders: [Order]) {
        _ = try trackedIndex(slug, for: "orders")
        if let r = try latestPlanned(slug) {
            return (
                r.id,
                r.trades.map {
                    Order(
                        symbol: $0.symbol, side: $0.side, quantity: $0.quantity, limitPrice: $0.price,
                        notional: $0.notional)
                }
            )
        }
        let plan = try planRebalance(slug, trigger: .manual)
        return (
            nil,
            plan.plan.trades.map {
                Order(
                    symbol: $0.symbol, side: $0.side, quantity: $0.quantity, limitPrice: $0.price, notional: $0.notional
                )
            }
        )
    }

    /// Records `fills` (from `file`) against the newest planned rebalance of the tracked `slug`, in one
    /// transaction: the fills become trades (holdings move), the rebalance becomes `executed`, and the
    /// implementation shortfall per planned trade and in total is stored.
    /// - Throws: `InputError` for a fill whose symbol and side are not in the plan (and every import
    ///   error); `StoreError` when there is no planned rebalance. Nothing is stored then.
    @discardableResult
    public func recordFills(_ fills: [TradeLine], for slug: String, file: String) throws -> ExecutionReport {
        let idx = try trackedIndex(slug, for: "fills")
        guard let planned = try latestPlanned(slug) else {
            throw StoreError(
                "index '\(slug)': no planned rebalance (confirm one with `indextop rebalance \(slug) --apply`)")
        }
        var plannedBy: [String: TradeRecord] = [:]
        for t in planned.trades { plannedBy["\(t.symbol)/\(t.side.rawValue)"] = t }
        for f in fills where plannedBy["\(f.symbol)/\(f.side.rawValue)"] == nil {
            throw InputError(
                file: file, line: f.line, field: "symbol",
                "\(f.side.rawValue) \(f.symbol) is not in the planned rebalance \(planned.id)")
        }
        return try db.transaction {
            try importTrades(fills, into: slug, file: file, source: "fills", rebalanceID: planned.id)
            var fillsOut: [FillRecord] = []
            var total = 0.0
            var notional = 0.0
            for t in planned.trades {
                let rows = try db.query(
                    "SELECT quantity, price, fee_value FROM trades WHERE rebalance_id = ? AND symbol = ? AND side = ?",
                    [planned.id, t.symbol, t.side.rawValue]
                ) { ($0.double(0), $0.double(1), $0.double(2)) }
                let q = rows.reduce(0) { $0 + $1.0 }
                let paid = rows.reduce(0) { $0 + $1.0 * $1.1 }
                let fees = rows.reduce(0) { $0 + $1.2 }
                let vwap = q > 0 ? paid / q : t.price
                let sign = t.side == .buy ? 1.0 : -1.0
                let shortfall = sign * (vwap - t.price) * q
                let bp = q > 0 && t.price > 0 ? shortfall / (t.price * q) * 10_000 : nil
                total += shortfall
                notional += t.price * q
                fillsOut.append(
                    FillRecord(
                        symbol: t.symbol, side: t.side, plannedQuantity: t.quantity, plannedPrice: t.price, quantity: q,
                        price: vwap, fees: fees, shortfall: shortfall, shortfallBp: bp))
                try db.run(
                    """
                    INSERT INTO rebalance_fills(rebalance_id, symbol, side, planned_quantity, planned_price, quantity,
                        price, fees, shortfall, shortfall_bp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [planned.id, t.symbol, t.side.rawValue, t.quantity, t.price, q, vwap, fees, shortfall, bp])
            }
            let totalBp = notional > 0 ? total / notional * 10_000 : nil
            try db.run(
                "UPDATE rebalances SET status = 'executed', shortfall = ?, shortfall_bp = ? WHERE id = ?",
                [total, totalBp, planned.id])
            _ = idx
            return ExecutionReport(rebalanceID: planned.id, fills: fillsOut, shortfall: total, shortfallBp: totalBp)
        }
    }

    /// The recorded execution of rebalance `id`, nil when it has no fills recorded.
    public func execution(_ id: Int64) throws -> ExecutionReport? {
        guard
            let head = try db.queryOne(
                "SELECT shortfall, shortfall_bp FROM rebalances WHERE id = ? AND status = 'executed'", [id],
                { ($0.double(0), $0.optionalDouble(1)) })
        else { return nil }
        let fills = try db.query(
            """
            SELECT symbol, side, planned_quantity, planned_price, quantity, price, fees, shortfall, shortfall_bp
            FROM rebalance_fills WHERE rebalance_id = ? ORDER BY symbol, side
            """, [id]
        ) {
            FillRecord(
                symbol: $0.string(0), side: TradeSide(rawValue: $0.string(1)) ?? .buy, plannedQuantity: $0.double(2),
                plannedPrice: $0.double(3), quantity: $0.double(4), price: $0.double(5), fees: $0.double(6),
                shortfall: $0.double(7), shortfallBp: $0.optionalDouble(8))
        }
        return ExecutionReport(rebalanceID: id, fills: fills, shortfall: head.0, shortfallBp: head.1)
    }

    /// The differences between the holdings of `slug` and `balances` (symbol → quantity, e.g. an
    /// exchange's balances export), by symbol; a quantity within 1e-9 (relative) of the model's is equal.
    public func reconcile(_ slug: String, balances: [String: Double]) throws -> [(
        symbol: String, model: Double, file: Double
    )] {
        let idx = try index(slug)
        let held = try positions(idx.id).mapValues(\.quantity)
        var out: [(symbol: String, model: Double, file: Double)] = []
        for s in Set(held.keys).union(balances.keys).sorted() {
            let a = held[s] ?? 0
            let b = balances[s] ?? 0
            if abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-9) { out.append((s, a, b)) }
        }
        return out
    }
}
