import IndexCore
import SQLiteKit

/// The prices a valuation reads: for each symbol its price at the valuation time and the price 24 hours
/// before that one. Read once, it values many indices; kept current from `newestPrices(after:)`.
public struct PriceBook: Sendable {
    public var latest: [String: PricePoint] = [:]
    public var dayAgo: [String: PricePoint] = [:]

    public init() {}
}

extension PortfolioStore {
    /// The book entries of `symbol` at or before `time` (latest when nil).
    public func bookEntry(_ symbol: String, atOrBefore time: Int64? = nil) throws -> (PricePoint?, PricePoint?) {
        let p = try price(symbol, atOrBefore: time)
        let before = try p.flatMap { try price(symbol, atOrBefore: $0.time - UTCCalendar.day) }
        return (p, before)
    }

    /// `index` valued from its `positions` at the prices of `book`: the one valuation rule (value =
    /// quantity × price, NAV = cash + Σ values, weights of NAV, largest value first, the value per unit
    /// and its value 24 h before from the NAV history). `time` is the valuation time (nil: the newest
    /// price among the holdings').
    public func valuation(
        _ index: IndexRecord, positions pos: [String: (quantity: Double, costBasis: Double)], book: PriceBook,
        at time: Int64?
    ) throws -> IndexValuation {
        var rows: [HoldingRow] = []
        var latestTime: Int64 = 0
        // Every held or targeted symbol once, by name: the NAV is summed in that order (deterministic).
        var symbols = Array(pos.keys)
        for s in index.targets.keys where pos[s] == nil { symbols.append(s) }
        symbols.sort()
        rows.reserveCapacity(symbols.count)
        for s in symbols {
            let p = book.latest[s]
            latestTime = max(latestTime, p?.time ?? 0)
            let held = pos[s]
            let q = held?.quantity ?? 0
            let cost = held?.costBasis ?? 0
            let value = q * (p?.price ?? 0)
            rows.append(
                HoldingRow(
                    symbol: s, quantity: q, costBasis: cost, price: p?.price, price24hAgo: book.dayAgo[s]?.price,
                    value: value, weight: 0, target: index.targets[s] ?? 0, pnl: value - cost))
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

    /// The newest price of each symbol among those stored with a time after `time` (the feed's new ticks).
    public func newestPrices(after time: Int64) throws -> [String: PricePoint] {
        var out: [String: PricePoint] = [:]
        _ = try db.query(
            "SELECT symbol, time, price, market_cap, volume FROM prices WHERE time > ? ORDER BY time", [time]
        ) { row -> Void in
            out[row.string(0)] = PricePoint(
                symbol: row.string(0), time: row.int64(1), price: row.double(2), marketCap: row.optionalDouble(3),
                volume: row.optionalDouble(4))
        }
        return out
    }

    /// A fingerprint of the indices table (rows, cash, units, the sizes of specs and targets): equal
    /// fingerprints mean `indices()` would read the same records.
    public func indicesToken() throws -> [Double] {
        try db.queryOne(
            """
            SELECT COUNT(*), TOTAL(cash), TOTAL(units), COALESCE(MAX(id), 0),
                   TOTAL(length(CAST(spec AS BLOB)) + length(CAST(targets AS BLOB))), TOTAL(created)
            FROM indices
            """
        ) { [$0.double(0), $0.double(1), $0.double(2), $0.double(3), $0.double(4), $0.double(5)] } ?? []
    }

    /// A fingerprint of what an index's holdings depend on besides prices: its rebalances, cash flows and
    /// NAV points (count and newest time each). Equal fingerprints: the positions, history and
    /// performance read before still hold.
    public func changeToken(_ index: IndexRecord) throws -> [Int64] {
        let r = try db.queryOne(
            """
            SELECT (SELECT COUNT(*) FROM rebalances WHERE index_id = ?1),
                   (SELECT COUNT(*) FROM cash_flows WHERE index_id = ?1),
                   (SELECT COALESCE(MAX(time), 0) FROM index_values WHERE index_id = ?1)
            """, [index.id]
        ) { [$0.int64(0), $0.int64(1), $0.int64(2)] }
        return (r ?? []) + [index.id]
    }
}
