import Foundation
import IndexCore
import PortfolioStore

/// `ingest.csv.1m` and `ingest.jsonl.1m`: what a user gets from `import prices` — a 1 M-row file on
/// disk parsed and stored (the same `PortfolioStore.importPrices` the command runs, one transaction,
/// NAV points included), not pre-parsed rows like `ingest.1m`.
enum IngestBenchmarks {
    static let symbols = 100

    /// Writes the 1 M-row file (100 symbols, hourly from 2024-01-01, ISO-8601 times, time-major order).
    static func writeFile(path: String, rows: Int, jsonl: Bool) throws {
        var text = jsonl ? "" : "time,symbol,price,market_cap,volume\n"
        text.reserveCapacity(rows * 70)
        var k = 0
        var step: Int64 = 0
        while k < rows {
            let time = UTCCalendar.iso(1_704_067_200 + step * 3600)
            for i in 1...symbols where k < rows {
                let p = Double(1 + i * 10) + Double(step % 97) * 0.01
                let sym = "S" + String(1000 + i).dropFirst()
                if jsonl {
                    text +=
                        #"{"time":"\#(time)","symbol":"\#(sym)","price":\#(p),"market_cap":\#(p * 1e7),"volume":\#(p * 1e5)}"#
                        + "\n"
                } else {
                    text += "\(time),\(sym),\(p),\(p * 1e7),\(p * 1e5)\n"
                }
                k += 1
            }
            step += 1
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func run(_ h: Harness, scratch: String) throws {
        for format in ["csv", "jsonl"] {
            let name = "ingest.\(format).1m"
            guard h.wants(name) else { continue }
            let file = scratch + "/ingest.\(format)"
            try writeFile(path: file, rows: 1_000_000, jsonl: format == "jsonl")
            try h.throughput(name, runs: 3) {
                let db = scratch + "/ingest-\(format).db"
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
                let store = try PortfolioStore(path: db)
                try store.upsertAssets(
                    (1...symbols).map { Asset(symbol: "S" + String(1000 + $0).dropFirst(), name: "S", sector: "") })
                let t0 = Harness.now()
                let rows = try store.importPrices(
                    path: file, file: file, bounds: .standard(now: PortfolioStore.wallClock()))
                return Double(rows) / (Harness.now() - t0)
            }
            try? FileManager.default.removeItem(atPath: file)
        }
    }
}
