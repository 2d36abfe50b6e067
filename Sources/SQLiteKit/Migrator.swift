import CSQLite

/// Named, ordered, append-only migrations tracked through `PRAGMA user_version`.
public struct Migrator {
    private var migrations: [(name: String, body: (Database) throws -> Void)] = []

    public init() {}

    /// Registers the next migration; its index + 1 is the schema version it produces.
    public mutating func register(_ name: String, _ body: @escaping (Database) throws -> Void) {
        migrations.append((name, body))
    }

    /// The schema version after every registered migration.
    public var latestVersion: Int { migrations.count }

    /// Applies the pending migrations, each in its own IMMEDIATE transaction.
    /// - Throws: `DatabaseError` if the file's version is newer than this program knows, or a migration fails.
    public func migrate(_ db: Database) throws {
        let current = try db.userVersion
        if current > migrations.count {
            throw DatabaseError(
                code: SQLITE_ERROR,
                message:
                    "schema version \(current) is newer than this indextop supports (\(migrations.count)); upgrade indextop",
                path: db.path)
        }
        for index in current..<migrations.count {
            try db.transaction {
                try migrations[index].body(db)
                try db.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
