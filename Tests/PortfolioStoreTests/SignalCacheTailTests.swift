import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

/// The candle cache is brought up to date from the newest day(s) when a feed appends ticks, and rebuilt
/// when older history changes: either way its signals equal those of a store that reads everything afresh.
@Suite struct SignalCacheTailTests {
    /// Signals as comparable text (symbol, day, score, label, the indicators that depend on the tail).
    static func signature(_ store: PortfolioStore) throws -> [String] {
        try store.signalViews().map { v in
            let i = v.indicators
            return [
                v.symbol, String(v.time), String(v.score), v.label, String(describing: v.close),
                String(describing: i?.sma20), String(describing: i?.rsi14), String(describing: i?.macdHist),
                String(describing: i?.drawdown90),
            ].joined(separator: "|")
        }
    }

    func freshSignature(_ path: String) throws -> [String] {
        let fresh = try PortfolioStore(path: path, create: false)
        fresh.enableSignals()
        return try Self.signature(fresh)
    }

    @Test func ticksAppendedByAnotherConnectionAreSeen() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try f.add("UP", .rising)
        try f.add("DOWN", .falling)
        let before = try Self.signature(f.store)
        #expect(before == (try freshSignature(f.path)))

        // The feed's connection: intraday ticks on the last day, then a new day.
        let feed = try PortfolioStore(path: f.path, create: false)
        let last = SignalFixture.lastTime
        try feed.insertPrices([
            PricePoint(symbol: "UP", time: last + 3_600, price: 1, marketCap: 1e8),
            PricePoint(symbol: "DOWN", time: last + 7_200, price: 500, marketCap: 1e8),
        ])
        let afterTicks = try Self.signature(f.store)
        #expect(afterTicks != before)
        #expect(afterTicks == (try freshSignature(f.path)))

        try feed.insertPrices([
            PricePoint(symbol: "UP", time: last + 86_400 + 60, price: 2, marketCap: 1e8),
            PricePoint(symbol: "DOWN", time: last + 86_400 + 120, price: 400, marketCap: 1e8),
        ])
        let nextDay = try Self.signature(f.store)
        #expect(nextDay != afterTicks)
        #expect(nextDay == (try freshSignature(f.path)))
    }

    @Test func olderHistoryWrittenElsewhereRebuildsTheCache() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        try f.add("UP", .rising)
        let before = try Self.signature(f.store)
        // Another connection inserts a price in the middle of the history (an intraday low 50 days ago).
        let other = try PortfolioStore(path: f.path, create: false)
        try other.insertPrices([
            PricePoint(
                symbol: "UP", time: SignalFixture.time(SignalFixture.days - 50) + 600, price: 0.01, marketCap: 1e8)
        ])
        let after = try Self.signature(f.store)
        #expect(after == (try freshSignature(f.path)))
        // The day's close changed, so the 90-day drawdown window... the series differ from before.
        #expect(after != before)
    }

    @Test func importedSignalsTakePrecedenceInTheRegime() throws {
        let f = try SignalFixture()
        defer { f.cleanUp() }
        for symbol in ["BTC", "AAA", "BBB", "CCC", "DDD"] { try f.add(symbol, .rising) }
        #expect(try f.store.regime(at: SignalFixture.lastTime).risk == .low)
        // Three of five imported as bearish for the last day: 60 % is not "more than 60 %", but more than
        // 40 %: medium. A fourth makes 80 %: high.
        let day = SignalFixture.lastTime
        try f.store.insertImportedSignals(
            ["AAA", "BBB", "CCC"].map {
                ImportedSignal(symbol: $0, day: day, label: "bearish", score: -1, source: "import")
            })
        let medium = try f.store.regime(at: day)
        #expect(medium.risk == .medium)
        #expect(abs(medium.breadth - 0.6) < 1e-12)
        try f.store.insertImportedSignals([
            ImportedSignal(symbol: "DDD", day: day, label: "bearish", score: -1, source: "import")
        ])
        #expect(try f.store.regime(at: day).risk == .high)
        // The stored regime row follows the same rule.
        try f.store.refreshSignals()
        #expect(try f.store.db.scalarString("SELECT risk FROM regimes ORDER BY time DESC LIMIT 1") == "high")
    }
}
