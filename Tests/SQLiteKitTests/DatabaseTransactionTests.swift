import Foundation
import SQLiteKit
import Testing

private enum Boom: Error, Equatable { case first, second }

@Suite struct DatabaseTransactionTests {
    let dir: TemporaryDirectory
    let db: Database

    init() throws {
        dir = try TemporaryDirectory()
        db = try Database(path: dir.file("tx.db"))
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    }

    private func ids() throws -> [Int] {
        try db.query("SELECT id FROM t ORDER BY id") { $0.int(0) }
    }

    @Test func committedWhenTheBodyReturns() throws {
        let value = try db.transaction { () -> Int in
            try db.run("INSERT INTO t(id, v) VALUES (?, ?)", [1, "a"])
            return 42
        }
        #expect(value == 42)
        #expect(try ids() == [1])
    }

    @Test func rolledBackWhenTheBodyThrows() throws {
        try db.run("INSERT INTO t(id, v) VALUES (1, 'kept')")
        #expect(throws: Boom.first) {
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (2, 'b')")
                try db.run("UPDATE t SET v = 'changed' WHERE id = 1")
                throw Boom.first
            }
        }
        #expect(try ids() == [1])
        #expect(try db.scalarString("SELECT v FROM t WHERE id = 1") == "kept")
    }

    @Test func rolledBackWhenAStatementFails() throws {
        let error = #expect(throws: DatabaseError.self) {
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (1, 'a')")
                try db.run("INSERT INTO t(id, v) VALUES (1, 'duplicate')")
            }
        }
        #expect(error?.isConstraint == true)
        #expect(try ids() == [])
    }

    @Test func theFirstErrorWinsOverAFailedRollback() throws {
        // The body ends the transaction itself, so the ROLLBACK that follows its error fails too:
        // the caller must still see the body's error, not the rollback's.
        #expect(throws: Boom.first) {
            try db.transaction {
                try db.execute("COMMIT")
                throw Boom.first
            }
        }
        // The connection is usable for a new transaction afterwards.
        try db.transaction { try db.run("INSERT INTO t(id, v) VALUES (7, 'after')") }
        #expect(try ids() == [7])
    }

    @Test func aFailedCommitRollsBackAndLeavesNoOpenTransaction() throws {
        try db.execute(
            """
            CREATE TABLE parent(id INTEGER PRIMARY KEY);
            CREATE TABLE child(id INTEGER PRIMARY KEY,
                parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
            """)
        // A deferred foreign key is only checked at COMMIT, so COMMIT itself fails.
        let error = #expect(throws: DatabaseError.self) {
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (1, 'a')")
                try db.run("INSERT INTO child(id, parent_id) VALUES (1, 99)")
            }
        }
        #expect(error?.isConstraint == true)
        #expect(try ids() == [])
        #expect(try db.scalarInt("SELECT COUNT(*) FROM child") == 0)
        try db.transaction { try db.run("INSERT INTO t(id, v) VALUES (2, 'b')") }
        #expect(try ids() == [2])
    }

    @Test func aCaughtInnerFailureRollsBackOnlyItsSavepoint() throws {
        try db.transaction {
            try db.run("INSERT INTO t(id, v) VALUES (1, 'outer')")
            do {
                try db.transaction {
                    try db.run("INSERT INTO t(id, v) VALUES (2, 'inner')")
                    throw Boom.second
                }
                Issue.record("the inner transaction should have thrown")
            } catch Boom.second {}
            try db.run("INSERT INTO t(id, v) VALUES (3, 'outer again')")
        }
        #expect(try ids() == [1, 3])
    }

    @Test func anInnerSuccessIsUndoneWhenTheOuterFails() throws {
        #expect(throws: Boom.first) {
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (1, 'outer')")
                try db.transaction { try db.run("INSERT INTO t(id, v) VALUES (2, 'inner')") }
                throw Boom.first
            }
        }
        #expect(try ids() == [])
    }

    @Test func threeLevelsOfSavepoints() throws {
        try db.transaction {
            try db.run("INSERT INTO t(id, v) VALUES (1, 'level 1')")
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (2, 'level 2')")
                try? db.transaction {
                    try db.run("INSERT INTO t(id, v) VALUES (3, 'level 3')")
                    throw Boom.first
                }
                try db.transaction { try db.run("INSERT INTO t(id, v) VALUES (4, 'level 3 again')") }
            }
        }
        #expect(try ids() == [1, 2, 4])
        // The depth is back to zero: a new top-level transaction begins (and rolls back) normally.
        #expect(throws: Boom.second) {
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (5, 'x')")
                throw Boom.second
            }
        }
        #expect(try ids() == [1, 2, 4])
    }

    @Test func anErrorPropagatingThroughEveryLevelRollsBackEverything() throws {
        #expect(throws: Boom.second) {
            try db.transaction {
                try db.run("INSERT INTO t(id, v) VALUES (1, 'a')")
                try db.transaction {
                    try db.run("INSERT INTO t(id, v) VALUES (2, 'b')")
                    throw Boom.second
                }
            }
        }
        #expect(try ids() == [])
    }
}

/// Errors are one line naming the file; commit hooks run once, after the outermost commit.
@Suite struct DatabaseErrorLineTests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory() }

    @Test func aFailedStatementIsOneLineWithTheFileAndNoSQL() throws {
        let path = dir.file("e.db")
        let db = try Database(path: path)
        let error = #expect(throws: DatabaseError.self) {
            try db.execute(
                """
                SELECT *
                FROM no_such_table
                """)
        }
        #expect(error?.description == "\(path): no such table: no_such_table")
        #expect(error?.sql?.contains("no_such_table") == true)
    }

    @Test func aLockIsExplainedWithTheWaitingTime() throws {
        let path = dir.file("l.db")
        let a = try Database(path: path)
        try a.execute("CREATE TABLE t(x)")
        let b = try Database(path: path, busyTimeoutMs: 200)
        try a.execute("BEGIN IMMEDIATE")
        let error = #expect(throws: DatabaseError.self) { try b.run("INSERT INTO t VALUES (1)") }
        try a.execute("ROLLBACK")
        #expect(error?.description == "\(path): database is locked (another indextop is writing; retried 0.2 s)")
    }

    @Test func commitHooksRunAfterTheOutermostCommitOnly() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x)")
        var ran: [String] = []
        try db.transaction {
            try db.transaction { db.afterCommit { ran.append("inner") } }
            #expect(ran.isEmpty)
            try? db.transaction {
                db.afterCommit { ran.append("rolled back") }
                throw DatabaseError(code: 1, message: "no")
            }
        }
        #expect(ran == ["inner"])
        struct Stop: Error {}
        try? db.transaction {
            db.afterCommit { ran.append("never") }
            throw Stop()
        }
        #expect(ran == ["inner"])
        db.afterCommit { ran.append("now") }
        #expect(ran == ["inner", "now"])
    }
}
