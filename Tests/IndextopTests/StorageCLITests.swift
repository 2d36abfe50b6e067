import Foundation
import TestSupport
import Testing

/// Opening never writes to a file that is not an indextop database; database errors are one line naming
/// the file; a demo database passes the sqlite3 CLI's own integrity check.
@Suite(.demoDatabase) struct StorageCLITests {
    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    /// `sqlite3 ARGS` in `harness`'s home; returns stdout trimmed, fails on a non-zero exit.
    @discardableResult
    private func sqlite(_ harness: ProcessHarness, _ args: [String]) throws -> String {
        let r = try ProcessHarness.run(Self.sqlite3, args, home: harness.home, stdin: "", passphrase: nil)
        guard r.code == 0 else { throw ProcessHarness.Failure(description: "sqlite3 \(args): \(r.err)") }
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aForeignSQLiteFileIsByteIdenticalAfterAReadCommand() throws {
        let h = try ProcessHarness()
        defer { h.cleanUp() }
        try sqlite(
            h, [h.db, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes VALUES (1, 'a');"])
        let before = try Data(contentsOf: URL(fileURLWithPath: h.db))
        for args in [["index", "list"], ["holdings", "x", "--json"], ["assets", "add", "BTC"], ["init"]] {
            let r = try h.run(args + ["--db", h.db])
            #expect(r.code == 1, "\(args): \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1, "\(args): \(r.err)")
            #expect(r.err.contains(h.db) && r.err.contains("not an indextop database"), "\(r.err)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.db)) == before)
        #expect(!FileManager.default.fileExists(atPath: h.db + "-wal"))
        #expect(try sqlite(h, [h.db, "PRAGMA journal_mode"]) == "delete")
    }

    @Test func aFileThatIsNotSQLiteIsNamedOnOneLine() throws {
        let h = try ProcessHarness()
        defer { h.cleanUp() }
        let text = Data("not a database at all, just some text that is long enough to be a header\n".utf8)
        try text.write(to: URL(fileURLWithPath: h.db))
        let r = try h.run(["index", "list", "--db", h.db])
        #expect(r.code == 1)
        #expect(r.err == "indextop: \(h.db): not an SQLite database\n", "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.db)) == text)
    }

    @Test func anEmptyDatabaseIsNotGivenASchemaByAReadCommand() throws {
        let h = try ProcessHarness()
        defer { h.cleanUp() }
        _ = FileManager.default.createFile(atPath: h.db, contents: nil)
        let r = try h.run(["index", "list", "--db", h.db])
        #expect(r.code == 1)
        #expect(r.err.contains("run `indextop init`"), "\(r.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: h.db)).isEmpty)
        #expect(try h.run(["init", "--db", h.db]).code == 0)
        #expect(try h.run(["index", "list", "--db", h.db]).code == 0)
    }

    @Test func theDemoDatabasePassesTheSQLiteIntegrityCheck() throws {
        let h = try ProcessHarness()
        defer { h.cleanUp() }
        try h.copyDemo()
        #expect(try Int(sqlite(h, [h.db, "SELECT COUNT(*) FROM signals"])) ?? 0 > 0)
        #expect(try sqlite(h, [h.db, "PRAGMA integrity_check"]) == "ok")
        // The key columns lead the table (the layout that 3.40.1's check gets right).
        let columns = try sqlite(h, [h.db, "SELECT name FROM pragma_table_info('signals') ORDER BY cid LIMIT 3"])
        #expect(columns.split(separator: "\n") == ["symbol", "time", "source"])
    }

    @Test func aLockedDatabaseIsOneLineNamingTheFile() throws {
        let h = try ProcessHarness()
        defer { h.cleanUp() }
        try h.copyDemo()
        // A second program holds the write lock: sqlite3 reading its commands from a pipe we keep open.
        let holder = Process()
        holder.executableURL = Self.sqlite3
        holder.arguments = [h.db]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nINSERT INTO settings VALUES ('lock', 'held');\n".utf8))
        // Poll until the lock is held: another writer with no busy timeout is refused.
        let deadline = Date().addingTimeInterval(20)
        var held = false
        while !held, Date() < deadline {
            let probe = try ProcessHarness.run(
                Self.sqlite3, [h.db, "BEGIN IMMEDIATE; ROLLBACK;"], home: h.home, stdin: "", passphrase: nil)
            held = probe.code != 0
        }
        #expect(held)
        let r = try h.run(["assets", "add", "NEWCOIN", "--db", h.db])
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        #expect(r.code == 1)
        #expect(
            r.err == "indextop: \(h.db): database is locked (another indextop is writing; retried 5 s)\n", "\(r.err)")
    }
}
