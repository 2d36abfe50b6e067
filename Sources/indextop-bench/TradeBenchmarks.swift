import Foundation
import IndexCore
import PortfolioStore

/// Benchmarks of tracked indices: importing 100 000 trades (parse + value + store + rebuild the lots,
/// one transaction) and the P&L over them.
enum TradeBenchmarks {
    static let count = 100_000
    static let symbols = (0..<20).map { "C\($0)" }

    /// A database with 20 coins and BNB (a year of daily prices) and the tracked index `mine`.
    static func makeStore(path: String) throws -> PortfolioStore {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try PortfolioStore(path: path)
        try store.upsertAssets((symbols + ["BNB"]).map { Asset(symbol: $0, name: $0, sector: "Layer-1") })
        var points: [PricePoint] = []
        let start = Int64(1_735_689_600)
        for (i, s) in (symbols + ["BNB"]).enumerated() {
            for d in 0..<366 {
                points.append(
                    PricePoint(symbol: s, time: start + Int64(d) * 86_400, price: 10 + Double(i) + Double(d % 30)))
            }
        }
        try store.insertPrices(points)
        let spec = try IndexSpec.parse(
            Data(
                #"{"slug":"mine","name":"Mine","initial_capital":1,"universe":["C0","C1"],"methodology":{"type":"equal"}}"#
                    .utf8), file: "bench")
        try store.createTrackedIndex(spec)
        return store
    }

    /// 100 000 generic CSV rows over 2025: buys and partial sales of 20 coins, a fifth of the fees in BNB.
    static func tradesCSV() -> Data {
        var rng = SeededGenerator(seed: 5)
        var held = [Double](repeating: 0, count: symbols.count)
        var out = "time,symbol,side,quantity,price,fee,fee_symbol,venue,id\n"
        out.reserveCapacity(count * 70)
        let start = 1_735_689_600 + 3600
        for k in 0..<count {
            let i = Int(rng.nextUniform() * Double(symbols.count)) % symbols.count
            let t = start + k * 300
            let price = 10 + Double(i) + rng.nextUniform() * 5
            let sell = held[i] > 1 && rng.nextUniform() < 0.4
            let q = sell ? held[i] * (0.1 + 0.5 * rng.nextUniform()) : 1 + rng.nextUniform() * 10
            held[i] += sell ? -q : q
            let bnb = rng.nextUniform() < 0.2
            let fee = bnb ? q * price * 0.00075 / 20 : q * price * 0.001
            out +=
                "\(t),\(symbols[i]),\(sell ? "sell" : "buy"),\(q),\(price),\(fee),\(bnb ? "BNB" : ""),bench,b\(k)\n"
        }
        return Data(out.utf8)
    }

    static func run(_ h: Harness, scratch: String) throws {
        guard
            h.wants("trades.import.100k") || h.wants("pnl.100k") || h.wants("trades.parse")
                || h.wants("lots.fifo")
        else { return }
        let data = tradesCSV()
        let path = scratch + "/bench-trades.db"
        try h.throughput("trades.import.100k", runs: 3) {
            let store = try makeStore(path: path)
            let t0 = Harness.now()
            let lines = try TradeFile.parse(data, file: "bench.csv")
            let r = try store.importTrades(lines, into: "mine", file: "bench.csv")
            let elapsed = Harness.now() - t0
            precondition(r.imported == count)
            return Double(count) / elapsed
        }
        try h.time("trades.parse.100k") { _ = try TradeFile.parse(data, file: "bench.csv") }
        let parsed = try TradeFile.parse(data, file: "bench.csv")
        let pure = parsed.map {
            Trade(
                time: $0.time, symbol: $0.symbol, kind: $0.side, quantity: $0.quantity, price: $0.price,
                feeValue: $0.fee)
        }
        try h.time("lots.fifo.100k") { _ = try Lots.positions(pure, method: .fifo) }
        guard h.wants("pnl.100k") else { return }
        let store = try makeStore(path: path)
        try store.importTrades(try TradeFile.parse(data, file: "bench.csv"), into: "mine", file: "bench.csv")
        try h.time("pnl.100k") { _ = try store.pnl("mine", method: .fifo) }
        try h.time("pnl.100k.average") { _ = try store.pnl("mine", method: .average) }
    }
}
