import Foundation
import TestSupport
import Testing

/// `rebalance --apply` on a plan that goes stale while the user confirms (a feed or another command
/// stores a price between the preview and the step-up) is planned again once, applied when it still
/// trades what was confirmed, and the re-plan is reported (issue 15 item 17).
@Suite struct ReplanCLITests {
    private static let spec = """
        {"slug":"l1","name":"Layer 1","initial_capital":100000,"universe":["BTC","ETH","SOL"],
         "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"none"},
         "fees_bps":10,"slippage_bps":5,"min_trade":1}
        """

    private func ok(_ h: ProcessHarness, _ args: [String], stdin: String = "") throws {
        let r = try h.run(args + ["--db", h.db], stdin: stdin)
        #expect(r.code == 0, "\(args): \(r.err)")
    }

    private func write(_ h: ProcessHarness, _ name: String, _ text: String) throws -> String {
        let path = h.home.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aPlanGoneStaleWhileConfirmingIsReplannedAndReported() throws {
        let h = try ProcessHarness()
        defer { h.cleanUp() }
        try ok(h, ["init"])
        for s in ["BTC", "ETH", "SOL"] { try ok(h, ["assets", "add", s]) }
        let day1 = """
            time,symbol,price,market_cap
            2025-01-01T00:00:00Z,BTC,50000,1000
            2025-01-01T00:00:00Z,ETH,2500,400
            2025-01-01T00:00:00Z,SOL,100,100

            """
        try ok(h, ["import", "prices", try write(h, "d1.csv", day1)])
        try ok(h, ["index", "create", try write(h, "l1.json", Self.spec)])
        // BTC +20 %: the index is off target and a rebalance sells about $5 000 of BTC.
        try ok(
            h,
            [
                "import", "prices",
                try write(h, "d2.csv", "time,symbol,price,market_cap\n2025-01-02T00:00:00Z,BTC,60000,1200\n"),
            ])
        // A vault protects applies: the step-up reads the passphrase from a FIFO, which holds the command
        // between its plan and its apply for as long as we like.
        try ok(h, ["keys", "add", "--provider", "coingecko", "--scope", "read"], stdin: "cg-test-secret-123456\n")
        let fifo = h.home.appendingPathComponent("pass.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: ProcessHarness.Result?
        let harness = h
        DispatchQueue.global().async {
            result = try? harness.run(
                ["rebalance", "l1", "--apply", "--json", "--passphrase-file", fifo, "--db", harness.db], passphrase: nil
            )
            done.signal()
        }
        // Opening the FIFO for writing returns once the command opened it: it has planned by then.
        let writer = open(fifo, O_WRONLY)
        #expect(writer >= 0)
        // A price lands meanwhile (+0.05 %: the sale grows by about $15, within 1 % of the confirmed one).
        try ok(
            h,
            [
                "import", "prices",
                try write(h, "d3.csv", "time,symbol,price,market_cap\n2025-01-03T00:00:00Z,BTC,60030,1200.6\n"),
            ])
        let line = Array((ProcessHarness.passphrase + "\n").utf8)
        #expect(Foundation.write(writer, line, line.count) == line.count)
        close(writer)
        #expect(done.wait(timeout: .now() + 60) == .success)
        let r = try #require(result)
        #expect(r.code == 0, "\(r.err)")
        let o = try #require(try parseJSON(r.out) as? [String: Any])
        #expect(o["status"] as? String == "applied")
        #expect(o["replanned"] as? Bool == true)
        let trades = o["trades"] as? [[String: Any]] ?? []
        #expect(trades.first { $0["symbol"] as? String == "BTC" }?["price"] as? Double == 60_030)
        #expect(o["prices_time"] as? String == "2025-01-03T00:00:00Z")
    }
}
