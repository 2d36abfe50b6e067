import Foundation
import IndexCore
import SQLiteKit

extension PortfolioStore {
    /// Units are issued at this value per unit when an index is created.
    public static let initialUnitValue = 1000.0

    /// Every index, by slug.
    public func indices() throws -> [IndexRecord] {
        try db.query("SELECT id, slug, name, spec, created, cash, units, targets FROM indices ORDER BY id") {
            try Self.indexRecord($0)
        }
    }

    /// The index `slug`.
    /// - Throws: `StoreError` when there is none.
    public func index(_ slug: String) throws -> IndexRecord {
        guard
            let r = try db.queryOne(
                "SELECT id, slug, name, spec, created, cash, units, targets FROM indices WHERE slug = ?", [slug],
                { try Self.indexRecord($0) })
        else { throw StoreError("no index '\(slug)' (see `indextop index list`)") }
        return r
    }

    static func indexRecord(_ row: Row) throws -> IndexRecord {
        let specText = row.string(3)
        let spec = try IndexSpec.parse(Data(specText.utf8), file: "index \(row.string(1)) spec")
        let targetsObj =
            (try? JSONSerialization.jsonObject(with: Data(row.string(7).utf8))) as? [String: Double] ?? [:]
        return IndexRecord(
            id: row.int64(0), slug: row.string(1), name: row.string(2), spec: spec, created: row.int64(4),
            cash: row.double(5), units: row.double(6), targets: targetsObj)
    }

    /// Creates the index of `spec` and buys its targets with `initial_capital` at the latest prices
    /// (its first rebalance, trigger `initial`), all in one transaction.
    /// - Throws: `StoreError` for a duplicate slug, unknown symbols or no prices; `MethodologyError`.
    @discardableResult
    public func createIndex(_ spec: IndexSpec, at time: Int64? = nil) throws -> RebalanceRecord {
        let now = try time ?? (latestPriceTime() ?? clock())
        let known = try assetMap()
        if case .symbols(let list) = spec.universe {
            let unknown = list.filter { known[$0] == nil }
            if !unknown.isEmpty {
                throw StoreError(
                    "index '\(spec.slug)': unknown symbols \(unknown.joined(separator: ", ")) (add them with `indextop assets add`)"
                )
            }
        }
        if let w = spec.methodology.weights {
            let unknown = w.keys.filter { known[$0] == nil }.sorted()
            if !unknown.isEmpty {
                throw StoreError("index '\(spec.slug)': unknown symbols \(unknown.joined(separator: ", "))")
            }
        }
        if spec.methodology.usesStablecoin, known[spec.methodology.stablecoin] == nil {
            throw StoreError("index '\(spec.slug)': unknown stablecoin \(spec.methodology.stablecoin)")
        }
        return try db.transaction {
            if try db.scalarInt("SELECT 1 FROM indices WHERE slug = ?", [spec.slug]) != nil {
                throw StoreError("index '\(spec.slug)' already exists")
            }
            let json = try JSONSerialization.data(withJSONObject: spec.jsonObject(), options: [.sortedKeys])
            let units = spec.initialCapital / Self.initialUnitValue
            try db.run(
                "INSERT INTO indices(slug, name, spec, created, cash, units) VALUES (?, ?, ?, ?, ?, ?)",
                [spec.slug, spec.name, String(decoding: json, as: UTF8.self), now, spec.initialCapital, units])
            let id = db.lastInsertRowID
            try db.run(
                "INSERT INTO cash_flows(index_id, time, amount, units, nav_per_unit, kind) VALUES (?, ?, ?, ?, ?, 'initial')",
                [id, now, spec.initialCapital, units, Self.initialUnitValue])
            let plan = try planRebalance(spec.slug, trigger: .initial, at: now)
            return try apply(plan, reason: "initial investment of \(spec.initialCapital)", checkStale: time == nil)
        }
    }

    /// Deletes the index `slug` and everything recorded for it.
    public func removeIndex(_ slug: String) throws {
        try db.transaction {
            _ = try index(slug)
            try db.run("DELETE FROM indices WHERE slug = ?", [slug])
        }
    }

    /// Target weights of `index` at `time` from its methodology; `incumbents` (the current constituents)
    /// keep their place in a `top` universe within its rank buffer.
    public func targets(for spec: IndexSpec, at time: Int64? = nil, incumbents: Set<String> = []) throws
        -> [String: Double]
    {
        let market = try marketView(at: time)
        switch spec.methodology.kind {
        case .signal, .trend, .rsi:
            guard let provider = signalTargets else {
                throw StoreError(
                    "index '\(spec.slug)': \(spec.methodology.kind.rawValue) methodology needs signals, not available")
            }
            return try provider(spec, market, time ?? (latestPriceTime() ?? clock()), self)
        default:
            return try TargetWeights.passive(spec, market: market, incumbents: incumbents)
        }
    }

    /// Quantities and cost bases of `indexID`'s holdings.
    public func positions(_ indexID: Int64) throws -> [String: (quantity: Double, costBasis: Double)] {
        var out: [String: (quantity: Double, costBasis: Double)] = [:]
        for (s, q, c) in try db.query(
            "SELECT symbol, quantity, cost_basis FROM holdings WHERE index_id = ?", [indexID],
            { ($0.string(0), $0.double(1), $0.double(2)) })
        {
            out[s] = (q, c)
        }
        return out
    }

    /// `slug` valued at the latest prices at or before `time`.
    public func valuation(_ slug: String, at time: Int64? = nil) throws -> IndexValuation {
        try valuation(index(slug), at: time)
    }

    /// `index` valued at the latest prices at or before `time`.
    public func valuation(_ index: IndexRecord, at time: Int64? = nil) throws -> IndexValuation {
        let pos = try positions(index.id)
        var rows: [HoldingRow] = []
        var latestTime: Int64 = 0
        let symbols = Set(pos.keys).union(index.targets.keys).sorted()
        for s in symbols {
            let p = try price(s, atOrBefore: time)
            latestTime = max(latestTime, p?.time ?? 0)
            let before = try p.flatMap { try price(s, atOrBefore: $0.time - UTCCalendar.day) }
            let q = pos[s]?.quantity ?? 0
            let value = q * (p?.price ?? 0)
            rows.append(
                HoldingRow(
                    symbol: s, quantity: q, costBasis: pos[s]?.costBasis ?? 0, price: p?.price,
                    price24hAgo: before?.price, value: value, weight: 0, target: index.targets[s] ?? 0,
                    pnl: value - (pos[s]?.costBasis ?? 0)))
        }
        let nav = index.cash + rows.reduce(0) { $0 + $1.value }
        for i in rows.indices { rows[i].weight = nav > 0 ? rows[i].value / nav : 0 }
        rows.sort { $0.value != $1.value ? $0.value > $1.value : $0.symbol < $1.symbol }
        let t = time ?? latestTime
        // Everything redeemed: the value per unit keeps its last recorded value (DESIGN §6).
        let last =
            index.units > 0
            ? nil
            : try db.scalarDouble(
                "SELECT nav_per_unit FROM index_values WHERE index_id = ? AND time <= ? ORDER BY time DESC LIMIT 1",
                [index.id, t])
        let npu = FundAccounting.navPerUnit(nav: nav, units: index.units, last: last)
        let prior = try db.scalarDouble(
            "SELECT nav_per_unit FROM index_values WHERE index_id = ? AND time <= ? ORDER BY time DESC LIMIT 1",
            [index.id, t - UTCCalendar.day])
        return IndexValuation(index: index, time: t, nav: nav, navPerUnit: npu, holdings: rows, navPerUnit24hAgo: prior)
    }

    /// Records a NAV point for `index` at `time` (replacing one at the same time).
    public func recordNAV(_ index: IndexRecord, at time: Int64) throws {
        let v = try valuation(index, at: time)
        try db.run(
            """
            INSERT INTO index_values(index_id, time, nav, nav_per_unit, units) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(index_id, time) DO UPDATE SET nav = excluded.nav, nav_per_unit = excluded.nav_per_unit,
                units = excluded.units
            """, [index.id, time, v.nav, v.navPerUnit, index.units])
    }

    /// Records a NAV point for every index at the latest price time, unless one was recorded less than
    /// `minInterval` seconds before it (feeds call this after each batch).
    public func recordNAVs(minInterval: Int64 = 300) throws {
        guard let t = try latestPriceTime() else { return }
        try db.transaction {
            for idx in try indices() {
                let last = try db.scalarInt("SELECT MAX(time) FROM index_values WHERE index_id = ?", [idx.id]) ?? 0
                if t - last >= minInterval || UTCCalendar.dayNumber(t) != UTCCalendar.dayNumber(last) {
                    try recordNAV(idx, at: t)
                }
            }
        }
    }

    /// The NAV-per-unit history of `slug` (every recorded point).
    public func navSeries(_ slug: String) throws -> [ValuePoint] {
        let idx = try index(slug)
        return try db.query(
            "SELECT time, nav_per_unit FROM index_values WHERE index_id = ? ORDER BY time", [idx.id]
        ) { ValuePoint(time: $0.int64(0), value: $0.double(1)) }
    }

    /// The total NAV history of `slug`.
    public func totalNavSeries(_ slug: String) throws -> [ValuePoint] {
        let idx = try index(slug)
        return try db.query("SELECT time, nav FROM index_values WHERE index_id = ? ORDER BY time", [idx.id]) {
            ValuePoint(time: $0.int64(0), value: $0.double(1))
        }
    }
}
