import CSQLite

/// A prepared statement; finalized when released.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    /// The SQL text.
    public let sql: String

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw database.error(rc, sql: sql)
        }
        self.handle = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `arguments` to parameters 1...n (clearing earlier bindings).
    public func bind(_ arguments: [any Bindable]) throws {
        sqlite3_clear_bindings(handle)
        for (i, arg) in arguments.enumerated() {
            try bind(arg.databaseValue, at: Int32(i + 1))
        }
    }

    /// Binds one value at 1-based `index`.
    public func bind(_ value: DatabaseValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = csqlite_bind_text_transient(handle, index, v, -1)
        case .blob(let v):
            rc = v.withUnsafeBytes { csqlite_bind_blob_transient(handle, index, $0.baseAddress, Int32(v.count)) }
        }
        try database.check(rc, sql: sql)
    }

    /// Binds a double without boxing (hot paths).
    public func bind(double value: Double, at index: Int32) throws {
        try database.check(sqlite3_bind_double(handle, index, value), sql: sql)
    }

    /// Binds an integer without boxing (hot paths).
    public func bind(int value: Int64, at index: Int32) throws {
        try database.check(sqlite3_bind_int64(handle, index, value), sql: sql)
    }

    /// Binds NULL.
    public func bindNull(at index: Int32) throws {
        try database.check(sqlite3_bind_null(handle, index), sql: sql)
    }

    /// Advances; true when a row is available.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let error = database.error(rc, sql: sql)
        sqlite3_reset(handle)
        throw error
    }

    /// Runs to completion, then resets (for inserts in a loop).
    public func execute() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Resets for another execution (bindings kept).
    public func reset() { sqlite3_reset(handle) }
}

/// The current row of a statement; valid only until the next step.
public struct Row {
    let statement: Statement

    private var h: OpaquePointer { statement.handle }

    /// True when column `i` is NULL.
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(h, i) == SQLITE_NULL }
    /// Column `i` as an integer (0 for NULL).
    public func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(h, i) }
    /// Column `i` as an Int.
    public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(h, i)) }
    /// Column `i` as a double (0 for NULL).
    public func double(_ i: Int32) -> Double { sqlite3_column_double(h, i) }
    /// Column `i` as a Bool.
    public func bool(_ i: Int32) -> Bool { sqlite3_column_int64(h, i) != 0 }
    /// Column `i` as text ("" for NULL).
    public func string(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(h, i) else { return "" }
        return String(cString: p)
    }
    /// Column `i`, nil when NULL.
    public func optionalInt64(_ i: Int32) -> Int64? { isNull(i) ? nil : int64(i) }
    /// Column `i`, nil when NULL.
    public func optionalDouble(_ i: Int32) -> Double? { isNull(i) ? nil : double(i) }
    /// Column `i`, nil when NULL.
    public func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
}

extension Statement {
    /// Column `i` of the current row as text.
    public func columnString(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(cString: p)
    }
    /// Column `i` of the current row as an integer.
    public func columnInt64(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    /// Column `i` of the current row as a double.
    public func columnDouble(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }
    /// The number of columns in the result.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }
    /// True when column `i` of the current row is NULL.
    public func columnIsNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
}
