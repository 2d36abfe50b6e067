import Foundation
import Testing

/// The §12 shapes are encoded from one `Encodable` struct each: a missing value is `null`, never a
/// missing key, and the names are the contract's.
@Suite struct JSONShapeTests {
    let cli: CLIHarness

    init() throws { cli = try CLIHarness() }

    @Test func missingValuesAreNullNotAbsent() throws {
        #expect(try cli.run(["init"]).status == 0)
        for s in ["BTC", "ETH"] { #expect(try cli.run(["assets", "add", s]).status == 0) }
        let prices = try cli.write(
            "p.csv", "time,symbol,price\n2025-01-01T00:00:00Z,BTC,50000\n2025-01-01T00:00:00Z,ETH,2500\n")
        #expect(try cli.run(["import", "prices", prices]).status == 0)
        let spec = try cli.write(
            "s.json",
            #"{"slug":"ew","name":"EW","initial_capital":1000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"rebalance":{"schedule":"none"},"fees_bps":0,"slippage_bps":0}"#
        )
        #expect(try cli.run(["index", "create", spec]).status == 0)
        let holdings = try cli.run(["holdings", "ew", "--json"]).object()
        let first = try #require((holdings["holdings"] as? [[String: Any]])?.first)
        #expect(
            Set(first.keys) == [
                "symbol", "quantity", "price", "value", "weight", "target", "drift", "change_24h", "signal", "pnl",
                "cost_basis",
            ])
        #expect(first["signal"] is NSNull)
        #expect(first["change_24h"] is NSNull)  // one day of prices: no 24h change
        let list = try cli.run(["index", "list", "--json"]).array()
        #expect(list.first?["next_rebalance"] is NSNull)  // schedule none
        #expect(abs((list.first?["nav"] as? Double ?? 0) - 1000) < 1e-6)
        let perf = try cli.run(["performance", "ew", "--json"]).object()
        #expect(
            Set(perf.keys).isSuperset(of: ["index", "from", "to", "returns", "btc", "buy_and_hold", "max_drawdown"]))
        #expect(Set((perf["returns"] as? [String: Any] ?? [:]).keys) == ["24h", "7d", "30d", "all"])
        let preview = try cli.run(["rebalance", "ew", "--json"]).object()
        #expect(preview["status"] as? String == "preview")
        #expect(preview["id"] == nil)  // a preview has no id yet
        #expect(preview["skipped"] is [Any])
    }
}
