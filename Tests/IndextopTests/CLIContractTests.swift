import Foundation
import Testing

/// DESIGN §12's JSON shapes not covered by `CLITests`: backtest, `rebalance --due`, the spec round trip,
/// `performance` without BTC, export JSON, one-line usage errors.
@Suite struct CLIContractTests {
    let cli: CLIHarness

    init() throws { cli = try CLIHarness() }

    private static let prices = """
        time,symbol,price,market_cap,volume
        2025-01-01T00:00:00Z,BTC,50000,1000,10
        2025-01-01T00:00:00Z,ETH,2500,400,10
        2025-01-01T00:00:00Z,SOL,100,100,10
        2025-01-02T00:00:00Z,BTC,51000,1020,10
        2025-01-02T00:00:00Z,ETH,2450,392,10
        2025-01-02T00:00:00Z,SOL,105,105,10

        """

    /// Monday 2025-01-06: the weekly schedule (weekday 1) is due; BTC up 20 % so there is something to trade.
    private static let monday = """
        time,symbol,price,market_cap
        1736121600,BTC,61200,1224
        2025-01-06T00:00:00Z,ETH,2450,392
        2025-01-06,SOL,99,99

        """

    private static func spec(slug: String = "l1", universe: String = #"["BTC","ETH","SOL"]"#) -> String {
        """
        {"slug":"\(slug)","name":"Layer 1","initial_capital":100000,"universe":\(universe),
         "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"weekly","weekday":1},
         "fees_bps":10,"slippage_bps":5,"min_trade":1}
        """
    }

    private static let figureKeys: Set<String> = [
        "from", "to", "returns", "volatility", "sharpe", "sortino", "max_drawdown", "cagr",
    ]

    /// init, the assets of `symbols`, two days of their prices, and the index `l1` over them.
    private func setUp(symbols: [String] = ["BTC", "ETH", "SOL"]) throws {
        #expect(try cli.run(["init"]).status == 0)
        for s in symbols { #expect(try cli.run(["assets", "add", s]).status == 0) }
        let lines = Self.prices.split(separator: "\n").filter { line in
            line.hasPrefix("time") || symbols.contains { line.contains(",\($0),") }
        }
        let file = try cli.write("prices.csv", lines.joined(separator: "\n") + "\n")
        #expect(try cli.run(["import", "prices", file]).status == 0)
        let universe = "[" + symbols.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let created = try cli.run(["index", "create", try cli.write("l1.json", Self.spec(universe: universe))])
        #expect(created.status == 0, "\(created.stderr)")
    }

    private func keys(_ o: Any?) -> Set<String> { Set((o as? [String: Any])?.keys ?? [:].keys) }

    @Test func backtestHasTheContractShapeAndSavesNothing() throws {
        try setUp()
        let before = try cli.run(["index", "list", "--json"]).stdout
        let file = try cli.write("bt.json", Self.spec())
        let r = try cli.run(["backtest", file, "--from", "2025-01-01", "--to", "2025-01-02", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try r.object()
        #expect(
            keys(o).isSuperset(
                of: Self.figureKeys.union([
                    "spec", "nav", "rebalances", "turnover", "fees", "slippage", "btc", "buy_and_hold",
                ])))
        #expect(keys(o["spec"]).isSuperset(of: ["slug", "name", "universe", "methodology", "rebalance"]))
        #expect((o["spec"] as? [String: Any])?["slug"] as? String == "l1")  // the spec as given
        #expect(o["from"] as? String == "2025-01-01T00:00:00Z")
        #expect(o["to"] as? String == "2025-01-02T00:00:00Z")
        #expect(keys(o["returns"]) == ["24h", "7d", "30d", "all"])
        // Bought on day 1 with 100 000 less 15 bp of costs: 100 000 / 1.0015; day 2 moves the weights
        // .5/.4/.1 (cap .5 spread pro rata) by 1.02/.98/1.05, i.e. × 1.007 (worked out in python3).
        let nav = o["nav"] as? [[String: Any]] ?? []
        #expect(nav.compactMap { $0["time"] as? String } == ["2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z"])
        #expect(abs((nav.first?["nav"] as? Double ?? 0) - 99_850.224_663_005_49) < 1e-6)
        #expect(abs((nav.last?["nav"] as? Double ?? 0) - 100_549.176_235_646_53) < 1e-6)
        #expect(o["rebalances"] as? Int == 1)
        // Costs of the initial buy: 149.775 336 994 513 in all, 10 bp of fees and 5 bp of slippage.
        #expect(abs((o["fees"] as? Double ?? 0) - 99.850_224_663_008_67) < 1e-6)
        #expect(abs((o["slippage"] as? Double ?? 0) - 49.925_112_331_504_33) < 1e-6)
        #expect(keys(o["btc"]).isSuperset(of: Self.figureKeys))
        #expect(keys(o["buy_and_hold"]).isSuperset(of: Self.figureKeys))
        #expect(try cli.run(["index", "list", "--json"]).stdout == before)
    }

    @Test func rebalanceDuePrintsAListOfRebalances() throws {
        try setUp()
        let nothing = try cli.run(["rebalance", "--due", "--json"])
        #expect(nothing.status == 0, "\(nothing.stderr)")
        #expect(try nothing.array().isEmpty)
        #expect(try cli.run(["import", "prices", try cli.write("monday.csv", Self.monday)]).status == 0)
        let due = try cli.run(["rebalance", "--due", "--json"])
        #expect(due.status == 0, "\(due.stderr)")
        let list = try due.array()
        #expect(list.count == 1)
        let r = list.first ?? [:]
        #expect(
            keys(r).isSuperset(of: [
                "index", "status", "trigger", "time", "nav_before", "nav_after", "turnover", "fees", "slippage",
                "cash_after", "trades", "weights", "skipped",
            ]))
        #expect(r["index"] as? String == "l1")
        #expect(r["status"] as? String == "applied")
        #expect(r["trigger"] as? String == "scheduled")
        #expect(r["time"] as? String == "2025-01-06T00:00:00Z")
        #expect((r["trades"] as? [[String: Any]])?.first?["side"] as? String == "sell")
        // Applied once: nothing is due any more.
        #expect(try cli.run(["rebalance", "--due", "--json"]).array().isEmpty)
    }

    @Test func indexShowRoundTripsThroughCreate() throws {
        try setUp()
        let shown = try cli.run(["index", "show", "l1", "--json"])
        #expect(shown.status == 0, "\(shown.stderr)")
        var spec = try shown.object()
        #expect(spec["slug"] as? String == "l1")
        spec["slug"] = "l1-copy"
        let data = try JSONSerialization.data(withJSONObject: spec)
        let created = try cli.run([
            "index", "create", try cli.write("copy.json", String(decoding: data, as: UTF8.self)),
        ])
        #expect(created.status == 0, "\(created.stderr)")
        // Printed with sorted keys: the same spec gives the same text, the slug aside.
        let copy = try cli.run(["index", "show", "l1-copy", "--json"]).stdout
        #expect(copy.contains(#""slug" : "l1-copy""#))
        #expect(copy.replacingOccurrences(of: #""slug" : "l1-copy""#, with: #""slug" : "l1""#) == shown.stdout)
    }

    @Test func performanceWithoutBTCPricesHasANullBTC() throws {
        try setUp(symbols: ["ETH", "SOL"])
        let r = try cli.run(["performance", "l1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try r.object()
        #expect(o["btc"] is NSNull)
        #expect(keys(o["buy_and_hold"]).isSuperset(of: Self.figureKeys))
        #expect(o["index"] as? String == "l1")
    }

    @Test func exportJSONCarriesSpecNAVHoldingsAndRebalances() throws {
        try setUp()
        let r = try cli.run(["export", "l1", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try r.object()
        #expect(keys(o).isSuperset(of: ["index", "spec", "nav", "holdings", "rebalances"]))
        let nav = o["nav"] as? [[String: Any]] ?? []
        #expect(nav.count == 1)
        #expect(nav.first?["time"] as? String == "2025-01-02T00:00:00Z")
        #expect(keys(nav.first).isSuperset(of: ["time", "nav", "nav_per_unit"]))
        #expect((o["rebalances"] as? [[String: Any]])?.first?["trigger"] as? String == "initial")
    }

    @Test func keysListAndAuditShowWithoutAVaultAreEmptyLists() throws {
        for args in [["keys", "list", "--json"], ["--env", "prod", "audit", "show", "--json"]] {
            let r = try cli.run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(try r.json() as? [Any] != nil, "\(args): \(r.stdout)")
            #expect(try r.array().isEmpty)
        }
    }

    @Test(arguments: [
        ["holdings"], ["index", "show"], ["keys"], ["audit", "frob"], ["--env", "staging", "index", "list"],
        ["index", "list", "--env", "staging"], ["rebalance", "--due", "extra"], ["backtest"],
    ])
    func usageErrorsExitTwoWithOneLine(args: [String]) throws {
        let r = try cli.run(args)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.errorLines.count == 1, "\(args): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func globalOptionsMayComeAfterTheCommand() throws {
        try setUp()
        let r = try cli.raw(["index", "list", "--env", "test", "--json", "--db", cli.db])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.array().first?["slug"] as? String == "l1")
        let failure = try cli.raw(["holdings", "nope", "--db", cli.db])
        #expect(failure.status == 1)
        #expect(failure.errorLines.count == 1)
    }
}
