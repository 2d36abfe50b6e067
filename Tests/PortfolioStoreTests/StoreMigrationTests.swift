import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

@Suite struct StoreMigrationTests {
    let f: StoreFixture

    init() throws { f = try StoreFixture() }

    @Test func aVersionOneDatabaseIsMigrated() throws {
        // Turn the fixture's file into a version-1 database: the v1 schema only, with data in it.
        try f.prices(at: jan1, ["BTC": 100])
        try f.store.db.execute(
            "DROP INDEX signals_time; DROP TABLE regimes; DROP TABLE alerts; PRAGMA user_version = 1")
        #expect(try f.store.db.userVersion == 1)
        let reopened = try PortfolioStore(path: f.path, create: false)
        #expect(try reopened.db.userVersion == PortfolioStore.schemaVersion)
        #expect(PortfolioStore.schemaVersion >= 2)
        #expect(try reopened.db.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE name = 'regimes'") == 1)
        #expect(try reopened.priceCount() == 1)
        #expect(try reopened.assets().count == 4)
    }

    @Test func aNewerDatabaseIsRefused() throws {
        try f.store.db.execute("PRAGMA user_version = 99")
        let error = #expect(throws: StoreError.self) { _ = try PortfolioStore(path: f.path) }
        #expect(error?.message.contains("newer") == true)
        #expect(error?.message.contains(f.path) == true)
        let readOnly = #expect(throws: StoreError.self) { _ = try PortfolioStore(path: f.path, readOnly: true) }
        #expect(readOnly?.message.contains("newer") == true)
    }

    @Test func aMissingDatabaseIsNotCreatedUnlessAsked() throws {
        let path = f.directory + "/sub/none.db"
        let error = #expect(throws: StoreError.self) { _ = try PortfolioStore(path: path, create: false) }
        #expect(error?.message.contains("no such database") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
        _ = try PortfolioStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}

/// Opening refuses, untouched, a file that is not an indextop database.
@Suite struct StoreIdentityTests {
    let f: StoreFixture

    init() throws { f = try StoreFixture() }

    @Test func aForeignDatabaseIsRefusedWithoutAWrite() throws {
        let path = f.directory + "/foreign.db"
        do {
            let other = try Database(path: path, wal: false)
            try other.execute(
                "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes VALUES (1, 'x')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for create in [false, true] {
            let error = #expect(throws: StoreError.self) { _ = try PortfolioStore(path: path, create: create) }
            #expect(error?.message.contains("not an indextop database") == true)
        }
        #expect(throws: StoreError.self) { _ = try PortfolioStore(path: path, readOnly: true) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func signalsKeepTheirRowsWhenTheirKeyColumnsMoveFirst() throws {
        // A version-2 file (signals laid out score, label, components before source) with two signals.
        try f.prices(at: jan1, ["BTC": 100])
        try f.store.db.execute(
            """
            DROP TABLE signals;
            DROP TABLE IF EXISTS alerts;
            CREATE TABLE signals(
                symbol TEXT NOT NULL REFERENCES assets(symbol) ON DELETE CASCADE, time INTEGER NOT NULL,
                score REAL NOT NULL, label TEXT NOT NULL CHECK (label IN ('bullish', 'neutral', 'bearish')),
                components TEXT NOT NULL DEFAULT '{}', source TEXT NOT NULL DEFAULT 'rating',
                PRIMARY KEY (symbol, time, source)) WITHOUT ROWID;
            CREATE INDEX signals_time ON signals(time);
            INSERT INTO signals VALUES ('BTC', 86400, 0.5, 'bullish', '{"a":1}', 'rating');
            INSERT INTO signals VALUES ('BTC', 86400, -1, 'bearish', '{}', 'file');
            PRAGMA user_version = 2;
            """)
        let reopened = try PortfolioStore(path: f.path, create: false)
        let columns = try reopened.db.query("SELECT name FROM pragma_table_info('signals') ORDER BY cid") {
            $0.string(0)
        }
        #expect(columns == ["symbol", "time", "source", "score", "label", "components"])
        let rows = try reopened.db.query("SELECT source, score, label, components FROM signals ORDER BY source") {
            "\($0.string(0)) \($0.double(1)) \($0.string(2)) \($0.string(3))"
        }
        #expect(rows == ["file -1.0 bearish {}", "rating 0.5 bullish {\"a\":1}"])
        #expect(try reopened.db.scalarString("PRAGMA integrity_check") == "ok")
    }
}
