import CSQLite

/// A value SQLite can store.
public enum DatabaseValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A value that binds to a statement parameter.
public protocol Bindable: Sendable {
    /// The SQLite representation of the value.
    var databaseValue: DatabaseValue { get }
}

extension Int: Bindable { public var databaseValue: DatabaseValue { .integer(Int64(self)) } }
extension Int64: Bindable { public var databaseValue: DatabaseValue { .integer(self) } }
extension Double: Bindable { public var databaseValue: DatabaseValue { .real(self) } }
extension String: Bindable { public var databaseValue: DatabaseValue { .text(self) } }
extension Bool: Bindable { public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) } }
extension DatabaseValue: Bindable { public var databaseValue: DatabaseValue { self } }
extension Optional: Bindable where Wrapped: Bindable {
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
}

/// One SQLite connection. Not thread-safe: confine it to one queue.
public final class Database {
    /// How to open the file.
    public enum Mode: Sendable { case readWrite, readWriteCreate, readOnly }

    let handle: OpaquePointer
    /// The file path (":memory:" for an in-memory database).
    public let path: String
    /// How long a statement waits for another connection's lock before failing.
    public let busyTimeoutMs: Int32
    private var cache: [String: Statement] = [:]
    private var transactionDepth = 0
    private var commitHooks: [() -> Void] = []

    /// Opens (or creates) the database at `path`, turns on foreign keys, sets a busy timeout, and
    /// (when `wal`) switches file databases opened for writing to WAL. Opening writes nothing to an
    /// existing file unless `wal` switches its journal mode: callers that must not touch a foreign file
    /// pass `wal: false` and call ``enableWAL()`` once they know the file is theirs.
    /// - Throws: `DatabaseError` when the file cannot be opened or WAL cannot be enabled.
    public init(path: String, mode: Mode = .readWriteCreate, busyTimeoutMs: Int32 = 5000, wal: Bool = true) throws {
        var db: OpaquePointer?
        let flags: Int32
        switch mode {
        case .readWrite: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        case .readWriteCreate: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        case .readOnly: flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: message, path: path)
        }
        self.handle = db
        self.path = path
        self.busyTimeoutMs = busyTimeoutMs
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMs)
        try execute("PRAGMA foreign_keys = ON")
        if wal, mode != .readOnly { try enableWAL() }
    }

    /// Switches a file database to WAL (a write to the file header) with `synchronous = NORMAL`.
    /// Does nothing for an in-memory database.
    public func enableWAL() throws {
        guard path != ":memory:" else { return }
        let answer = try scalarString("PRAGMA journal_mode = WAL")
        guard answer?.lowercased() == "wal" else {
            throw DatabaseError(
                code: SQLITE_ERROR, message: "journal_mode=WAL answered \(answer ?? "nothing")", path: path)
        }
        try execute("PRAGMA synchronous = NORMAL")
    }

    /// An error for `rc` with this connection's message and file.
    func error(_ rc: Int32, sql: String?) -> DatabaseError {
        DatabaseError(
            code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path,
            busyTimeoutMs: busyTimeoutMs)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func check(_ rc: Int32, sql: String? = nil) throws {
        guard rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE else {
            throw error(rc, sql: sql)
        }
    }

    /// Runs one or more statements that take no parameters and return no rows.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(err)
            throw DatabaseError(code: rc, message: message, sql: sql, path: path, busyTimeoutMs: busyTimeoutMs)
        }
    }

    /// Runs one statement with `arguments` and returns no rows.
    public func run(_ sql: String, _ arguments: [any Bindable] = []) throws {
        let statement = try cached(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// A prepared statement for `sql`, cached on this connection and reset for reuse.
    public func cached(_ sql: String) throws -> Statement {
        if let statement = cache[sql] {
            statement.reset()
            return statement
        }
        let statement = try Statement(database: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// A new, uncached prepared statement.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Every row of `sql` mapped through `map`.
    public func query<T>(_ sql: String, _ arguments: [any Bindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        let statement = try cached(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        var out: [T] = []
        while try statement.step() { out.append(try map(Row(statement: statement))) }
        return out
    }

    /// The first row of `sql` mapped through `map`, or nil.
    public func queryOne<T>(_ sql: String, _ arguments: [any Bindable] = [], _ map: (Row) throws -> T) throws -> T? {
        let statement = try cached(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try map(Row(statement: statement))
    }

    /// The first column of the first row as an integer.
    public func scalarInt(_ sql: String, _ arguments: [any Bindable] = []) throws -> Int64? {
        try queryOne(sql, arguments) { $0.optionalInt64(0) } ?? nil
    }

    /// The first column of the first row as a double.
    public func scalarDouble(_ sql: String, _ arguments: [any Bindable] = []) throws -> Double? {
        try queryOne(sql, arguments) { $0.optionalDouble(0) } ?? nil
    }

    /// The first column of the first row as a string.
    public func scalarString(_ sql: String, _ arguments: [any Bindable] = []) throws -> String? {
        try queryOne(sql, arguments) { $0.optionalString(0) } ?? nil
    }

    /// The rowid of the last insert on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; any thrown error rolls back and is rethrown
    /// (the first error wins). Nested calls use savepoints.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            let name = "sp\(transactionDepth)"
            try execute("SAVEPOINT \(name)")
            let mark = commitHooks.count
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                commitHooks.removeSubrange(mark...)
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        defer {
            transactionDepth = 0
            commitHooks = []
        }
        do {
            let result = try body()
            try execute("COMMIT")
            let hooks = commitHooks
            commitHooks = []
            for hook in hooks { hook() }
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `hook` once the outermost transaction commits (at once outside a transaction); dropped when it
    /// rolls back (also when only its savepoint rolls back).
    public func afterCommit(_ hook: @escaping () -> Void) {
        if transactionDepth == 0 { hook() } else { commitHooks.append(hook) }
    }

    /// The schema version stored in `PRAGMA user_version`.
    public var userVersion: Int {
        get throws { Int(try scalarInt("PRAGMA user_version") ?? 0) }
    }
}
