import Foundation
import SQLiteKit
import Testing

@Suite struct DatabaseTests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    @Test func aFileDatabaseIsInWALMode() throws {
        let db = try Database(path: dir.file("wal.db"))
        #expect(try db.scalarString("PRAGMA journal_mode")?.lowercased() == "wal")
        #expect(FileManager.default.fileExists(atPath: dir.file("wal.db")))
    }

    @Test func walLetsAReaderSeeOnlyCommittedRows() throws {
        let path = dir.file("readers.db")
        let writer = try Database(path: path)
        try writer.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)")
        try writer.run("INSERT INTO t(id) VALUES (1)")
        let reader = try Database(path: path, mode: .readOnly)
        try writer.transaction {
            try writer.run("INSERT INTO t(id) VALUES (2)")
            // The writer holds its write lock; the reader is not blocked and sees the last commit.
            #expect(try reader.scalarInt("SELECT COUNT(*) FROM t") == 1)
        }
        #expect(try reader.scalarInt("SELECT COUNT(*) FROM t") == 2)
    }

    @Test func anInMemoryDatabaseOpensWithoutWAL() throws {
        let db = try Database(path: ":memory:")
        #expect(try db.scalarString("PRAGMA journal_mode")?.lowercased() == "memory")
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try Database(path: dir.file("fk.db"))
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        try db.execute(
            """
            CREATE TABLE parent(id INTEGER PRIMARY KEY);
            CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
            INSERT INTO parent(id) VALUES (1);
            """)
        try db.run("INSERT INTO child(id, parent_id) VALUES (1, 1)")
        let error = #expect(throws: DatabaseError.self) {
            try db.run("INSERT INTO child(id, parent_id) VALUES (2, 42)")
        }
        #expect(error?.isConstraint == true)
        #expect(error?.message.contains("FOREIGN KEY constraint failed") == true)
        #expect(throws: DatabaseError.self) { try db.run("DELETE FROM parent WHERE id = 1") }
        #expect(try db.scalarInt("SELECT COUNT(*) FROM child") == 1)
    }

    @Test func errorsCarrySQLitesMessageAndTheSQLButNotTheBoundValues() throws {
        let db = try Database(path: dir.file("errors.db"))
        try db.execute("CREATE TABLE secrets(id INTEGER PRIMARY KEY, secret TEXT NOT NULL UNIQUE)")
        let sql = "INSERT INTO secrets(id, secret) VALUES (?, ?)"
        try db.run(sql, [1, "sk-live-CORRECT-HORSE-BATTERY"])
        let error = #expect(throws: DatabaseError.self) {
            try db.run(sql, [2, "sk-live-CORRECT-HORSE-BATTERY"])
        }
        guard let error else { return }
        #expect(error.message.contains("UNIQUE constraint failed: secrets.secret"))
        #expect(error.sql == sql)
        #expect(error.code & 0xff == 19)  // SQLITE_CONSTRAINT
        #expect(error.isConstraint)
        // One line naming the file; the SQL is kept in `sql`, not printed.
        let text = "\(error)"
        #expect(text == dir.file("errors.db") + ": UNIQUE constraint failed: secrets.secret")
        #expect(!text.contains("CORRECT-HORSE"))
        #expect(!String(reflecting: error).contains("CORRECT-HORSE"))
    }

    @Test func aSyntaxErrorNamesTheStatement() throws {
        let db = try Database(path: dir.file("syntax.db"))
        let sql = "SELEC 1"
        let error = #expect(throws: DatabaseError.self) { _ = try db.scalarInt(sql) }
        #expect(error?.message.contains("syntax error") == true)
        #expect(error?.sql == sql)
        #expect(error?.isConstraint == false)
    }

    @Test func anExecuteErrorNamesTheStatement() throws {
        let db = try Database(path: dir.file("exec.db"))
        let error = #expect(throws: DatabaseError.self) { try db.execute("DROP TABLE missing_table") }
        #expect(error?.message.contains("no such table: missing_table") == true)
        #expect(error?.sql == "DROP TABLE missing_table")
    }

    @Test func openingAMissingFileReadOnlyFails() throws {
        let path = dir.file("absent.db")
        let error = #expect(throws: DatabaseError.self) { _ = try Database(path: path, mode: .readWrite) }
        #expect(error?.path == path)
        #expect(error?.description.hasPrefix(path + ": cannot open the file") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func valuesRoundTripThroughBindingsAndRows() throws {
        let db = try Database(path: dir.file("values.db"))
        try db.execute("CREATE TABLE v(i INTEGER, r REAL, t TEXT, b BLOB, n TEXT)")
        let nothing: String? = nil
        try db.run(
            "INSERT INTO v VALUES (?, ?, ?, ?, ?)",
            [Int64.max, 0.1, "héllo ✓", DatabaseValue.blob([0, 255, 7]), nothing])
        let row = try db.queryOne("SELECT i, r, t, length(b), hex(b), n FROM v") {
            ($0.int64(0), $0.double(1), $0.string(2), $0.int(3), $0.string(4), $0.optionalString(5))
        }
        #expect(row?.0 == Int64.max)
        #expect(row?.1 == 0.1)
        #expect(row?.2 == "héllo ✓")
        #expect(row?.3 == 3)
        #expect(row?.4 == "00FF07")
        #expect(row?.5 == nil)
    }
}
