import Foundation
import IndexCore
import PortfolioStore
import SQLiteKit
import Testing

@Suite struct PerformanceTests {
    @Test func theBuyAndHoldTwinKeepsTheStartingHoldings() throws {
        let f = try StoreFixture()
        // BTC 100 → 200 → 100, ETH flat at 100; 50/50, no costs, rebalanced daily.
        try f.prices(at: jan1, ["BTC": 100, "ETH": 100])
        try f.prices(at: jan1 + day, ["BTC": 200, "ETH": 100])
        try f.prices(at: jan1 + 2 * day, ["BTC": 100, "ETH": 100])
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"bh","initial_capital":1000,"universe":["BTC","ETH"],"methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"daily"},"fees_bps":0,"slippage_bps":0,"min_trade":0}"#
            ), at: jan1)
        try f.store.replay(from: jan1 + day, to: jan1 + 2 * day, step: day)
        // By hand (1 unit at 1000): the index buys 5 BTC + 5 ETH; day 1 it is worth 1500 and rebalances to
        // 3.75 BTC + 7.5 ETH; day 2 it is worth 375 + 750 = 1125. Buy and hold stays at 5 + 5: 1000, 1500, 1000.
        let r = try f.store.performance("bh")
        #expect(r.series.map(\.value) == [1000, 1500, 1125])
        #expect(r.buyAndHoldSeries.map(\.value) == [1000, 1500, 1000])
        #expect(r.btcSeries.map(\.value) == [1000, 2000, 1000])
        #expect(abs((r.figures.returnAll ?? .nan) - 0.125) < 1e-12)
        #expect(r.buyAndHold?.returnAll == 0)
        #expect(r.btc?.returnAll == 0)
        #expect(abs((r.figures.maxDrawdown ?? .nan) - (1125.0 / 1500 - 1)) < 1e-12)
        #expect(abs((r.buyAndHold?.maxDrawdown ?? .nan) - (1000.0 / 1500 - 1)) < 1e-12)
    }

    @Test func withoutBTCPricesTheBTCComparisonIsNil() throws {
        let f = try StoreFixture()
        try f.prices(at: jan1, ["ETH": 100, "SOL": 10])
        try f.store.createIndex(
            try f.spec(
                #"{"slug":"nobtc","initial_capital":1000,"universe":["ETH","SOL"],"methodology":{"type":"equal"},"fees_bps":0,"slippage_bps":0}"#
            ))
        let r = try f.store.performance("nobtc")
        #expect(r.btc == nil)
        #expect(r.buyAndHold != nil)
    }
}
