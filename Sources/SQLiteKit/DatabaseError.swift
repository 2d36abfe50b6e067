import CSQLite

/// An SQLite failure: the result code, SQLite's message and the SQL that failed (never bound values).
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's (extended) result code.
    public let code: Int32
    /// SQLite's error message.
    public let message: String
    /// The statement that failed, if any.
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String {
        if let sql { return "SQLite error \(code): \(message) (in: \(sql))" }
        return "SQLite error \(code): \(message)"
    }

    /// True when the error is a constraint violation (unique, foreign key, check).
    public var isConstraint: Bool { code & 0xff == SQLITE_CONSTRAINT }
}
