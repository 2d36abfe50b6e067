import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit

let day: Int64 = 86_400
/// Wednesday 2025-01-01T00:00:00Z.
let jan1: Int64 = 1_735_689_600

/// A temporary database file with a small hand-made market, removed when released.
final class StoreFixture {
    let directory: String
    let path: String
    let store: PortfolioStore

    /// Opens a new store in a fresh temporary folder, with BTC, ETH, SOL and USDC as assets.
    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/portfoliostore-test-XXXXXX"
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        directory = String(cString: made)
        path = directory + "/indextop.db"
        store = try PortfolioStore(path: path, clock: { jan1 })
        try store.upsertAssets([
            Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1"),
            Asset(symbol: "ETH", name: "Ethereum", sector: "Layer-1"),
            Asset(symbol: "SOL", name: "Solana", sector: "Layer-1"),
            Asset(symbol: "USDC", name: "USD Coin", sector: "Stablecoin", isStablecoin: true),
        ])
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Stores one price per symbol at `time` (market caps given as `caps`).
    func prices(at time: Int64, _ prices: [String: Double], caps: [String: Double] = [:]) throws {
        try store.insertPrices(
            prices.keys.sorted().map { PricePoint(symbol: $0, time: time, price: prices[$0]!, marketCap: caps[$0]) })
    }

    /// Parses a spec written as JSON.
    func spec(_ json: String) throws -> IndexSpec { try IndexSpec.parse(Data(json.utf8), file: "test spec") }

    /// Every row of every table, exact to the bit (reals by bit pattern), sorted: equal snapshots mean
    /// equal databases.
    func snapshot() throws -> [String: [String]] {
        let db = store.db
        var out: [String: [String]] = [:]
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.string(0) }
        for table in tables {
            let columns = try db.query("SELECT name FROM pragma_table_info(?)", [table]) { $0.string(0) }
            let select = columns.map { "typeof(\"\($0)\"), \"\($0)\", hex(\"\($0)\")" }.joined(separator: ", ")
            let rows = try db.query("SELECT \(select) FROM \"\(table)\"") { row -> String in
                (0..<columns.count).map { i -> String in
                    let c = Int32(i * 3)
                    switch row.string(c) {
                    case "real": return "r:\(row.double(c + 1).bitPattern)"
                    case "integer": return "i:\(row.int64(c + 1))"
                    case "text": return "t:\(row.string(c + 1))"
                    case "blob": return "b:\(row.string(c + 2))"
                    default: return "null"
                    }
                }.joined(separator: "|")
            }
            out[table] = rows.sorted()
        }
        out["user_version"] = ["\(try db.userVersion)"]
        return out
    }
}
