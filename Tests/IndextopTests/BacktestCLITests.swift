import Foundation
import Testing

/// `backtest` (in memory, sweeps), `signals --evaluate` and bit-identical output across processes
/// (DESIGN §2, §12), on the demo database.
@Suite struct BacktestCLITests {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        let r = try cli.run(["init", "--demo"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    private var spec: String {
        #"{"slug":"t20","initial_capital":100000,"universe":{"top":20},"methodology":{"type":"market-cap","cap":0.2},"rebalance":{"schedule":"monthly"},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#
    }

    @Test func twoProcessesOnCopiesOfOneDatabaseGiveTheSameBytes() throws {
        let copy = cli.directory + "/copy.db"
        // The demo's writer has closed the database (checkpointed): the main file is the whole database.
        try FileManager.default.copyItem(atPath: cli.db, toPath: copy)
        let file = try cli.write("t20.json", spec)
        let commands: [[String]] = [
            ["backtest", file, "--json"],
            [
                "backtest", file, "--sweep", "methodology.cap=0.2,0.3", "--sweep", "rebalance.schedule=weekly,monthly",
                "--json",
            ],
            ["performance", "defi-ai", "--json"],
            ["history", "memes-ew", "--json"],
            ["signals", "--evaluate", "--json"],
        ]
        for args in commands {
            let a = try cli.raw(args + ["--db", cli.db])
            let b = try cli.raw(args + ["--db", copy])
            #expect(a.status == 0, "\(args): \(a.stderr)")
            #expect(!a.stdout.isEmpty)
            #expect(a.stdout == b.stdout, "\(args) differs between processes")
        }
    }

    @Test func aSweepOfTwelveVariantsIsRankedBySharpe() throws {
        let file = try cli.write("t20.json", spec)
        let r = try cli.run([
            "backtest", file, "--sweep", "methodology.cap=0.1,0.2,0.3", "--sweep",
            "rebalance.schedule=daily,weekly,monthly,quarterly", "--jobs", "2", "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try r.array()
        #expect(rows.count == 12)
        let sharpes = rows.compactMap { $0["sharpe"] as? Double }
        #expect(sharpes.count == 12)
        #expect(sharpes == sharpes.sorted(by: >))
        #expect(
            Set(rows[0].keys) == [
                "variant", "settings", "from", "to", "return", "cagr", "volatility", "sharpe", "max_drawdown",
                "turnover", "costs", "rebalances", "gain_over_buy_and_hold",
            ])
        #expect(Set(rows.compactMap { $0["variant"] as? String }).count == 12)
        // Daily rebalancing trades more than quarterly at the same cap.
        func turnover(_ v: String) -> Double {
            rows.first { $0["variant"] as? String == v }?["turnover"] as? Double ?? 0
        }
        #expect(
            turnover("methodology.cap=0.2 rebalance.schedule=daily")
                > turnover("methodology.cap=0.2 rebalance.schedule=quarterly"))
        // Plain text: a header and one line per variant.
        let text = try cli.run(["backtest", file, "--sweep", "methodology.cap=0.1,0.2"])
        #expect(text.stdout.split(separator: "\n").count == 3)
    }

    @Test func aMisspelledSpecFieldIsAnErrorNamingIt() throws {
        let file = try cli.write(
            "typo.json",
            #"{"slug":"x","initial_capital":1000,"universe":["BTC","ETH"],"methodology":{"type":"equal"},"rebalnce":{"schedule":"weekly"}}"#
        )
        let r = try cli.run(["backtest", file])
        #expect(r.status == 1)
        #expect(r.stderr.contains("typo.json: rebalnce: unknown field"))
        let bad = try cli.run(["backtest", file, "--sweep", "fees_bps"])
        #expect(bad.status != 0)
    }

    @Test func signalsEvaluateReportsEveryRuleAndTheComposite() throws {
        let r = try cli.run(["signals", "--evaluate", "--horizon", "5", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try r.object()
        #expect(o["horizon"] as? Int == 5)
        let rules = (o["rules"] as? [[String: Any]]) ?? []
        #expect(Set(rules.compactMap { $0["rule"] as? String }).isSuperset(of: ["close_sma20", "macd_signal", "roc7"]))
        let composite = o["composite"] as? [String: Any]
        let obs = composite?["observations"] as? Int ?? 0
        let hits = composite?["hits"] as? Int ?? -1
        #expect(obs > 0)
        #expect(abs((composite?["hit_rate"] as? Double ?? -1) - Double(hits) / Double(obs)) < 1e-12)
        #expect(try cli.run(["signals", "--horizon", "5"]).status == 2)
    }
}
