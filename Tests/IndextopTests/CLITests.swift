import Foundation
import Testing

/// Three days of prices: 2025-01-01, 01-02 (imported first) and 01-03 (BTC up 20 %, imported later).
private let pricesDays1and2 = """
    time,symbol,price,market_cap,volume
    2025-01-01T00:00:00Z,BTC,50000,1000,10
    2025-01-01T00:00:00Z,ETH,2500,400,10
    2025-01-01T00:00:00Z,SOL,100,100,10
    2025-01-02T00:00:00Z,BTC,51000,1020,10
    2025-01-02T00:00:00Z,ETH,2450,392,10
    2025-01-02T00:00:00Z,SOL,105,105,10

    """

private let pricesDay3 = """
    {"time":"2025-01-03T00:00:00Z","symbol":"BTC","price":61200,"market_cap":1224}
    {"time":1735862400,"symbol":"ETH","price":2450,"market_cap":392}
    {"time":"2025-01-03","symbol":"SOL","price":99,"market_cap":99}

    """

private let spec = """
    {"slug":"l1","name":"Layer 1","initial_capital":100000,"universe":["BTC","ETH","SOL"],
     "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"weekly","weekday":1},
     "fees_bps":10,"slippage_bps":5,"min_trade":1}
    """

private func keys(_ o: [String: Any]?) -> Set<String> { Set(o?.keys ?? [:].keys) }

@Suite struct CLITests {
    let cli: CLIHarness

    init() throws { cli = try CLIHarness() }

    /// init, three assets, two days of prices and the index `l1`.
    private func setUp() throws {
        #expect(try cli.run(["init"]).status == 0)
        for (s, n) in [("BTC", "Bitcoin"), ("ETH", "Ethereum"), ("sol", "Solana")] {
            let r = try cli.run(["assets", "add", s, "--name", n, "--sector", "Layer-1"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let imported = try cli.run(["import", "prices", try cli.write("prices.csv", pricesDays1and2), "--json"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.object()["imported"] as? Int == 6)
        let created = try cli.run(["index", "create", try cli.write("l1.json", spec)])
        #expect(created.status == 0, "\(created.stderr)")
    }

    /// Everything a read command can see of the index, to check that something changed nothing.
    private func state() throws -> [String] {
        try [
            cli.run(["export", "l1", "--format", "json"]).stdout, cli.run(["assets", "list", "--json"]).stdout,
            cli.run(["index", "list", "--json"]).stdout,
        ]
    }

    @Test func initCreatesTheDatabase() throws {
        let r = try cli.run(["init"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("created"))
        #expect(FileManager.default.fileExists(atPath: cli.db))
        #expect(try cli.run(["init"]).status == 0)  // again: already up to date
    }

    @Test func assetsImportReadsACRLFFile() throws {
        #expect(try cli.run(["init"]).status == 0)
        let file = try cli.write(
            "assets.csv",
            "symbol,name,sector,coingecko_id,stablecoin\r\nbtc,Bitcoin,Layer-1,bitcoin,false\r\nUSDC,USD Coin,Stablecoin,,true\r\n"
        )
        let r = try cli.run(["assets", "import", file])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try cli.run(["assets", "list", "--json"]).array()
        #expect(list.compactMap { $0["symbol"] as? String } == ["BTC", "USDC"])
        #expect(list.compactMap { $0["stablecoin"] as? Bool } == [false, true])
        #expect(list.first?["coingecko_id"] as? String == "bitcoin")
    }

    @Test func holdingsHaveTheContractFields() throws {
        try setUp()
        let r = try cli.run(["holdings", "l1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try r.object()
        #expect(keys(o).isSuperset(of: ["index", "time", "nav", "nav_per_unit", "units", "cash", "holdings"]))
        #expect(o["index"] as? String == "l1")
        #expect(o["time"] as? String == "2025-01-02T00:00:00Z")
        #expect(o["units"] as? Double == 100)
        let holdings = o["holdings"] as? [[String: Any]] ?? []
        #expect(holdings.count == 3)
        #expect(holdings.compactMap { $0["symbol"] as? String }.sorted() == ["BTC", "ETH", "SOL"])
        for h in holdings {
            #expect(
                keys(h).isSuperset(of: [
                    "symbol", "quantity", "price", "value", "weight", "target", "drift", "change_24h", "signal", "pnl",
                ]))
            let w = h["weight"] as? Double ?? -1
            #expect(w > 0 && w < 1)  // a fraction, not a percentage
        }
        // Bought on day 2 at the latest prices: BTC .5 of (100 000 / 1.0015) at 51 000.
        let btc = holdings.first { $0["symbol"] as? String == "BTC" }
        #expect(abs((btc?["quantity"] as? Double ?? 0) - 0.5 * 100_000 / 1.0015 / 51_000) < 1e-9)
    }

    @Test func aDryRunChangesNothingAndApplyDoes() throws {
        try setUp()
        #expect(try cli.run(["import", "prices", try cli.write("day3.jsonl", pricesDay3)]).status == 0)
        let before = try state()
        let preview = try cli.run(["rebalance", "l1", "--json"])
        #expect(preview.status == 0, "\(preview.stderr)")
        let p = try preview.object()
        #expect(
            keys(p).isSuperset(of: [
                "index", "status", "trigger", "time", "nav_before", "nav_after", "turnover", "fees", "slippage",
                "cash_after", "trades", "weights", "skipped",
            ]))
        #expect(p["status"] as? String == "preview")
        #expect(p["trigger"] as? String == "manual")
        let trades = p["trades"] as? [[String: Any]] ?? []
        #expect(!trades.isEmpty)
        #expect(trades.first?["side"] as? String == "sell")
        #expect(trades.first?["symbol"] as? String == "BTC")
        for t in trades {
            #expect(keys(t).isSuperset(of: ["symbol", "side", "quantity", "price", "notional", "fee"]))
        }
        for w in p["weights"] as? [[String: Any]] ?? [] {
            #expect(keys(w).isSuperset(of: ["symbol", "before", "target", "after"]))
        }
        #expect(try state() == before)
        #expect(try cli.run(["rebalance", "l1"]).stdout.contains("dry run"))
        #expect(try state() == before)

        let applied = try cli.run(["rebalance", "l1", "--apply", "--reason", "test run", "--json"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try applied.object()["status"] as? String == "applied")
        #expect(try state() != before)

        let history = try cli.run(["history", "l1", "--json"])
        #expect(history.status == 0)
        let list = try history.array()
        #expect(list.count == 2)
        #expect(list.compactMap { $0["trigger"] as? String } == ["manual", "initial"])
        #expect(list.compactMap { $0["time"] as? String } == ["2025-01-03T00:00:00Z", "2025-01-02T00:00:00Z"])
        #expect(list.first?["reason"] as? String == "test run")
        for r in list {
            #expect(
                keys(r).isSuperset(of: [
                    "id", "time", "trigger", "status", "nav_before", "nav_after", "turnover", "fees", "reason",
                    "trades",
                ]))
        }
    }

    @Test func performanceHasTheContractFields() throws {
        try setUp()
        let r = try cli.run(["performance", "l1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try r.object()
        #expect(
            keys(o).isSuperset(of: [
                "index", "from", "to", "returns", "volatility", "sharpe", "sortino", "max_drawdown", "cagr", "btc",
                "buy_and_hold",
            ]))
        #expect(keys(o["returns"] as? [String: Any]) == ["24h", "7d", "30d", "all"])
        let btc = o["btc"] as? [String: Any]
        #expect(keys(btc).isSuperset(of: ["returns", "volatility", "sharpe", "max_drawdown", "cagr"]))
    }

    @Test func depositAndWithdrawIssueAndRedeemUnits() throws {
        try setUp()
        let d = try cli.run(["deposit", "l1", "1000", "--json"])
        #expect(d.status == 0, "\(d.stderr)")
        let deposit = try d.object()
        #expect(keys(deposit).isSuperset(of: ["index", "amount", "units", "nav_per_unit", "trades"]))
        #expect(deposit["amount"] as? Double == 1000)
        let issued = deposit["units"] as? Double ?? 0
        let npu = deposit["nav_per_unit"] as? Double ?? 0
        // Units are issued for the amount net of the deposit's own costs, at the value per unit.
        let costs = (deposit["fees"] as? Double ?? .nan) + (deposit["slippage"] as? Double ?? .nan)
        #expect(costs > 0)
        #expect(abs(issued - (1000 - costs) / npu) < 1e-9)
        let w = try cli.run(["withdraw", "l1", "500", "--json"])
        #expect(w.status == 0, "\(w.stderr)")
        let withdrawal = try w.object()
        #expect((withdrawal["units"] as? Double ?? 0) < 0)
        #expect(abs((withdrawal["nav_per_unit"] as? Double ?? 0) - npu) < 1e-6)
        let trades = withdrawal["trades"] as? [[String: Any]] ?? []
        #expect(trades.allSatisfy { $0["side"] as? String == "sell" })
        // Text output too.
        #expect(try cli.run(["deposit", "l1", "10"]).stdout.contains("deposited"))
    }

    @Test func exportWritesTheNAVHistoryAsCSV() throws {
        try setUp()
        let r = try cli.run(["export", "l1", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "time,nav,nav_per_unit")
        #expect(lines.count == 2)
        #expect(
            lines.dropFirst().allSatisfy {
                $0.hasPrefix("2025-01-02T00:00:00Z,") && $0.split(separator: ",").count == 3
            })
    }

    @Test func aMalformedPriceFileFailsWithOneLineAndChangesNothing() throws {
        try setUp()
        let before = try state()
        let file = try cli.write(
            "bad.csv", "time,symbol,price\n2025-01-04,BTC,60000\n2025-01-04,ETH,12abc\n2025-01-04,SOL,90\n")
        let r = try cli.run(["import", "prices", file])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.errorLines.count == 1)
        let line = r.errorLines.first ?? ""
        // FILE:LINE: FIELD: problem (after the program name, if any).
        let located = line.hasPrefix("indextop: ") ? String(line.dropFirst("indextop: ".count)) : line
        #expect(located.hasPrefix("\(file):3: price: "), "\(line)")
        #expect(try state() == before)
    }

    @Test func aBadSpecNamesItsField() throws {
        try setUp()
        let file = try cli.write("bad.json", spec.replacingOccurrences(of: "market-cap", with: "momentum"))
        let r = try cli.run(["index", "create", file])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1)
        #expect(r.stderr.contains("\(file): methodology.type: "))
    }

    @Test(arguments: [
        ["holdings", "l1", "--bogus"], ["init", "--frobnicate"], ["frobnicate"], ["rebalance"],
        ["deposit", "l1", "lots"], ["export", "l1", "--format", "xml"],
    ])
    func usageErrorsExitTwo(args: [String]) throws {
        let r = try cli.run(args)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test func aMissingDatabaseFails() throws {
        let r = try cli.run(["holdings", "l1"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no such database"))
        #expect(!FileManager.default.fileExists(atPath: cli.db))
    }

    @Test func theDatabaseOptionMayComeBeforeTheCommand() throws {
        try setUp()
        let r = try cli.raw(["--db", cli.db, "index", "list", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.array().first?["slug"] as? String == "l1")
    }

    @Test func anUnwritableDatabasePathFails() throws {
        // /proc refuses new folders, even to root.
        let r = try cli.raw(["init", "--db", "/proc/indextop-test/indextop.db"])
        #expect(r.status == 1)
        #expect(r.errorLines.count == 1)
        #expect(r.stderr.contains("/proc/indextop-test/indextop.db"))
        // A folder is not a database.
        let dir = try cli.raw(["init", "--db", cli.directory])
        #expect(dir.status == 1)
        #expect(!dir.stderr.isEmpty)
        // A read-only file (permissions do not bind root, so only checked for other users).
        if geteuid() != 0 {
            try setUp()
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: cli.db)
            let ro = try cli.run(["assets", "add", "DOGE"])
            #expect(ro.status == 1)
            #expect(ro.stderr.contains(cli.db))
        }
    }

    @Test func helpExitsZero() throws {
        let help = try cli.raw(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("usage:"))
        let topic = try cli.raw(["help", "rebalance"])
        #expect(topic.status == 0)
        #expect(topic.stdout.contains("indextop rebalance SLUG"))
    }
}
