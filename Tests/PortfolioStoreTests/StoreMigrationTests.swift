import Foundation
import IndexCore
import PortfolioStore
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
