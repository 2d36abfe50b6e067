import Foundation
import Testing

/// `indextop signals`, `import signals` and `history` on the demo database, through the built binary
/// (DESIGN §5, §12).
@Suite(.demoDatabase) struct SignalsCLITests {
    static let indicatorNames: Set<String> = [
        "sma20", "sma50", "sma200", "ema12", "ema26", "rsi14", "macd", "macd_signal", "macd_hist", "bb_upper",
        "bb_middle", "bb_lower", "roc7", "roc30", "volatility30", "volume_trend", "drawdown90",
    ]
    /// The rules of the composite rating (DESIGN §5).
    static let ruleNames: Set<String> = [
        "close_sma20", "close_sma50", "close_sma200", "sma50_sma200", "macd_signal", "rsi14", "bollinger", "roc7",
        "roc30", "volume",
    ]

    let cli: ProcessHarness

    init() throws {
        cli = try ProcessHarness()
        try cli.copyDemo()
    }

    private func signals(_ extra: [String] = []) throws -> [String: Any] {
        let r = try cli.run(["signals"] + extra + ["--json", "--db", cli.db])
        #expect(r.code == 0, "\(r.err)")
        return try #require(try parseJSON(r.out) as? [String: Any])
    }

    private func assets(_ object: [String: Any]) throws -> [[String: Any]] {
        try #require(object["assets"] as? [[String: Any]])
    }

    /// Every row of the signals table, in a stable order.
    private func signalRows() throws -> String {
        try cli.sqlite(
            "SELECT symbol || '|' || time || '|' || source || '|' || label || '|' || score FROM signals ORDER BY symbol, time, source"
        )
    }

    @Test func signalsJSONHasTheContractFields() throws {
        defer { cli.cleanUp() }
        let object = try signals()
        let regime = try #require(object["regime"] as? [String: Any])
        #expect(["low", "medium", "high"].contains(regime["risk"] as? String ?? ""))
        let breadth = try #require(regime["breadth"] as? Double)
        #expect(breadth >= 0 && breadth <= 1)
        #expect(regime["btc_trend"] is String)
        let list = try assets(object)
        #expect(list.count == Int(try cli.sqlite("SELECT COUNT(*) FROM assets")))
        let iso = try Regex(#"^\d{4}-\d{2}-\d{2}T00:00:00Z$"#)
        for a in list {
            let symbol = try #require(a["symbol"] as? String)
            #expect((a["time"] as? String)?.wholeMatch(of: iso) != nil, "\(symbol) time")
            #expect((a["close"] as? Double ?? 0) > 0, "\(symbol) close")
            let indicators = try #require(a["indicators"] as? [String: Any], "\(symbol) indicators")
            #expect(Set(indicators.keys) == Self.indicatorNames, "\(symbol)")
            #expect(indicators.values.allSatisfy { $0 is NSNull || $0 is Double }, "\(symbol)")
            // Two years of history: every indicator that needs only closes has a value.
            #expect(indicators["sma200"] is Double && indicators["macd_signal"] is Double, "\(symbol)")
            let votes = try #require(a["votes"] as? [[String: Any]], "\(symbol) votes")
            #expect(!votes.isEmpty)
            for v in votes {
                #expect(Self.ruleNames.contains(v["rule"] as? String ?? ""), "\(symbol) \(v)")
                #expect([-1, 0, 1].contains(v["vote"] as? Int ?? 9), "\(symbol) \(v)")
            }
            let score = try #require(a["score"] as? Double, "\(symbol) score")
            let conviction = try #require(a["conviction"] as? Double, "\(symbol) conviction")
            #expect(score >= -1 && score <= 1)
            #expect(abs(conviction - abs(score)) < 1e-12)
            let label = try #require(a["label"] as? String)
            #expect(label == (score > 0.1 ? "bullish" : score < -0.1 ? "bearish" : "neutral"), "\(symbol) \(score)")
            #expect(a["source"] as? String == "rating")
        }
        let defi = try assets(try signals(["defi-ai"])).compactMap { $0["symbol"] as? String }
        #expect(defi == ["AAVE", "CRV", "GMX", "LDO", "MKR", "RUNE", "UNI", "USDC"])
    }

    @Test func aBadSignalFileFailsNamingLineAndFieldAndChangesNothing() throws {
        defer { cli.cleanUp() }
        let before = try signalRows()
        #expect(!before.isEmpty)
        let csv = cli.home.appendingPathComponent("bad.csv").path
        try "time,symbol,signal\n2026-01-05,AAVE,bearish\n2026-01-05,UNI,sell\n".write(
            toFile: csv, atomically: false, encoding: .utf8)
        let r = try cli.run(["import", "signals", csv, "--db", cli.db])
        #expect(r.code == 1)
        #expect(r.err.contains("\(csv):3: signal: 'sell'"), "\(r.err)")
        #expect(r.out.isEmpty)
        let jsonl = cli.home.appendingPathComponent("bad.jsonl").path
        try #"{"time":"2026-01-05","symbol":"NOPE","signal":1}"#.write(
            toFile: jsonl, atomically: false, encoding: .utf8)
        let unknown = try cli.run(["import", "signals", jsonl, "--db", cli.db])
        #expect(unknown.code == 1)
        #expect(unknown.err.contains("\(jsonl):1: symbol: unknown symbol 'NOPE'"), "\(unknown.err)")
        #expect(try signalRows() == before)
    }

    @Test func anImportedSignalIsReportedWithItsSource() throws {
        defer { cli.cleanUp() }
        let aave = try #require(try assets(try signals()).first { $0["symbol"] as? String == "AAVE" })
        let time = try #require(aave["time"] as? String)
        let csv = cli.home.appendingPathComponent("desk.csv").path
        try "time,symbol,signal,score\n\(time),aave,bearish,-0.9\n".write(
            toFile: csv, atomically: false, encoding: .utf8)
        let r = try cli.run(["import", "signals", csv, "--db", cli.db])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.contains("imported 1 signals"))
        for extra in [[], ["defi-ai"]] {
            let list = try assets(try signals(extra))
            let imported = try #require(list.first { $0["symbol"] as? String == "AAVE" })
            #expect(imported["source"] as? String == "import")
            #expect(imported["label"] as? String == "bearish")
            #expect(imported["score"] as? Double == -0.9)
            #expect(imported["conviction"] as? Double == 0.9)
            #expect(imported["time"] as? String == time)
            #expect(list.filter { $0["source"] as? String != "rating" }.count == 1)
        }
        #expect(try cli.sqlite("SELECT COUNT(*) FROM signals WHERE source = 'import'") == "1")
    }

    @Test func defiAIHistoryHasARiskOffRebalance() throws {
        defer { cli.cleanUp() }
        let r = try cli.run(["history", "defi-ai", "--json", "--db", cli.db])
        #expect(r.code == 0, "\(r.err)")
        let list = try #require(try parseJSON(r.out) as? [[String: Any]])
        let triggers = list.compactMap { $0["trigger"] as? String }
        #expect(triggers.count == list.count)
        #expect(triggers.contains("risk-off"))
        #expect(triggers.last == "initial")
        let times = list.compactMap { $0["time"] as? String }
        #expect(times == times.sorted(by: >), "newest first")
        for field in [
            "id", "time", "trigger", "status", "nav_before", "nav_after", "turnover", "fees", "reason", "trades",
        ] {
            #expect(list.allSatisfy { $0[field] != nil }, "missing \(field)")
        }
        let riskOff = try #require(list.first { $0["trigger"] as? String == "risk-off" })
        #expect((riskOff["reason"] as? String)?.hasPrefix("regime changed to ") == true)
    }
}
