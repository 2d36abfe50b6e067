import Foundation
import IndexCore
import PortfolioStore
import SQLiteKit
import Testing

@Suite struct AtomicityTests {
    let f: StoreFixture

    init() throws {
        f = try StoreFixture()
        try f.prices(at: jan1, ["BTC": 100, "ETH": 50], caps: ["BTC": 10, "ETH": 5])
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"two","initial_capital":1000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"min_trade":0}"#
            ))
    }

    @Test(arguments: [
        PricePoint(symbol: "DOGE", time: jan1 + 2 * day, price: 1),  // unknown asset: foreign key
        PricePoint(symbol: "ETH", time: jan1 + 2 * day, price: -1),  // check constraint
        PricePoint(symbol: "ETH", time: jan1 + 2 * day, price: 1, marketCap: -5),
    ])
    func aFailedImportLeavesTheDatabaseUnchanged(bad: PricePoint) throws {
        let before = try f.snapshot()
        var points = (1...50).map { PricePoint(symbol: "BTC", time: jan1 + Int64($0) * 3600, price: 100 + Double($0)) }
        points.insert(bad, at: 25)
        #expect(throws: (any Error).self) { try f.store.insertPrices(points) }
        #expect(try f.snapshot() == before)
        // The connection is still usable.
        try f.store.insertPrices(Array(points.prefix(25)))
        #expect(try f.store.priceCount() == 27)
    }

    @Test func aFailedApplyLeavesTheDatabaseUnchanged() throws {
        try f.prices(at: jan1 + day, ["BTC": 150], caps: ["BTC": 15])
        var plan = try f.store.planRebalance("two")
        #expect(plan.plan.trades.count == 2)
        // A last trade in an asset the database does not know: its holding row violates a foreign key
        // after the earlier rows were already written.
        plan.plan.trades.append(
            PlannedTrade(
                symbol: "NOPE", side: .buy, quantity: 1, price: 1, notional: 1, fee: 0, slippage: 0,
                executionPrice: 1))
        let before = try f.snapshot()
        #expect(throws: DatabaseError.self) { try f.store.apply(plan, checkStale: false) }
        #expect(try f.snapshot() == before)
        // The untouched plan still applies afterwards.
        plan.plan.trades.removeLast()
        try f.store.apply(plan)
        #expect(try f.snapshot() != before)
    }

    @Test func aFailedIndexCreationLeavesTheDatabaseUnchanged() throws {
        let before = try f.snapshot()
        // SOL has no price: the initial plan fails after the index row was inserted.
        #expect(throws: (any Error).self) {
            try f.store.createIndex(
                try f.spec(
                    #"{"slug":"sol","initial_capital":1000,"universe":["SOL"],"methodology":{"type":"fixed","weights":{"SOL":1}}}"#
                ))
        }
        #expect(try f.snapshot() == before)
    }
}
