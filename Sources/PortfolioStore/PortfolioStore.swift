import Foundation
import IndexCore
import SQLiteKit

/// A failure of the store that is the user's to fix (unknown index, stale plan, ...).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let message: String
    /// True for a plan that no longer matches the stored prices or holdings (it may be planned again).
    public let isStalePlan: Bool
    public init(_ message: String) {
        self.message = message
        isStalePlan = false
    }
    /// A stale-plan error.
    public init(stale message: String) {
        self.message = message
        isStalePlan = true
    }
    public var description: String { message }
}

/// Thrown to roll a replay back (``PortfolioStore/rolledBack(_:)``).
private struct ReplayRollback: Error {}

/// The SQLite portfolio model (DESIGN §3). One instance per connection; confine it to one queue.
public final class PortfolioStore {
    /// The connection (SQL stays inside this module: other targets call the store's functions).
    let db: Database
    /// The database file.
    public var path: String { db.path }
    /// True when this connection was opened read-only.
    public let isReadOnly: Bool
    /// Current time in Unix seconds (injected for tests and replays).
    public var clock: () -> Int64
    /// Computes targets for signal-driven methodologies; nil = they are refused. Set by default (signals on).
    public var signalTargets: ((IndexSpec, MarketView, Int64, PortfolioStore) throws -> [String: Double])?
    /// Called after a rebalance is applied, with the record, inside the writer's queue (the audit trail:
    /// ``StoreWriter`` sets it).
    public var onApplied: ((RebalanceRecord) -> Void)?
    /// Candles and indicator series, cached while the stored prices do not change.
    var signalCache: SignalCache?

    /// The latest schema version this build knows.
    public static var schemaVersion: Int { Schema.migrator.latestVersion }

    /// Opens the database at `path` and migrates it (read-write), creating the file, its folder and the
    /// schema when `create` is true. Nothing is written to an existing file before it is known to be an
    /// indextop database: a file with other tables, or an empty file when `create` is false, is refused
    /// untouched (no WAL switch, no schema).
    /// - Throws: `StoreError`, one line naming the file: missing file (create false), not an indextop
    ///   database, read-only path, newer schema, or (read-only) an older schema that needs `indextop init`.
    public init(
        path: String, create: Bool = true, readOnly: Bool = false,
        clock: @escaping () -> Int64 = PortfolioStore.wallClock
    ) throws {
        let fm = FileManager.default
        let exists = path == ":memory:" || fm.fileExists(atPath: path)
        if !exists {
            guard create, !readOnly else { throw StoreError("\(path): no such database (run `indextop init`)") }
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do {
                    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                } catch {
                    throw StoreError("\(path): cannot create folder \(dir)")
                }
            }
        }
        do {
            let mode: Database.Mode = readOnly ? .readOnly : exists ? .readWrite : .readWriteCreate
            let database = try Database(path: path, mode: mode, wal: false)
            try Self.identify(database, create: create && !readOnly)
            if readOnly {
                let version = try database.userVersion
                if version < Schema.migrator.latestVersion {
                    throw StoreError(
                        "\(path): schema version \(version) needs an upgrade to \(Schema.migrator.latestVersion) (run `indextop init`)"
                    )
                }
            } else {
                try database.enableWAL()
                try Schema.migrator.migrate(database)
            }
            db = database
        } catch let e as DatabaseError {
            if e.code & 0xff == 8 || e.code & 0xff == 14 {  // SQLITE_READONLY, SQLITE_CANTOPEN
                throw StoreError("\(path): cannot open for writing (\(e.problem))")
            }
            throw StoreError(e.description)
        }
        isReadOnly = readOnly
        self.clock = clock
        enableSignals()
    }

    /// Refuses a file that is not an indextop database (reads only): one with a schema version this
    /// build does not know, tables of another program, or no schema when it may not be created.
    static func identify(_ db: Database, create: Bool) throws {
        let version = try db.userVersion
        let latest = Schema.migrator.latestVersion
        if version > latest {
            throw StoreError(
                "\(db.path): schema version \(version) is newer than this indextop supports (\(latest)); upgrade indextop"
            )
        }
        let tables = Set(
            try db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                $0.string(0)
            })
        if version == 0 && tables.isEmpty {
            guard create else {
                throw StoreError("\(db.path): empty database, no indextop schema (run `indextop init`)")
            }
            return
        }
        let core: Set = ["assets", "prices", "indices", "holdings", "settings"]
        guard version > 0, core.isSubset(of: tables) else {
            throw StoreError(
                "\(db.path): not an indextop database (it holds other tables: \(tables.sorted().prefix(3).joined(separator: ", "))); nothing was changed"
            )
        }
    }

    /// `PRAGMA data_version`: changes when another connection commits (readers compare it to skip work).
    public func dataVersion() throws -> Int64 { try db.scalarInt("PRAGMA data_version") ?? 0 }

    /// Runs `body` in a transaction that is always rolled back (a replay that must leave nothing behind)
    /// and returns its result.
    public func rolledBack<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        do {
            try db.transaction {
                result = try body()
                throw ReplayRollback()
            }
        } catch is ReplayRollback {}
        guard let result else { throw StoreError("\(path): the replay did not run") }
        return result
    }

    /// Every row of `sql` with each column as SQLite's text of it (NULL as nil): for tests of other
    /// targets that inspect the file through `@testable import` without importing SQLiteKit.
    func rowsForTesting(_ sql: String, _ arguments: [Int64] = []) throws -> [[String?]] {
        let statement = try db.prepare(sql)
        try statement.bind(arguments)
        var rows: [[String?]] = []
        let columns = Int32(statement.columnCount)
        while try statement.step() {
            rows.append((0..<columns).map { statement.columnIsNull($0) ? nil : statement.columnString($0) })
        }
        return rows
    }

    /// Wall-clock Unix seconds.
    public static func wallClock() -> Int64 { Int64(Date().timeIntervalSince1970) }

    // MARK: Settings

    /// A setting's value.
    public func setting(_ key: String) throws -> String? {
        try db.scalarString("SELECT value FROM settings WHERE key = ?", [key])
    }

    /// Sets a setting.
    public func setSetting(_ key: String, _ value: String) throws {
        try db.run(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value])
    }

    // MARK: Assets

    /// Inserts or replaces an asset.
    public func upsertAsset(_ a: Asset) throws {
        try db.run(
            """
            INSERT INTO assets(symbol, name, sector, is_stablecoin, coingecko_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(symbol) DO UPDATE SET name = excluded.name, sector = excluded.sector,
                is_stablecoin = excluded.is_stablecoin, coingecko_id = excluded.coingecko_id
            """, [a.symbol, a.name, a.sector, a.isStablecoin, a.coingeckoId])
    }

    /// Inserts or replaces many assets in one transaction.
    public func upsertAssets(_ list: [Asset]) throws {
        try db.transaction { for a in list { try upsertAsset(a) } }
    }

    /// Every asset, by symbol.
    public func assets() throws -> [Asset] {
        try db.query("SELECT symbol, name, sector, is_stablecoin, coingecko_id FROM assets ORDER BY symbol") {
            Asset(
                symbol: $0.string(0), name: $0.string(1), sector: $0.string(2), isStablecoin: $0.bool(3),
                coingeckoId: $0.optionalString(4))
        }
    }

    /// Every asset keyed by symbol.
    public func assetMap() throws -> [String: Asset] {
        Dictionary(uniqueKeysWithValues: try assets().map { ($0.symbol, $0) })
    }

    // MARK: Prices

    /// Stores `points` in one transaction (an existing (symbol, time) row is replaced); a market
    /// cap of 0 is stored as unknown (NULL).
    /// - Throws: on an unknown symbol or a non-positive price; nothing is stored then.
    public func insertPrices(_ points: [PricePoint], source: String = "import") throws {
        guard !points.isEmpty else { return }
        // A write into the cached history (not only its newest day) makes the candle cache unusable.
        if let c = signalCache, points.contains(where: { $0.time < c.tailStart }) { signalCache = nil }
        try db.transaction {
            let st = try db.cached(
                """
                INSERT INTO prices(symbol, time, price, market_cap, volume, source) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(symbol, time) DO UPDATE SET price = excluded.price, market_cap = excluded.market_cap,
                    volume = excluded.volume, source = excluded.source
                """)
            try st.bind(.text(source), at: 6)
            var lastSymbol = ""
            for p in points {
                if p.symbol != lastSymbol {
                    try st.bind(.text(p.symbol), at: 1)
                    lastSymbol = p.symbol
                }
                try st.bind(int: p.time, at: 2)
                try st.bind(double: p.price, at: 3)
                // An unknown cap (a feed's `null` or `0`) is NULL, never a real 0 (DESIGN §4).
                if let c = p.marketCap, c != 0 { try st.bind(double: c, at: 4) } else { try st.bindNull(at: 4) }
                if let v = p.volume { try st.bind(double: v, at: 5) } else { try st.bindNull(at: 5) }
                do {
                    try st.execute()
                } catch let e as DatabaseError where e.isConstraint {
                    throw StoreError("price for \(p.symbol) at \(UTCCalendar.iso(p.time)): \(e.message)")
                }
            }
        }
    }

    /// The newest price of `symbol` at or before `time` (latest when nil).
    public func price(_ symbol: String, atOrBefore time: Int64? = nil) throws -> PricePoint? {
        try db.queryOne(
            "SELECT time, price, market_cap, volume FROM prices WHERE symbol = ? AND time <= ? ORDER BY time DESC LIMIT 1",
            [symbol, time ?? Int64.max]
        ) {
            PricePoint(
                symbol: symbol, time: $0.int64(0), price: $0.double(1), marketCap: $0.optionalDouble(2),
                volume: $0.optionalDouble(3))
        }
    }

    /// The newest price of every asset at or before `time` (latest when nil).
    public func latestPrices(atOrBefore time: Int64? = nil) throws -> [String: PricePoint] {
        var out: [String: PricePoint] = [:]
        for s in try db.query("SELECT symbol FROM assets", [], { $0.string(0) }) {
            if let p = try price(s, atOrBefore: time) { out[s] = p }
        }
        return out
    }

    /// The time of the oldest stored price.
    public func earliestPriceTime() throws -> Int64? {
        try db.scalarInt("SELECT MIN(time) FROM prices")
    }

    /// The time of the newest stored price.
    public func latestPriceTime() throws -> Int64? {
        try db.scalarInt("SELECT MAX(time) FROM prices")
    }

    /// Number of stored price rows.
    public func priceCount() throws -> Int { Int(try db.scalarInt("SELECT COUNT(*) FROM prices") ?? 0) }

    /// The last price of each UTC day of `symbol` in [`from`, `to`] (with market cap and volume).
    public func dailyCloses(_ symbol: String, from: Int64 = 0, to: Int64 = Int64.max) throws -> [PricePoint] {
        var out: [PricePoint] = []
        _ = try db.query(
            "SELECT time, price, market_cap, volume FROM prices WHERE symbol = ? AND time BETWEEN ? AND ? ORDER BY time",
            [symbol, from, to]
        ) { row -> Void in
            let p = PricePoint(
                symbol: symbol, time: row.int64(0), price: row.double(1), marketCap: row.optionalDouble(2),
                volume: row.optionalDouble(3))
            if let last = out.last, UTCCalendar.dayNumber(last.time) == UTCCalendar.dayNumber(p.time) {
                out[out.count - 1] = p
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// A market view at `time` (latest when nil) for the methodologies.
    public func marketView(at time: Int64? = nil) throws -> MarketView {
        let latest = try latestPrices(atOrBefore: time)
        return MarketView(
            assets: try assetMap(), prices: latest.mapValues(\.price), marketCaps: latest.compactMapValues(\.marketCap),
            volumes: latest.compactMapValues(\.volume))
    }
}
