import CSQLite

/// An SQLite failure: the result code, SQLite's message, the file and the SQL that failed (never bound values).
/// Its description is one line naming the file and what failed, never the SQL (kept in `sql` for debugging).
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's (extended) result code.
    public let code: Int32
    /// SQLite's error message.
    public let message: String
    /// The statement that failed, if any.
    public let sql: String?
    /// The database file, if known.
    public let path: String?
    /// The busy timeout in milliseconds the connection waited before a "locked" failure.
    public let busyTimeoutMs: Int32

    public init(code: Int32, message: String, sql: String? = nil, path: String? = nil, busyTimeoutMs: Int32 = 0) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
        self.busyTimeoutMs = busyTimeoutMs
    }

    /// `FILE: what failed`, on one line.
    public var description: String {
        let what = problem
        guard let path, !what.hasPrefix(path) else { return what }
        return "\(path): \(what)"
    }

    /// What failed, in words, on one line (no file, no SQL).
    public var problem: String {
        let flat = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED:
            let waited = busyTimeoutMs > 0 ? "; retried \(Self.seconds(busyTimeoutMs))" : ""
            return "database is locked (another indextop is writing\(waited))"
        case SQLITE_READONLY: return "cannot write: the file or its folder is read-only"
        case SQLITE_CANTOPEN: return "cannot open the file (\(flat))"
        case SQLITE_NOTADB: return "not an SQLite database"
        case SQLITE_CORRUPT: return "the database file is corrupt (\(flat))"
        case SQLITE_FULL: return "disk full: nothing was written"
        case SQLITE_IOERR: return "I/O error (\(flat))"
        case SQLITE_PERM, SQLITE_AUTH: return "permission denied"
        default: return flat
        }
    }

    /// True when the error is a constraint violation (unique, foreign key, check).
    public var isConstraint: Bool { code & 0xff == SQLITE_CONSTRAINT }

    /// True when another connection held the lock past the busy timeout.
    public var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }

    static func seconds(_ ms: Int32) -> String {
        ms % 1000 == 0 ? "\(ms / 1000) s" : String(Double(ms) / 1000) + " s"
    }
}
