import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

/// `importPrices`: the streaming ingest behind `import prices` (issue 16): one transaction including
/// the NAV points, all or nothing, duplicates within the file refused, stored rows replaced.
@Suite struct PriceImportTests {
    let f: StoreFixture
    let bounds = TimeBounds.standard(now: jan1 + 30 * day)

    init() throws {
        f = try StoreFixture()
        try f.prices(at: jan1, ["BTC": 50_000, "ETH": 2_500, "SOL": 100, "USDC": 1], caps: ["BTC": 10, "ETH": 4])
        _ = try f.store.createIndex(
            try f.spec(
                """
                {"slug":"two","name":"Two","initial_capital":1000,"universe":["BTC","ETH"],
                 "methodology":{"type":"equal"},"rebalance":{"schedule":"none"}}
                """), at: jan1)
    }

    private func write(_ text: String, _ name: String = "p.csv") throws -> String {
        let path = f.directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func navCount() throws -> Int64 { try f.store.db.scalarInt("SELECT COUNT(*) FROM index_values") ?? 0 }

    @Test func rowsAndTheNAVPointLandInOneTransaction() throws {
        let before = try navCount()
        let path = try write("\u{FEFF}time,symbol,price\r\n2025-01-02,btc,60000\r\n2025-01-02,ETH,3000\r\n")
        #expect(try f.store.importPrices(path: path, file: "p.csv", bounds: bounds) == 2)
        #expect(try f.store.price("BTC")?.price == 60_000)
        #expect(try navCount() == before + 1)
        // Equal weight, 1000 at 50 000 / 2 500 less fees: BTC +20 %, ETH +20 % → the NAV rose by 20 %
        // of what was invested; the new point is at the new price time.
        #expect(try f.store.db.scalarInt("SELECT MAX(time) FROM index_values") == jan1 + day)
    }

    @Test func aBadLastLineStoresNothingNotEvenTheNAV() throws {
        let snapshot = try f.snapshot()
        let path = try write("time,symbol,price\n2025-01-02,BTC,60000\n2025-01-03,BTC,0x10\n")
        #expect(throws: InputError(file: "p.csv", line: 3, field: "price", "'0x10' is not a decimal number")) {
            try f.store.importPrices(path: path, file: "p.csv", bounds: bounds)
        }
        #expect(try f.snapshot() == snapshot)
    }

    @Test func aRowTwiceInTheFileIsRefusedWhetherNewOrOverlappingStoredPrices() throws {
        let snapshot = try f.snapshot()
        // New (after the stored newest BTC price): the insert detects it.
        let fresh = try write("time,symbol,price\n2025-01-02,BTC,1\n2025-01-03,ETH,1\n2025-01-02T00:00:00Z,BTC,2\n")
        #expect(
            throws: InputError(file: "p.csv", line: 4, field: "time", "duplicate row for BTC at 2025-01-02T00:00:00Z")
        ) { try f.store.importPrices(path: fresh, file: "p.csv", bounds: bounds) }
        // At a stored time: the first replaces, the second is the duplicate.
        let old = try write("time,symbol,price\n\(jan1),BTC,1\n\(jan1),BTC,2\n")
        #expect(
            throws: InputError(file: "p.csv", line: 3, field: "time", "duplicate row for BTC at 2025-01-01T00:00:00Z")
        ) { try f.store.importPrices(path: old, file: "p.csv", bounds: bounds) }
        #expect(try f.snapshot() == snapshot)
    }

    @Test func reImportingReplacesStoredRows() throws {
        let path = try write(#"{"time":1735689600,"symbol":"BTC","price":51000,"market_cap":11}"# + "\n", "p.jsonl")
        #expect(try f.store.importPrices(path: path, file: "p.jsonl", bounds: bounds) == 1)
        #expect(try f.store.price("BTC") == PricePoint(symbol: "BTC", time: jan1, price: 51_000, marketCap: 11))
        #expect(try f.store.priceCount() == 4)
    }

    @Test func implausibleTimesUnknownSymbolsAndEmptyFilesAreRefused() throws {
        for (text, message) in [
            ("time,symbol,price\n9999-12-31,BTC,1\n", "p.csv:2: time: '9999-12-31' is outside the plausible range"),
            ("time,symbol,price\n2025-01-02,DOGE,1\n", "p.csv:2: symbol: unknown symbol 'DOGE'"),
            ("time,symbol,price\n", "p.csv: empty file: a header but no prices"),
            ("", "p.csv: empty file: no prices"),
            (
                "time,symbol,price\n2025-01-02,BTC,1\n" + "2025-01-03,BTC,\u{FFFD}\n",
                "p.csv:3: price: '\u{FFFD}' is not"
            ),
        ] {
            let path = try write(text)
            do {
                try f.store.importPrices(path: path, file: "p.csv", bounds: bounds)
                Issue.record("accepted \(text)")
            } catch {
                #expect("\(error)".hasPrefix(message), "\(error)")
            }
        }
        var bytes = Array("time,symbol,price\n2025-01-02,BT".utf8) + [0xFF] + Array(",1\n".utf8)
        let path = f.directory + "/bad.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        bytes.removeAll()
        #expect(throws: InputError(file: "bad.csv", line: 2, "invalid UTF-8")) {
            try f.store.importPrices(path: path, file: "bad.csv", bounds: bounds)
        }
    }

    @Test func aLargeFileStreamsAcrossChunksWithCRLines() throws {
        // 60 000 rows ≈ 1.9 MB: more than one 1 MiB read, lines ending in a lone CR.
        var text = "time,symbol,price,volume\r"
        for i in 0..<60_000 { text += "\(jan1 + Int64(i + 1) * 60),\(["BTC", "ETH", "SOL"][i % 3]),\(i + 1).5,\(i)\r" }
        let path = try write(text)
        let later = TimeBounds.standard(now: jan1 + 60 * day)
        #expect(try f.store.importPrices(path: path, file: "p.csv", bounds: later) == 60_000)
        // Sum of (i + 1.5) for i in 0..<60 000 = 60 000 · 59 999 / 2 + 1.5 · 60 000 = 1 800 060 000.
        #expect(
            try f.store.db.scalarDouble("SELECT SUM(price) FROM prices WHERE time > ?", [jan1]) == 1_800_060_000)
    }
}
