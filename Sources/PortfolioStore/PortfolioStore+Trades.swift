import Foundation
import IndexCore
import SQLiteKit

/// A paper fund whose trades the planner simulates, or an index holding what the user really owns.
public enum IndexKind: String, Sendable, CaseIterable {
    /// Bought at creation with `initial_capital`; its trades are simulated (DESIGN §3).
    case model
    /// Buys nothing; its holdings come from the user's executed trades.
    case tracked
}

/// What `importTrades` did.
public struct TradeImportResult: Sendable, Equatable {
    /// Trades stored.
    public var imported: Int
    /// Trades whose id was already stored (left as they were).
    public var skipped: Int

    public init(imported: Int, skipped: Int) {
        self.imported = imported
        self.skipped = skipped
    }
}

extension PortfolioStore {
    /// Creates the tracked index of `spec`: it buys nothing (no cash, no units); holdings come from trades.
    /// Its targets are the methodology's at the latest prices when they can be computed, else empty.
    /// - Throws: `StoreError` for a duplicate slug.
    @discardableResult
    public func createTrackedIndex(_ spec: IndexSpec, at time: Int64? = nil) throws -> IndexRecord {
        let now = try time ?? (latestPriceTime() ?? clock())
        let targets = (try? self.targets(for: spec, at: now)) ?? [:]
        return try db.transaction {
            if try db.scalarInt("SELECT 1 FROM indices WHERE slug = ?", [spec.slug]) != nil {
                throw StoreError("index '\(spec.slug)' already exists")
            }
            let json = try JSONSerialization.data(withJSONObject: spec.jsonObject(), options: [.sortedKeys])
            let targetsJSON = try JSONSerialization.data(withJSONObject: targets, options: [.sortedKeys])
            try db.run(
                "INSERT INTO indices(slug, name, spec, created, cash, units, targets, kind) VALUES (?, ?, ?, ?, 0, 0, ?, 'tracked')",
                [
                    spec.slug, spec.name, String(decoding: json, as: UTF8.self), now,
                    String(decoding: targetsJSON, as: UTF8.self),
                ])
            return try index(spec.slug)
        }
    }

    /// The index `slug`, which must be tracked.
    func trackedIndex(_ slug: String, for what: String) throws -> IndexRecord {
        let idx = try index(slug)
        guard idx.kind == .tracked else {
            throw StoreError(
                "index '\(slug)' is a model index: \(what) needs a tracked one (`indextop index create SPEC --tracked`)"
            )
        }
        return idx
    }

    /// Imports `lines` (from `file`) into the tracked index `slug` in one transaction: each trade valued in
    /// the base currency at its time, stored unless its id (per venue) is already stored, then the holdings
    /// rebuilt from every trade (FIFO cost basis).
    /// - Throws: `InputError` (`FILE:LINE: field: problem`) for an unknown symbol, a currency with no
    ///   price, a duplicate id in the file or a sale of more than is held; `StoreError` for a model index.
    ///   Nothing is stored then.
    @discardableResult
    public func importTrades(
        _ lines: [TradeLine], into slug: String, file: String, source: String = "import", rebalanceID: Int64? = nil
    ) throws -> TradeImportResult {
        let idx = try trackedIndex(slug, for: "trades import")
        let assets = try assetMap()
        var valuer = CurrencyValuer(store: self, assets: assets, base: idx.spec.base.uppercased())
        return try db.transaction {
            let before = try valuation(idx)
            let insert = try db.cached(
                """
                INSERT OR IGNORE INTO trades(index_id, time, symbol, side, quantity, price, fee, fee_symbol, fee_value,
                    fee_quantity, venue, external_id, source, rebalance_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var seenIDs: [String: Int] = [:]
            var occurrences: [String: Int] = [:]
            var lineOf: [Int64: Int] = [:]
            var result = TradeImportResult(imported: 0, skipped: 0)
            for l in lines {
                guard assets[l.symbol] != nil else {
                    throw InputError(
                        file: file, line: l.line, field: "symbol",
                        "unknown symbol '\(l.symbol)' (add it with `indextop assets add`)")
                }
                let quoteValue = try valuer.value(of: l.quote, at: l.time, file: file, line: l.line, field: "price")
                let price = l.price * quoteValue
                let feeCurrency = l.feeSymbol.isEmpty ? l.quote : l.feeSymbol
                var feeQuantity = 0.0
                var feeValue = 0.0
                if l.fee > 0 {
                    if feeCurrency == l.symbol {
                        feeQuantity = l.fee
                        feeValue = l.fee * price
                    } else {
                        feeValue =
                            l.fee
                            * (try valuer.value(
                                of: feeCurrency, at: l.time, file: file, line: l.line, field: "fee_symbol"))
                    }
                }
                if l.side == .buy, feeQuantity >= l.quantity {
                    throw InputError(file: file, line: l.line, field: "fee", "the fee takes the whole quantity")
                }
                let id: String
                if let given = l.id {
                    id = given
                    let key = l.venue + "\u{1}" + given
                    if let first = seenIDs[key] {
                        throw InputError(file: file, line: l.line, field: "id", "'\(given)' is also on line \(first)")
                    }
                    seenIDs[key] = l.line
                } else {
                    // No id: the row itself (and its repetition count in this file) identifies it, so the
                    // same file imported again is recognised.
                    let key =
                        "\(l.time)|\(l.symbol)|\(l.side.rawValue)|\(l.quantity)|\(l.price)|\(l.quote)|\(l.fee)|\(l.feeSymbol)"
                    let n = occurrences[key, default: 0] + 1
                    occurrences[key] = n
                    id = "row:\(key)#\(n)"
                }
                try insert.bind(int: idx.id, at: 1)
                try insert.bind(int: l.time, at: 2)
                try insert.bind(.text(l.symbol), at: 3)
                try insert.bind(.text(l.side.rawValue), at: 4)
                try insert.bind(double: l.quantity, at: 5)
                try insert.bind(double: price, at: 6)
                try insert.bind(double: l.fee, at: 7)
                try insert.bind(.text(feeCurrency == idx.spec.base.uppercased() ? "" : feeCurrency), at: 8)
                try insert.bind(double: feeValue, at: 9)
                try insert.bind(double: feeQuantity, at: 10)
                try insert.bind(.text(l.venue), at: 11)
                try insert.bind(.text(id), at: 12)
                try insert.bind(.text(source == "import" ? "import:\(file)" : source), at: 13)
                if let rebalanceID { try insert.bind(int: rebalanceID, at: 14) } else { try insert.bindNull(at: 14) }
                try insert.execute()
                if db.changes == 0 {
                    result.skipped += 1
                } else {
                    result.imported += 1
                    lineOf[db.lastInsertRowID] = l.line
                }
            }
            try rebuildHoldings(idx, before: before) { id in lineOf[id].map { (file, $0) } }
            return result
        }
    }

    /// Every trade of `indexID` in import order (a table scan in rowid order: no index to maintain on
    /// import, no sort here), with its row id. `Lots.positions` puts them in time order, stably.
    func loadTrades(_ indexID: Int64) throws -> (ids: [Int64], trades: [Trade]) {
        let st = try db.cached(
            """
            SELECT id, time, symbol, side, quantity, price, fee_value, fee_quantity, cost_basis FROM trades
            WHERE +index_id = ? ORDER BY id
            """)
        try st.bind(int: indexID, at: 1)
        defer { st.reset() }
        var ids: [Int64] = []
        var trades: [Trade] = []
        var lastSymbol = ""
        while try st.step() {
            ids.append(st.columnInt64(0))
            var symbol = st.columnString(2)
            if symbol == lastSymbol { symbol = lastSymbol } else { lastSymbol = symbol }
            let side = st.columnString(3)
            trades.append(
                Trade(
                    time: st.columnInt64(1), symbol: symbol,
                    kind: side == "buy" ? .buy : side == "sell" ? .sell : .adjust, quantity: st.columnDouble(4),
                    price: st.columnDouble(5), feeValue: st.columnDouble(6), feeQuantity: st.columnDouble(7),
                    costBasis: st.columnDouble(8)))
        }
        return (ids, trades)
    }

    /// Rewrites the holdings of the tracked `idx` from its trades (FIFO cost basis) and records the change
    /// of value as a cash flow issuing or redeeming units at the value per unit before it, so the NAV per
    /// unit moves only with prices. Must run inside a transaction.
    /// - Parameter origin: the file and line of a stored trade, when it came from the current input.
    func rebuildHoldings(_ idx: IndexRecord, before: IndexValuation, origin: (Int64) -> (String, Int)?) throws {
        let (ids, trades) = try loadTrades(idx.id)
        let positions: [LotPosition]
        do {
            positions = try Lots.positions(trades, method: .fifo)
        } catch let e as LotError {
            let t = trades[e.index]
            if let (file, line) = origin(ids[e.index]) {
                throw InputError(file: file, line: line, field: e.field, e.message)
            }
            // An earlier trade no longer fits after this input's (older) trades.
            let firstNew = ids.indices.first { origin(ids[$0]) != nil && trades[$0].symbol == t.symbol }
            if let i = firstNew, let (file, line) = origin(ids[i]) {
                throw InputError(
                    file: file, line: line, field: e.field,
                    "leaves too little \(t.symbol) for the stored trade at \(UTCCalendar.iso(t.time)) (\(e.message))")
            }
            throw StoreError("index '\(idx.slug)': \(e.field): \(e.message)")
        }
        try db.run("DELETE FROM holdings WHERE index_id = ?", [idx.id])
        for p in positions where p.quantity > 1e-15 {
            try db.run(
                "INSERT INTO holdings(index_id, symbol, quantity, cost_basis) VALUES (?, ?, ?, ?)",
                [idx.id, p.symbol, p.quantity, p.costBasis])
        }
        let after = try valuation(idx)
        let flow = after.nav - before.nav
        let npu = idx.units > 0 && before.nav > 0 ? before.nav / idx.units : Self.initialUnitValue
        let units = after.nav > 0 ? max(0, idx.units + flow / npu) : 0
        try db.run("UPDATE indices SET units = ? WHERE id = ?", [units, idx.id])
        let now = try latestPriceTime() ?? clock()
        if abs(flow) > 0 {
            try db.run(
                "INSERT INTO cash_flows(index_id, time, amount, units, nav_per_unit, kind) VALUES (?, ?, ?, ?, ?, 'trades')",
                [idx.id, now, flow, units - idx.units, npu])
        }
        if try latestPriceTime() != nil { try recordNAV(index(idx.slug), at: now) }
    }

    /// Realised and unrealised P&L of the tracked index `slug` by `method`, unrealised at the latest prices;
    /// `year` restricts realised P&L to sales in that UTC year.
    public func pnl(_ slug: String, method: CostMethod = .fifo, year: Int? = nil) throws -> PnLReport {
        let idx = try trackedIndex(slug, for: "pnl")
        let positions = try Lots.positions(loadTrades(idx.id).trades, method: method)
        var prices: [String: Double] = [:]
        for p in positions { prices[p.symbol] = try price(p.symbol)?.price }
        return PnLReport(positions: positions, prices: prices, method: method, year: year)
    }

    /// Records a correction of a tracked holding: `symbol` is held in `quantity` with a total cost basis
    /// of `costBasis` from now on (an `adjust` trade with its reason; never a silent overwrite).
    public func adjustHolding(_ slug: String, symbol: String, quantity: Double, costBasis: Double, reason: String)
        throws
    {
        let idx = try trackedIndex(slug, for: "an adjustment")
        guard quantity.isFinite, quantity >= 0 else { throw StoreError("quantity must be a number ≥ 0") }
        guard costBasis.isFinite, costBasis >= 0 else { throw StoreError("cost basis must be a number ≥ 0") }
        let why = reason.trimmingCharacters(in: .whitespaces)
        guard !why.isEmpty else { throw StoreError("an adjustment needs a reason") }
        guard try assetMap()[symbol] != nil else { throw StoreError("unknown symbol '\(symbol)'") }
        let now = max(
            try latestPriceTime() ?? clock(),
            try db.scalarInt("SELECT MAX(time) FROM trades WHERE index_id = ?", [idx.id]) ?? 0)
        try db.transaction {
            let before = try valuation(idx)
            let n = (try db.scalarInt("SELECT COUNT(*) FROM trades WHERE index_id = ?", [idx.id]) ?? 0) + 1
            try db.run(
                """
                INSERT INTO trades(index_id, time, symbol, side, quantity, price, cost_basis, external_id, source, reason)
                VALUES (?, ?, ?, 'adjust', ?, 0, ?, ?, 'adjust', ?)
                """, [idx.id, now, symbol, quantity, costBasis, "adjust:\(now):\(n)", why])
            try rebuildHoldings(idx, before: before) { _ in nil }
        }
    }
}

/// Values one unit of a currency in the index's base currency at a time: 1 for the base itself, else the
/// stored price at or before that time, else 1 for an asset marked as a stablecoin; anything else is an
/// error naming the line. Each currency's price history is read once.
struct CurrencyValuer {
    let store: PortfolioStore
    let assets: [String: Asset]
    let base: String
    var series: [String: (times: [Int64], prices: [Double])] = [:]

    init(store: PortfolioStore, assets: [String: Asset], base: String) {
        self.store = store
        self.assets = assets
        self.base = base
    }

    mutating func value(of currency: String, at time: Int64, file: String, line: Int, field: String) throws -> Double {
        if currency.isEmpty || currency == base { return 1 }
        if series[currency] == nil {
            var times: [Int64] = []
            var prices: [Double] = []
            _ = try store.db.query("SELECT time, price FROM prices WHERE symbol = ? ORDER BY time", [currency]) {
                row -> Void in
                times.append(row.int64(0))
                prices.append(row.double(1))
            }
            series[currency] = (times, prices)
        }
        let s = series[currency]!
        var lo = 0
        var hi = s.times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if s.times[mid] <= time { lo = mid + 1 } else { hi = mid }
        }
        if lo > 0 { return s.prices[lo - 1] }
        if assets[currency]?.isStablecoin == true { return 1 }
        throw InputError(
            file: file, line: line, field: field,
            "no price for \(currency) at or before \(UTCCalendar.iso(time)) (import its prices first)")
    }
}
