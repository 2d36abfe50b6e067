import Foundation
import IndexCore
@testable import PortfolioStore
import SQLiteKit
import Testing

/// BTC .5, ETH .4, SOL .1 of $100 000 at BTC 50 000 (market caps 1000 : 400 : 100, BTC capped at .5).
private let capSpec = """
    {"slug":"l1","name":"Layer 1","initial_capital":100000,"universe":["BTC","ETH","SOL"],
     "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"none"},
     "fees_bps":10,"slippage_bps":5,"min_trade":10}
    """

/// The one path of a confirmed rebalance: re-planned once when a feed moved prices, refused beyond the
/// confirmation, audited once after the commit.
@Suite struct OneApplyPathTests {
    let f: StoreFixture
    /// A plan made after BTC rose 20 % (it sells about $5 000 of BTC and buys ETH and SOL).
    let confirmed: StoredPlan

    init() throws {
        f = try StoreFixture()
        try f.prices(
            at: jan1, ["BTC": 50_000, "ETH": 2_500, "SOL": 100, "USDC": 1],
            caps: ["BTC": 1000, "ETH": 400, "SOL": 100, "USDC": 50])
        try f.store.createIndex(try f.spec(capSpec))
        try f.prices(at: jan1 + day, ["BTC": 60_000], caps: ["BTC": 1200])
        confirmed = try f.store.planRebalance("l1")
    }

    @Test func anUnchangedPlanIsAppliedAsConfirmed() throws {
        let done = try f.store.applyConfirmed(confirmed, reason: "r")
        #expect(!done.replanned)
        #expect(done.record.trades.count == confirmed.plan.trades.count)
    }

    @Test func aPlanGoneStaleByASmallMoveIsReplannedOnceAndApplied() throws {
        // BTC 60 000 → 60 030 (+0.05 %): the BTC sale grows by about $15 (half the holding's $30 gain),
        // well within 1 % of a $5 000 trade.
        try f.prices(at: jan1 + 2 * day, ["BTC": 60_030], caps: ["BTC": 1200.6])
        var audited: [Int64] = []
        f.store.onApplied = { audited.append($0.id) }
        let done = try f.store.applyConfirmed(confirmed, reason: "r")
        #expect(done.replanned)
        #expect(done.plan.prices["BTC"] == 60_030)
        #expect(done.record.trades.first { $0.symbol == "BTC" }?.price == 60_030)
        #expect(try f.store.history("l1").count == 2)
        #expect(audited == [done.record.id])
    }

    @Test func aPlanMovedBeyondTheConfirmationIsRefusedAndNothingIsWritten() throws {
        // BTC 60 000 → 66 000: the sale almost doubles (about $5 000 → $7 900), far beyond 1 %.
        try f.prices(at: jan1 + 2 * day, ["BTC": 66_000], caps: ["BTC": 1320])
        let before = try f.snapshot()
        var audited = 0
        f.store.onApplied = { _ in audited += 1 }
        let error = #expect(throws: StoreError.self) { try f.store.applyConfirmed(confirmed, reason: "r") }
        #expect(error?.isStalePlan == true)
        #expect(try f.snapshot() == before)
        #expect(audited == 0)
    }

    @Test func aRolledBackReplayIsNeverAudited() throws {
        var audited = 0
        f.store.onApplied = { _ in audited += 1 }
        let trades = try f.store.rolledBack { try f.store.apply(confirmed, reason: "replay").trades.count }
        #expect(trades > 0)
        #expect(audited == 0)
        #expect(try f.store.history("l1").count == 1)
    }

    @Test func theWriterRunsSubmittedWorkInOrderOnItsQueue() throws {
        let writer = try StoreWriter(path: f.path)
        let done = DispatchSemaphore(value: 0)
        writer.submit({ store in try store.setSetting("order", "first") }, completion: { _ in done.signal() })
        try writer.perform { try $0.setSetting("order", ($0.setting("order") ?? "") + ",second") }
        done.wait()
        #expect(try f.store.setting("order") == "first,second")
    }
}
