import Foundation
import TestSupport
import Testing

/// A tracked index end to end: created and filled from a trades file on the CLI, its holding edited with
/// `e` in the real dashboard (tmux), a rebalance confirmed there (planned), its orders executed and the
/// fills recorded on the CLI, and the dashboard then showing it `executed` with its shortfall.
@Suite(.serialized) struct TrackedTmuxTests {
    /// Runs the binary with `args`; returns status and stdout.
    static func cli(_ args: [String]) throws -> (status: Int32, stdout: String) {
        let r = try runCaptured(
            URL(fileURLWithPath: DashboardTmuxTests.binary()), args, environment: ProcessInfo.processInfo.environment,
            scratch: URL(fileURLWithPath: NSTemporaryDirectory()))
        return (r.status, r.stdout)
    }

    @Test(.enabled(if: DashboardTmuxTests.tmuxPath != nil), .timeLimit(.minutes(2)))
    func ordersFillsExecutedAndAnEdit() throws {
        let dir = NSTemporaryDirectory() + "/tracked-tmux-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = dir + "/mine.json"
        try """
        {"slug":"mine","name":"My coins","initial_capital":1,"universe":["BTC","ETH"],
         "methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"none"},
         "fees_bps":10,"slippage_bps":5,"min_trade":10}
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        let trades = dir + "/trades.csv"
        try "time,symbol,side,quantity,price,fee,id\n2026-01-05,BTC,buy,1,40000,10,a\n2026-01-06,ETH,buy,2,2000,2,b\n"
            .write(toFile: trades, atomically: true, encoding: .utf8)
        let bin = DashboardTmuxTests.binary()
        let session = try DashboardTmuxTests.Session(tmux: DashboardTmuxTests.tmuxPath!) { db in
            // One shell, so the session's environment (config, locale) reaches the dashboard too.
            "sh -c '\(bin) --db \(db) index create \(spec) --tracked >/dev/null && "
                + "\(bin) --db \(db) trades import \(trades) >/dev/null && \(bin) --db \(db) --feed none'"
        }
        defer { session.close() }
        let db = session.db

        session.wait(for: "1 Holdings")
        // A model index refuses the edit.
        try session.keys("e")
        session.wait(for: "is a model index")
        // The tracked index is the last in the list, marked T.
        try session.keys("Tab", "G", "Tab")
        session.wait(for: "┌─ My coins")
        session.wait(for: "T My coins")

        // Edit BTC (the largest holding): quantity 1 → 2 with a reason; recorded as an adjustment.
        try session.keys("e")
        session.wait(for: "edit BTC in mine")
        try session.keys("BSpace", "2", "Tab", "Tab", "from cold wallet", "Enter")
        session.wait(for: "BTC in mine adjusted: from cold wallet")
        let holdings = try Self.cli(["--db", db, "holdings", "mine", "--json"])
        let h = try JSONSerialization.jsonObject(with: Data(holdings.stdout.utf8)) as? [String: Any]
        let btc = (h?["holdings"] as? [[String: Any]])?.first { $0["symbol"] as? String == "BTC" }
        #expect(btc?["quantity"] as? Double == 2)
        #expect(btc?["cost_basis"] as? Double == 40_010)

        // Confirm a rebalance in the dashboard (`R` is the test config's binding): it is planned.
        try session.keys("R")
        session.wait(for: "n/Esc cancel")
        if session.screen().contains("STALE prices") {
            try session.keys("y")
            session.wait(for: "press y AGAIN")
        }
        try session.keys("y")
        session.wait(for: "manual    planned")

        // The orders, executed elsewhere 0.5 % worse than their limits, recorded as fills on the CLI.
        let orders = try Self.cli(["--db", db, "rebalance", "mine", "--orders", "csv"])
        #expect(orders.status == 0)
        var fills = "time,symbol,side,quantity,price,fee\n"
        for line in orders.stdout.split(separator: "\n").dropFirst() {
            let c = line.split(separator: ",").map(String.init)
            let limit = Double(c[3])!
            fills += "2026-12-01,\(c[0]),\(c[1]),\(c[2]),\(c[1] == "buy" ? limit * 1.005 : limit * 0.995),1\n"
        }
        #expect(fills.split(separator: "\n").count == 3)
        let fillsFile = dir + "/fills.csv"
        try fills.write(toFile: fillsFile, atomically: true, encoding: .utf8)
        #expect(try Self.cli(["--db", db, "rebalance", "mine", "--fills", fillsFile]).status == 0)

        // The dashboard picks the change up: executed, and the drill-down shows the 50 bp shortfall.
        session.wait(for: "manual    execut", timeout: 15)  // "executed", cut to the column
        try session.keys("g", "Enter")
        session.wait(for: "implementation shortfall")
        session.wait(for: "(50.0 bp)")
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }
}
