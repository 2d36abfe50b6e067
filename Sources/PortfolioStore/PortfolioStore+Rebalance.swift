import Foundation
import IndexCore
import SQLiteKit

extension PortfolioStore {
    /// Plans a rebalance of `slug` at `time` (latest prices when nil) toward its methodology's targets.
    /// - Throws: `StoreError`, `MethodologyError` or `PlanError`.
    public func planRebalance(
        _ slug: String, trigger: RebalanceTrigger = .manual, at time: Int64? = nil, noSell: Bool = false
    ) throws -> StoredPlan {
        let idx = try index(slug)
        let t = try time ?? (latestPriceTime() ?? clock())
        let incumbents = Set(idx.targets.compactMap { $0.value > 0 ? $0.key : nil })
        let targets = try self.targets(for: idx.spec, at: t, incumbents: incumbents)
        var stored = try plan(idx, targets: targets, trigger: trigger, at: t, extraCash: 0, noSell: noSell)
        stored.noSell = noSell
        return stored
    }

    func plan(
        _ idx: IndexRecord, targets: [String: Double], trigger: RebalanceTrigger, at t: Int64, extraCash: Double,
        noSell: Bool
    ) throws -> StoredPlan {
        let pos = try positions(idx.id)
        var prices: [String: Double] = [:]
        var newest: Int64 = 0
        for s in Set(pos.keys).union(targets.keys) {
            guard let p = try price(s, atOrBefore: t) else {
                throw StoreError("index '\(idx.slug)': no price for \(s)")
            }
            prices[s] = p.price
            newest = max(newest, p.time)
        }
        let input = PlanInput(
            holdings: pos.mapValues(\.quantity), cash: idx.cash + extraCash, prices: prices, targets: targets,
            feeRate: idx.spec.feeRate, slippageRate: idx.spec.slippageRate, minTrade: idx.spec.minTrade,
            noSell: noSell)
        let plan = try RebalancePlanner.plan(input)
        var stored = StoredPlan(
            slug: idx.slug, trigger: trigger, time: t, plan: plan, prices: prices, pricesTime: newest,
            targets: targets)
        stored.holdingsBefore = input.holdings
        return stored
    }

    /// Applies `stored` in one transaction: holdings, cash, units, the rebalance row with its trades
    /// and weights, a cash flow when it carries one, and a NAV point.
    /// - Parameter checkStale: refuse the plan when prices, holdings or cash changed since it was computed.
    /// - Throws: `StoreError` ("stale plan") when it is out of date; nothing is written then.
    @discardableResult
    public func apply(_ stored: StoredPlan, reason: String = "", checkStale: Bool = true) throws -> RebalanceRecord {
        let record: RebalanceRecord = try db.transaction {
            let idx = try index(stored.slug)
            let pos = try positions(idx.id)
            if checkStale {
                for (s, p) in stored.prices {
                    let now = try price(s)?.price
                    if now != p {
                        throw StoreError(
                            stale:
                                "stale plan for '\(stored.slug)': the price of \(s) changed since it was computed; preview it again"
                        )
                    }
                }
                let expectedCash = stored.plan.cashBefore - max(0, stored.cashFlow)
                let held = pos.mapValues(\.quantity)
                let symbols = Set(held.keys).union(stored.holdingsBefore.keys)
                let moved = symbols.contains { s in
                    let a = held[s] ?? 0
                    let b = stored.holdingsBefore[s] ?? 0
                    return abs(a - b) > 1e-9 * max(abs(a), abs(b), 1e-12)
                }
                if abs(expectedCash - idx.cash) > 1e-6 * max(1, idx.cash) || moved {
                    throw StoreError(stale: "stale plan for '\(stored.slug)': holdings changed since it was computed")
                }
            }
            // A tracked index's confirmed rebalance is a set of orders to execute elsewhere (fills move it).
            if idx.kind == .tracked { return try recordPlanned(stored, index: idx, reason: reason) }
            var newPos = pos
            for t in stored.plan.trades {
                var p = newPos[t.symbol] ?? (0, 0)
                switch t.side {
                case .buy:
                    p.quantity += t.quantity
                    p.costBasis += t.notional + t.fee + t.slippage
                case .sell:
                    let frac = p.quantity > 0 ? min(1, t.quantity / p.quantity) : 1
                    p.costBasis -= p.costBasis * frac
                    p.quantity = max(0, p.quantity - t.quantity)
                }
                newPos[t.symbol] = p
            }
            try db.run("DELETE FROM holdings WHERE index_id = ?", [idx.id])
            for (s, p) in newPos.sorted(by: { $0.key < $1.key }) where p.quantity > 1e-15 {
                try db.run(
                    "INSERT INTO holdings(index_id, symbol, quantity, cost_basis) VALUES (?, ?, ?, ?)",
                    [idx.id, s, p.quantity, p.costBasis])
            }
            let units = max(0, idx.units + stored.unitsDelta)
            let targetsJSON = try JSONSerialization.data(withJSONObject: stored.targets, options: [.sortedKeys])
            try db.run(
                "UPDATE indices SET cash = ?, units = ?, targets = ? WHERE id = ?",
                [max(0, stored.plan.cashAfter), units, String(decoding: targetsJSON, as: UTF8.self), idx.id])
            if stored.cashFlow != 0 {
                let npu =
                    stored.plan.navBefore > 0 && idx.units > 0
                    ? (stored.plan.navBefore - max(0, stored.cashFlow)) / idx.units
                    : try valuation(idx, at: stored.time).navPerUnit
                try db.run(
                    "INSERT INTO cash_flows(index_id, time, amount, units, nav_per_unit, kind) VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        idx.id, stored.time, stored.cashFlow, stored.unitsDelta, npu,
                        stored.flowKind ?? stored.trigger.rawValue,
                    ])
            }
            let rid = try insertRebalance(stored, index: idx, status: "applied", reason: reason)
            try recordNAV(index(stored.slug), at: stored.time)
            let record = try rebalance(rid)
            // Audited once the outermost transaction commits (never for a rolled-back replay).
            if let onApplied { db.afterCommit { onApplied(record) } }
            return record
        }
        return record
    }

    /// The recorded rebalance `id` with its trades and weights.
    public func rebalance(_ id: Int64) throws -> RebalanceRecord {
        guard
            var r = try db.queryOne(
                """
                SELECT r.id, i.slug, r.time, r.trigger, r.status, r.nav_before, r.nav_after, r.turnover, r.fees,
                    r.slippage, r.cash_after, r.reason FROM rebalances r JOIN indices i ON i.id = r.index_id WHERE r.id = ?
                """, [id], Self.rebalanceRow)
        else { throw StoreError("no rebalance \(id)") }
        r.trades = try db.query(
            "SELECT symbol, side, quantity, price, notional, fee, slippage FROM rebalance_trades WHERE rebalance_id = ? ORDER BY rowid",
            [id]
        ) {
            TradeRecord(
                symbol: $0.string(0), side: TradeSide(rawValue: $0.string(1)) ?? .buy, quantity: $0.double(2),
                price: $0.double(3), notional: $0.double(4), fee: $0.double(5), slippage: $0.double(6))
        }
        r.weights = try db.query(
            "SELECT symbol, before, target, after FROM rebalance_weights WHERE rebalance_id = ? ORDER BY symbol", [id]
        ) { WeightChange(symbol: $0.string(0), before: $0.double(1), target: $0.double(2), after: $0.double(3)) }
        return r
    }

    static func rebalanceRow(_ row: Row) -> RebalanceRecord {
        RebalanceRecord(
            id: row.int64(0), indexSlug: row.string(1), time: row.int64(2), trigger: row.string(3),
            status: row.string(4), navBefore: row.double(5), navAfter: row.double(6), turnover: row.double(7),
            fees: row.double(8), slippage: row.double(9), cashAfter: row.double(10), reason: row.string(11),
            trades: [], weights: [])
    }

    /// The rebalances of `slug`, newest first (`limit` most recent when given).
    public func history(_ slug: String, limit: Int? = nil, withTrades: Bool = true) throws -> [RebalanceRecord] {
        let idx = try index(slug)
        let ids = try db.query(
            "SELECT id FROM rebalances WHERE index_id = ? ORDER BY time DESC, id DESC LIMIT ?", [idx.id, limit ?? -1]
        ) { $0.int64(0) }
        if withTrades { return try ids.map(rebalance) }
        return try ids.compactMap { id in
            try db.queryOne(
                """
                SELECT r.id, i.slug, r.time, r.trigger, r.status, r.nav_before, r.nav_after, r.turnover, r.fees,
                    r.slippage, r.cash_after, r.reason FROM rebalances r JOIN indices i ON i.id = r.index_id WHERE r.id = ?
                """, [id], Self.rebalanceRow)
        }
    }

    /// Time of the last rebalance of `index` with one of `triggers` (any when nil).
    public func lastRebalanceTime(_ index: IndexRecord, triggers: [RebalanceTrigger]? = nil) throws -> Int64? {
        if let triggers {
            let list = triggers.map { "'\($0.rawValue)'" }.joined(separator: ",")
            return try db.scalarInt(
                "SELECT MAX(time) FROM rebalances WHERE index_id = ? AND trigger IN (\(list))", [index.id])
        }
        return try db.scalarInt("SELECT MAX(time) FROM rebalances WHERE index_id = ?", [index.id])
    }

    /// The triggers that count as a full rebalance for the schedule.
    static let fullTriggers: [RebalanceTrigger] = [.initial, .scheduled, .drift, .manual, .riskOff]

    /// The holdings of `index` beyond its drift band at `time` (see `RebalanceRule.driftBreaches`).
    public func driftBreaches(_ index: IndexRecord, at time: Int64, valuation: IndexValuation? = nil) throws
        -> [DriftBreach]
    {
        let r = index.spec.rebalance
        guard r.driftBand != nil || r.driftBandRelative != nil else { return [] }
        let v = try valuation ?? self.valuation(index, at: time)
        return r.driftBreaches(v.holdings.map { ($0.symbol, $0.weight, $0.target) })
    }

    /// Plans a deposit of `amount` into `slug`: units issued at the current value per unit, the money
    /// invested toward the targets without selling (underweights first).
    public func planDeposit(_ slug: String, amount: Double, trigger: RebalanceTrigger = .deposit, at time: Int64? = nil)
        throws -> StoredPlan
    {
        guard amount > 0, amount.isFinite else { throw StoreError("amount must be a positive number") }
        let idx = try index(slug)
        let t = try time ?? (latestPriceTime() ?? clock())
        let v = try valuation(idx, at: t)
        let targets = idx.targets.isEmpty ? try self.targets(for: idx.spec, at: t) : idx.targets
        var stored = try plan(idx, targets: targets, trigger: trigger, at: t, extraCash: amount, noSell: true)
        stored.cashFlow = amount
        stored.unitsDelta = (amount - stored.plan.costs) / v.navPerUnit
        return stored
    }

    /// Plans a withdrawal of `amount` from `slug`: holdings sold pro rata, units redeemed at the current
    /// value per unit (the withdrawal bears its own trading costs).
    public func planWithdrawal(_ slug: String, amount: Double, at time: Int64? = nil) throws -> StoredPlan {
        guard amount > 0, amount.isFinite else { throw StoreError("amount must be a positive number") }
        let idx = try index(slug)
        let t = try time ?? (latestPriceTime() ?? clock())
        let v = try valuation(idx, at: t)
        let pos = try positions(idx.id)
        var prices: [String: Double] = [:]
        var newest: Int64 = 0
        for s in pos.keys {
            guard let p = try price(s, atOrBefore: t) else { throw StoreError("no price for \(s)") }
            prices[s] = p.price
            newest = max(newest, p.time)
        }
        let plan: RebalancePlan
        do {
            plan = try RebalancePlanner.withdrawal(
                amount: amount, holdings: pos.mapValues(\.quantity), cash: idx.cash, prices: prices,
                feeRate: idx.spec.feeRate, slippageRate: idx.spec.slippageRate)
        } catch let e as PlanError {
            throw StoreError("index '\(slug)': \(e.message)")
        }
        var stored = StoredPlan(
            slug: slug, trigger: .withdraw, time: t, plan: plan, prices: prices, pricesTime: newest,
            targets: idx.targets)
        stored.cashFlow = -amount
        stored.holdingsBefore = pos.mapValues(\.quantity)
        stored.unitsDelta = -(amount + plan.costs) / v.navPerUnit
        return stored
    }
}

extension PortfolioStore {
    /// Writes the rebalance row of `stored` with `status` (`applied`, `planned`), its trades with their
    /// weights and its weight rows; returns the row id. The one writer of a plan's record (inside the
    /// caller's transaction).
    func insertRebalance(_ stored: StoredPlan, index idx: IndexRecord, status: String, reason: String) throws -> Int64 {
        let p = stored.plan
        try db.run(
            """
            INSERT INTO rebalances(index_id, time, trigger, status, nav_before, nav_after, turnover, fees, slippage,
                cash_after, prices_time, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                idx.id, stored.time, stored.trigger.rawValue, status, p.navBefore, p.navAfter, p.turnover, p.fees,
                p.slippage, max(0, p.cashAfter), stored.pricesTime, reason,
            ])
        let rid = db.lastInsertRowID
        let w = Dictionary(uniqueKeysWithValues: p.weights.map { ($0.symbol, $0) })
        for t in p.trades {
            try db.run(
                """
                INSERT INTO rebalance_trades(rebalance_id, symbol, side, quantity, price, notional, fee, slippage,
                    weight_before, weight_target, weight_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    rid, t.symbol, t.side.rawValue, t.quantity, t.price, t.notional, t.fee, t.slippage,
                    w[t.symbol]?.before, w[t.symbol]?.target, w[t.symbol]?.after,
                ])
        }
        for x in p.weights {
            try db.run(
                "INSERT INTO rebalance_weights(rebalance_id, symbol, before, target, after) VALUES (?, ?, ?, ?, ?)",
                [rid, x.symbol, x.before, x.target, x.after])
        }
        return rid
    }
}
