import Foundation
import SQLiteKit
import Testing

@Suite struct MigratorTests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    /// Two migrations: v1 makes `a`, v2 makes `b` and copies a count of `a` into it.
    private var migrator: Migrator {
        var m = Migrator()
        m.register("v1") { db in try db.execute("CREATE TABLE a(id INTEGER PRIMARY KEY)") }
        m.register("v2") { db in
            try db.execute("CREATE TABLE b(n INTEGER NOT NULL); INSERT INTO b(n) SELECT COUNT(*) FROM a")
        }
        return m
    }

    private func tables(_ db: Database) throws -> [String] {
        try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
    }

    @Test func aNewDatabaseGetsEveryMigration() throws {
        let db = try Database(path: dir.file("new.db"))
        try migrator.migrate(db)
        #expect(try db.userVersion == 2)
        #expect(try tables(db) == ["a", "b"])
        #expect(migrator.latestVersion == 2)
    }

    @Test func anOlderVersionIsMigratedFromWhereItIs() throws {
        let path = dir.file("v1.db")
        do {
            // A version-1 file made by hand, with only the v1 schema and some data.
            let db = try Database(path: path)
            try db.execute(
                """
                CREATE TABLE a(id INTEGER PRIMARY KEY);
                INSERT INTO a(id) VALUES (1), (2), (3);
                PRAGMA user_version = 1;
                """)
        }
        let db = try Database(path: path)
        // If v1 ran again, CREATE TABLE a would fail.
        try migrator.migrate(db)
        #expect(try db.userVersion == 2)
        #expect(try tables(db) == ["a", "b"])
        #expect(try db.scalarInt("SELECT n FROM b") == 3)
        // Migrating again is a no-op.
        try migrator.migrate(db)
        #expect(try db.scalarInt("SELECT COUNT(*) FROM b") == 1)
    }

    @Test func aNewerVersionIsRefusedWithAClearMessage() throws {
        let path = dir.file("v99.db")
        let db = try Database(path: path)
        try db.execute("PRAGMA user_version = 99")
        let error = #expect(throws: DatabaseError.self) { try migrator.migrate(db) }
        let message = error?.message ?? ""
        #expect(message.contains("99"))
        #expect(message.contains("newer"))
        #expect(error?.description.hasPrefix(path + ": ") == true)
        #expect(try db.userVersion == 99)
        #expect(try tables(db) == [])
    }

    @Test func aFailingMigrationLeavesThePreviousVersion() throws {
        var m = migrator
        m.register("v3-broken") { db in
            try db.execute("CREATE TABLE c(x INTEGER)")
            try db.execute("INSERT INTO no_such_table VALUES (1)")
        }
        let db = try Database(path: dir.file("broken.db"))
        #expect(throws: DatabaseError.self) { try m.migrate(db) }
        #expect(try db.userVersion == 2)
        #expect(try tables(db) == ["a", "b"])
    }
}
