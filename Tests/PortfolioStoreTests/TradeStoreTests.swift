import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

private let trackedSpec = """
    {"slug":"mine","name":"My coins","initial_capital":1,"universe":["BTC","ETH"],
     "methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"none"},
     "fees_bps":10,"slippage_bps":5,"min_trade":10}
    """

/// Tracked indices on a real SQLite file: imports (all or nothing, idempotent), fee valuation, lots in the
/// holdings, orders → fills → executed with the shortfall, reconciliation and adjustments.
@Suite struct TradeStoreTests {
    let f: StoreFixture

    init() throws {
        f = try StoreFixture()
        try f.store.upsertAsset(Asset(symbol: "BNB", name: "BNB", sector: "Exchange"))
        try f.prices(at: jan1, ["BTC": 50_000, "ETH": 2_500, "SOL": 100, "USDC": 1, "BNB": 300])
        try f.prices(at: jan1 + 10 * day, ["BNB": 600])
        try f.store.createTrackedIndex(try f.spec(trackedSpec))
    }

    func close(_ a: Double?, _ b: Double, _ tol: Double = 1e-9) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tol * max(1, abs(b))
    }

    func parse(_ text: String, file: String = "trades.csv") throws -> [TradeLine] {
        try TradeFile.parse(Data(text.utf8), file: file)
    }

    static let year = """
        time,symbol,side,quantity,price,fee,fee_symbol,venue,id
        2025-01-02T10:00:00Z,BTC,buy,1,40000,10,,binance,t1
        2025-01-03T10:00:00Z,BTC,buy,1,44000,0.1,BNB,binance,t2
        2025-01-12T10:00:00Z,BTC,sell,1.5,48000,12,,binance,t3
        2025-01-13T10:00:00Z,ETH,buy,4,2000,0.004,ETH,kraken,k1
        """

    @Test func aTrackedIndexBuysNothingAndIsMarked() throws {
        let idx = try f.store.index("mine")
        #expect(idx.kind == .tracked)
        #expect(idx.cash == 0 && idx.units == 0)
        #expect(try f.store.positions(idx.id).isEmpty)
        #expect(try f.store.history("mine").isEmpty)
        #expect(idx.targets == ["BTC": 0.5, "ETH": 0.5])
    }

    @Test func importBuildsFIFOHoldingsWithFeesValuedAtTheirTime() throws {
        let r = try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        #expect(r == TradeImportResult(imported: 4, skipped: 0))
        // t2's fee: 0.1 BNB at BNB's price on 3 Jan (300, not the later 600) = 30.
        // FIFO: lots (1, 40010) and (1, 44030); selling 1.5 releases 40010 + 22015 = 62025 against
        // 72000 − 12: realised 9963; left 0.5 BTC costing 22015.
        // ETH: fee 0.004 ETH: 3.996 ETH received for 8000.
        let pos = try f.store.positions(try f.store.index("mine").id)
        #expect(close(pos["BTC"]?.quantity, 0.5))
        #expect(close(pos["BTC"]?.costBasis, 22_015))
        #expect(close(pos["ETH"]?.quantity, 3.996))
        #expect(close(pos["ETH"]?.costBasis, 8_000))
        let pnl = try f.store.pnl("mine")
        #expect(close(pnl.realised, 9_963))
        // Unrealised at the latest prices: 0.5 × 50 000 − 22 015 and 3.996 × 2 500 − 8 000.
        #expect(close(pnl.unrealised, 25_000 - 22_015 + 9_990 - 8_000))
        let avg = try f.store.pnl("mine", method: .average)
        // Average: pool (2, 84 040); 1.5 units release 63 030: realised 71 988 − 63 030 = 8 958.
        #expect(close(avg.realised, 8_958))
        #expect(close(avg.assets.first { $0.symbol == "BTC" }?.costBasis ?? 0, 21_010))
        // The holdings view shows the same basis and P&L as `pnl` (FIFO).
        let v = try f.store.valuation("mine")
        let btc = try #require(v.holdings.first { $0.symbol == "BTC" })
        #expect(close(btc.pnl, 25_000 - 22_015))
        #expect(close(v.nav, 25_000 + 9_990))
    }

    @Test func reimportingChangesNothing() throws {
        try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        let before = try f.snapshot()
        let again = try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        #expect(again == TradeImportResult(imported: 0, skipped: 4))
        #expect(try f.snapshot() == before)
        // Rows without ids are recognised too (the row and its repetition count identify them).
        let noIDs = "time,symbol,side,quantity,price,fee\n2025-01-20,SOL,buy,1,100,0\n2025-01-20,SOL,buy,1,100,0\n"
        #expect(try f.store.importTrades(try parse(noIDs), into: "mine", file: "b.csv").imported == 2)
        let snap = try f.snapshot()
        #expect(try f.store.importTrades(try parse(noIDs), into: "mine", file: "b.csv").skipped == 2)
        #expect(try f.snapshot() == snap)
    }

    @Test(arguments: [
        (
            "time,symbol,side,quantity,price,fee\n2025-01-02,BTC,buy,1,40000,0\n2025-01-03,BTC,sell,3,41000,0\n",
            "bad.csv:3: quantity: "
        ),
        (
            "time,symbol,side,quantity,price,fee\n2025-01-02,BTC,buy,-1,40000,0\n",
            "bad.csv:2: quantity: '-1' must be > 0"
        ),
        (
            "time,symbol,side,quantity,price,fee\n2025-01-02,BTC,hold,1,40000,0\n",
            "bad.csv:2: side: 'hold' is not buy or sell"
        ),
        (
            "time,symbol,side,quantity,price,fee,fee_symbol\n2025-01-02,BTC,buy,1,40000,1,XYZ\n",
            "bad.csv:2: fee_symbol: no price for XYZ"
        ),
        (
            "time,symbol,side,quantity,price,fee\n2025-01-02,DOGE,buy,1,0.1,0\n",
            "bad.csv:2: symbol: unknown symbol 'DOGE'"
        ),
        (
            "time,symbol,side,quantity,price,fee,id\n2025-01-02,BTC,buy,1,1,0,a\n2025-01-03,BTC,buy,1,1,0,a\n",
            "bad.csv:3: id: 'a' is also on line 2"
        ),
    ])
    func badFilesChangeNothing(text: String, message: String) throws {
        try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        let before = try f.snapshot()
        do {
            try f.store.importTrades(try parse(text, file: "bad.csv"), into: "mine", file: "bad.csv")
            Issue.record("accepted \(text)")
        } catch let e as InputError {
            #expect(e.description.hasPrefix(message), "\(e.description)")
        }
        #expect(try f.snapshot() == before)
    }

    @Test func anOlderSaleThatNoLongerFitsIsRefused() throws {
        try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        let before = try f.snapshot()
        // Selling 0.6 BTC on 1 Jan (before any buy) is the file's problem, reported on its line.
        let early = "time,symbol,side,quantity,price,fee\n2025-01-01T12:00:00Z,BTC,sell,0.6,40000,0\n"
        let e = #expect(throws: InputError.self) {
            try f.store.importTrades(try parse(early, file: "early.csv"), into: "mine", file: "early.csv")
        }
        #expect(e?.description.hasPrefix("early.csv:2: quantity:") == true)
        #expect(try f.snapshot() == before)
    }

    @Test func aModelIndexRefusesTrades() throws {
        try f.store.createIndex(
            try f.spec(
                trackedSpec.replacingOccurrences(of: "\"mine\"", with: "\"paper\"").replacingOccurrences(
                    of: "\"initial_capital\":1", with: "\"initial_capital\":1000")))
        let e = #expect(throws: StoreError.self) {
            try f.store.importTrades(try parse(Self.year), into: "paper", file: "trades.csv")
        }
        #expect(e?.message.contains("model index") == true)
        #expect(try f.store.index("paper").kind == .model)
    }

    @Test func ordersThenFillsExecuteThePlanAndMeasureTheShortfall() throws {
        let buys = "time,symbol,side,quantity,price,fee\n2025-01-02,BTC,buy,1,40000,10\n2025-01-02,ETH,buy,4,2000,8\n"
        try f.store.importTrades(try parse(buys), into: "mine", file: "buys.csv")
        // BTC 50 000 against ETH 10 000: the plan sells BTC and buys ETH. Confirming records it as planned.
        let plan = try f.store.planRebalance("mine")
        let planned = try f.store.apply(plan, reason: "to target")
        #expect(planned.status == "planned")
        #expect(close(try f.store.positions(try f.store.index("mine").id)["BTC"]?.quantity, 1))
        let (id, orders) = try f.store.orders("mine")
        #expect(id == planned.id)
        let sell = try #require(orders.first { $0.symbol == "BTC" })
        let buy = try #require(orders.first { $0.symbol == "ETH" })
        #expect(sell.side == .sell && buy.side == .buy)
        #expect(sell.limitPrice == 50_000 && buy.limitPrice == 2_500)
        // Fills: the BTC sale in two parts at 49 900 and 49 800 (VWAP 49 850), the ETH buy at 2 510.
        let half = sell.quantity / 2
        let fills = """
            time,symbol,side,quantity,price,fee,id
            2025-01-11T01:00:00Z,BTC,sell,\(half),49900,5,f1
            2025-01-11T01:00:01Z,BTC,sell,\(sell.quantity - half),49800,5,f2
            2025-01-11T01:00:02Z,ETH,buy,\(buy.quantity),2510,3,f3
            """
        let e = try f.store.recordFills(try parse(fills, file: "fills.csv"), for: "mine", file: "fills.csv")
        // Sell: (49 850 − 50 000) × −1 × q = 150 q, 150 / 50 000 = 30 bp. Buy: 10 q', 10 / 2 500 = 40 bp.
        let s = try #require(e.fills.first { $0.symbol == "BTC" })
        #expect(close(s.price, 49_850))
        #expect(close(s.shortfall, 150 * sell.quantity))
        #expect(close(s.shortfallBp ?? 0, 30))
        #expect(close(s.fees, 10))
        let b = try #require(e.fills.first { $0.symbol == "ETH" })
        #expect(close(b.shortfall, 10 * buy.quantity))
        #expect(close(b.shortfallBp ?? 0, 40))
        let total = 150 * sell.quantity + 10 * buy.quantity
        #expect(close(e.shortfall, total))
        #expect(close(e.shortfallBp ?? 0, total / (50_000 * sell.quantity + 2_500 * buy.quantity) * 10_000))
        // Holdings moved by the fills; the rebalance is executed and its execution is stored.
        let pos = try f.store.positions(try f.store.index("mine").id)
        #expect(close(pos["BTC"]?.quantity, 1 - sell.quantity))
        #expect(close(pos["ETH"]?.quantity, 4 + buy.quantity))
        #expect(try f.store.rebalance(planned.id).status == "executed")
        #expect(try f.store.execution(planned.id) == e)
        #expect(try f.store.latestPlanned("mine") == nil)
        #expect(throws: StoreError.self) {
            try f.store.recordFills(try parse(fills, file: "fills.csv"), for: "mine", file: "fills.csv")
        }
    }

    @Test func aFillOutsideThePlanChangesNothing() throws {
        let buys = "time,symbol,side,quantity,price,fee\n2025-01-02,BTC,buy,1,40000,10\n2025-01-02,ETH,buy,4,2000,8\n"
        try f.store.importTrades(try parse(buys), into: "mine", file: "buys.csv")
        try f.store.apply(try f.store.planRebalance("mine"))
        let before = try f.snapshot()
        let fills = "time,symbol,side,quantity,price,fee\n2025-01-11,ETH,buy,1,2500,0\n2025-01-11,SOL,buy,1,100,0\n"
        let e = #expect(throws: InputError.self) {
            try f.store.recordFills(try parse(fills, file: "fills.csv"), for: "mine", file: "fills.csv")
        }
        #expect(e?.description.hasPrefix("fills.csv:3: symbol:") == true)
        #expect(try f.snapshot() == before)
    }

    @Test func reconciliationListsEveryDifference() throws {
        try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        #expect(try f.store.reconcile("mine", balances: ["BTC": 0.5, "ETH": 3.996]).isEmpty)
        let d = try f.store.reconcile("mine", balances: ["BTC": 0.4, "SOL": 2])
        #expect(d.map(\.symbol) == ["BTC", "ETH", "SOL"])
        #expect(d.map(\.file) == [0.4, 0, 2])
    }

    @Test func anAdjustmentIsATradeWithAReason() throws {
        try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        try f.store.adjustHolding("mine", symbol: "BTC", quantity: 0.7, costBasis: 30_000, reason: "staking reward")
        let pos = try f.store.positions(try f.store.index("mine").id)
        #expect(close(pos["BTC"]?.quantity, 0.7))
        #expect(close(pos["BTC"]?.costBasis, 30_000))
        #expect(
            try f.store.db.scalarString("SELECT reason FROM trades WHERE side = 'adjust'") == "staking reward")
        #expect(throws: StoreError.self) {
            try f.store.adjustHolding("mine", symbol: "BTC", quantity: 1, costBasis: 1, reason: " ")
        }
    }

    @Test func anOlderDatabaseIsMigratedKeepingItsData() throws {
        try f.store.importTrades(try parse(Self.year), into: "mine", file: "trades.csv")
        // Undo the trades migration (the newest) by hand: the file is then the schema before it, with a
        // model index that must survive.
        try f.store.createIndex(
            try f.spec(
                trackedSpec.replacingOccurrences(of: "\"mine\"", with: "\"paper\"").replacingOccurrences(
                    of: "\"initial_capital\":1", with: "\"initial_capital\":1000")))
        try f.store.db.execute(
            """
            DROP TABLE trades; DROP TABLE rebalance_fills; DELETE FROM indices WHERE slug = 'mine';
            ALTER TABLE indices DROP COLUMN kind; ALTER TABLE rebalances DROP COLUMN shortfall;
            ALTER TABLE rebalances DROP COLUMN shortfall_bp; PRAGMA user_version = \(PortfolioStore.schemaVersion - 1)
            """)
        let reopened = try PortfolioStore(path: f.path, create: false)
        #expect(try reopened.db.userVersion == PortfolioStore.schemaVersion)
        let paper = try reopened.index("paper")
        #expect(paper.kind == .model)
        #expect(try reopened.positions(paper.id).count == 2)
        #expect(try reopened.history("paper").count == 1)
        #expect(try reopened.db.scalarInt("SELECT COUNT(*) FROM trades") == 0)
    }
}
