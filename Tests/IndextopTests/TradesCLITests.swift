import Foundation
import Testing

private let trackedSpec = """
    {"slug":"mine","name":"My coins","initial_capital":1,"universe":["BTC","ETH"],
     "methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"none"},
     "fees_bps":10,"slippage_bps":5,"min_trade":10}
    """

private let prices = """
    time,symbol,price
    2025-01-01T00:00:00Z,BTC,50000
    2025-01-01T00:00:00Z,ETH,2500
    2025-01-01T00:00:00Z,BNB,300
    """

private let trades = """
    time,symbol,side,quantity,price,fee,fee_symbol,venue,id
    2025-01-02T10:00:00Z,BTC,buy,1,40000,10,,binance,t1
    2025-01-03T10:00:00Z,BTC,buy,1,44000,0.1,BNB,binance,t2
    2025-01-12T10:00:00Z,BTC,sell,1.5,48000,12,,binance,t3
    2025-01-13T10:00:00Z,ETH,buy,4,2000,0.004,ETH,kraken,k1
    """

/// The tracked-index commands end to end on the built binary: import (idempotent, all or nothing),
/// pnl, orders → fills → executed with the shortfall in history, and holdings --check exit codes.
@Suite struct TradesCLITests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        #expect(try cli.run(["init"]).status == 0)
        for s in ["BTC", "ETH", "BNB"] { #expect(try cli.run(["assets", "add", s]).status == 0) }
        #expect(try cli.run(["import", "prices", try cli.write("prices.csv", prices)]).status == 0)
        let created = try cli.run(["index", "create", try cli.write("mine.json", trackedSpec), "--tracked"])
        #expect(created.status == 0, "\(created.stderr)")
    }

    func close(_ a: Any?, _ b: Double) -> Bool {
        guard let a = a as? Double else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(b))
    }

    @Test func importIsIdempotentAndPnLMatchesTheHandFigures() throws {
        let file = try cli.write("trades.csv", trades)
        let first = try cli.run(["trades", "import", file, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try first.object()["imported"] as? Int == 4)
        let before = try cli.run(["holdings", "mine", "--json"]).stdout
        let again = try cli.run(["trades", "import", file, "--index", "mine", "--json"])
        #expect(try again.object()["skipped"] as? Int == 4)
        #expect(try cli.run(["holdings", "mine", "--json"]).stdout == before)

        // FIFO by hand (see TradeStoreTests): realised 9 963; BTC 0.5 costing 22 015; ETH 3.996 costing 8 000.
        let pnl = try cli.run(["pnl", "mine", "--json"]).object()
        #expect(pnl["method"] as? String == "fifo")
        #expect(pnl["year"] is NSNull)
        let total = pnl["total"] as? [String: Any]
        #expect(close(total?["realised"], 9_963))
        #expect(close(total?["unrealised"], 25_000 - 22_015 + 9_990 - 8_000))
        let assets = pnl["assets"] as? [[String: Any]] ?? []
        #expect(assets.map { $0["symbol"] as? String } == ["BTC", "ETH"])
        #expect(close(assets.first?["cost_basis"], 22_015))
        #expect(close(assets.first?["average_cost"], 44_030))
        let avg = try cli.run(["pnl", "mine", "--method", "average", "--year", "2024", "--json"]).object()
        #expect(close((avg["total"] as? [String: Any])?["realised"], 0))
        let byYear = avg["realised_by_year"] as? [[String: Any]]
        #expect(byYear?.first?["year"] as? Int == 2025)
        #expect(close(byYear?.first?["realised"], 8_958))

        // holdings --json: the same basis and P&L as pnl (FIFO), and the kind.
        let h = try cli.run(["holdings", "mine", "--json"]).object()
        #expect(h["kind"] as? String == "tracked")
        let btc = (h["holdings"] as? [[String: Any]])?.first { $0["symbol"] as? String == "BTC" }
        #expect(close(btc?["cost_basis"], 22_015))
        #expect(close(btc?["pnl"], 25_000 - 22_015))
        let list = try cli.run(["index", "list", "--json"]).array()
        #expect(list.first?["kind"] as? String == "tracked")
    }

    @Test func aBadFileFailsWithOneLineAndChangesNothing() throws {
        #expect(try cli.run(["trades", "import", try cli.write("trades.csv", trades)]).status == 0)
        let before = try cli.run(["holdings", "mine", "--json"]).stdout
        let bad = try cli.write(
            "bad.csv", trades.replacingOccurrences(of: "t1", with: "n1") + "\n2025-02-01,ETH,sell,9,2600,0,,kraken,k9\n"
        )
        let r = try cli.run(["trades", "import", bad])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1)
        #expect(r.stderr.hasPrefix("\(bad):6: quantity: "), "\(r.stderr)")
        #expect(try cli.run(["holdings", "mine", "--json"]).stdout == before)
        #expect(try cli.run(["trades", "import", bad, "--format", "nasdaq"]).status == 2)
    }

    @Test func ordersThenFillsThenHistory() throws {
        let buys = "time,symbol,side,quantity,price,fee\n2025-01-02,BTC,buy,1,40000,10\n2025-01-02,ETH,buy,4,2000,8\n"
        #expect(try cli.run(["trades", "import", try cli.write("buys.csv", buys)]).status == 0)
        let preview = try cli.run(["rebalance", "mine", "--orders", "json"]).object()
        #expect(preview["status"] as? String == "preview")
        let applied = try cli.run(["rebalance", "mine", "--apply", "--json"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try applied.object()["status"] as? String == "planned")
        let csv = try cli.run(["rebalance", "mine", "--orders", "csv"])
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "symbol,side,quantity,limit_price,notional")
        // Fill every order 1 % worse than its limit: 100 bp each and in total.
        var fills = "time,symbol,side,quantity,price,fee\n"
        for l in lines.dropFirst() {
            let c = l.split(separator: ",").map(String.init)
            let limit = Double(c[3])!
            fills += "2025-01-05,\(c[0]),\(c[1]),\(c[2]),\(c[1] == "buy" ? limit * 1.01 : limit * 0.99),0\n"
        }
        let done = try cli.run(["rebalance", "mine", "--fills", try cli.write("fills.csv", fills), "--json"])
        #expect(done.status == 0, "\(done.stderr)")
        let e = try done.object()
        #expect(e["status"] as? String == "executed")
        #expect(close(e["shortfall_bp"], 100))
        let history = try cli.run(["history", "mine", "--json"]).array()
        #expect(history.first?["status"] as? String == "executed")
        #expect(close(history.first?["shortfall_bp"], 100))
        #expect((history.first?["fills"] as? [[String: Any]])?.count == lines.count - 1)
        let text = try cli.run(["history", "mine"]).stdout
        #expect(text.contains("executed") && text.contains("100.0 bp"))
    }

    @Test func holdingsCheckExitsOneOnADifference() throws {
        #expect(try cli.run(["trades", "import", try cli.write("trades.csv", trades)]).status == 0)
        let same = try cli.run([
            "holdings", "mine", "--check", try cli.write("b1.csv", "symbol,quantity\nBTC,0.5\nETH,3.996\n"),
        ])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        let diff = try cli.run([
            "holdings", "mine", "--check", try cli.write("b2.csv", "symbol,quantity\nBTC,0.4\nSOL,1\n"), "--json",
        ])
        #expect(diff.status == 1)
        let d = try diff.object()["differences"] as? [[String: Any]]
        #expect(d?.map { $0["symbol"] as? String } == ["BTC", "ETH", "SOL"])
        #expect(close(d?.first?["difference"], -0.1))
    }
}
