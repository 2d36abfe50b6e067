import Foundation
import TestSupport
import Testing

/// `indextop alerts` and `alert_command` end to end: the built binary on a copy of the demo
/// database, a real vault, a real hook script (DESIGN §10, §12).
@Suite(.demoDatabase) struct AlertsCLITests {
    static let canary = "CG-alertCANARY5Hq8Zt2Lw7Vn"
    static let envCanary = "envCANARY3Jd9Wq6Rb1"

    let cli: ProcessHarness

    init() throws {
        cli = try ProcessHarness()
        try cli.copyDemo()
    }

    var configFile: URL { cli.home.appendingPathComponent("config/indextop/indextop.conf") }
    var outDir: URL { cli.home.appendingPathComponent("hook out") }

    /// A hook that saves its stdin and environment as `<out>/<id>.json` and `<out>/<id>.env`.
    func installHook(minInterval: String?) throws {
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        let script = cli.home.appendingPathComponent("hook.sh")
        try "#!/bin/sh\ncat > \"$1/$INDEXTOP_ALERT_ID.json\"\nenv > \"$1/$INDEXTOP_ALERT_ID.env\"\n".write(
            to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        try FileManager.default.createDirectory(
            at: configFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        var config = "# alerts\nalert_command = \(script.path) \"\(outDir.path)\"\n"
        if let minInterval { config += "alert_min_interval = \(minInterval)\n" }
        try config.write(to: configFile, atomically: true, encoding: .utf8)
    }

    func hookFiles(_ ext: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: outDir.path).filter { $0.hasSuffix(ext) }.sorted()
    }

    func alerts(_ extra: [String] = []) throws -> (code: Int32, list: [[String: Any]]) {
        let r = try cli.run(["alerts", "--json", "--db", cli.db] + extra)
        #expect(r.code == 0 || r.code == 1, "\(r.err)")
        return (r.code, try #require(try parseJSON(r.out) as? [[String: Any]], "\(r.out)"))
    }

    /// Imports a BTC price 1.5 × the latest, an hour after the newest price; returns BTC's weight in
    /// top20-sqrt (band ±5 points) before and after, worked out from the holdings: w' = 1.5 w / (1 + 0.5 w),
    /// and its target.
    func breakTheBand() throws -> (before: Double, after: Double, target: Double) {
        let newest = try #require(Int64(try cli.sqlite("SELECT MAX(time) FROM prices")))
        let btc = try #require(
            Double(try cli.sqlite("SELECT price FROM prices WHERE symbol = 'BTC' ORDER BY time DESC LIMIT 1")))
        let h = try cli.run(["holdings", "top20-sqrt", "--json", "--db", cli.db])
        let object = try #require(try parseJSON(h.out) as? [String: Any])
        let rows = try #require(object["holdings"] as? [[String: Any]])
        let row = try #require(rows.first { $0["symbol"] as? String == "BTC" })
        let w = try #require(row["weight"] as? Double)
        let target = try #require(row["target"] as? Double)
        let file = cli.home.appendingPathComponent("btc.csv")
        try "time,symbol,price\n\(newest + 3600),BTC,\(btc * 1.5)\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try cli.run(["import", "prices", file.path, "--db", cli.db])
        #expect(r.code == 0, "\(r.err)")
        return (w, 1.5 * w / (1 + 0.5 * w), target)
    }

    @Test func aBrokenBandRaisesDriftOnceAndRebalanceDueClearsIt() throws {
        defer { cli.cleanUp() }
        #expect(try alerts().code == 0)
        let w = try breakTheBand()
        #expect(abs(w.after - w.target) > 0.05)
        let first = try alerts()
        #expect(first.code == 1)
        let mine = first.list.filter { $0["index"] as? String == "top20-sqrt" }
        #expect(Set(mine.compactMap { $0["kind"] as? String }) == ["drift", "due"])
        let drift = try #require(mine.first { $0["kind"] as? String == "drift" })
        let pct = { (x: Double) in String(format: "%.1f%%", x * 100) }
        #expect(
            drift["message"] as? String
                == "top20-sqrt: BTC at \(pct(w.after)) vs target \(pct(w.target)), beyond the band ±5.0 pts", "\(drift)"
        )
        #expect(drift["state"] as? String == "new" && drift["asset"] is NSNull && drift["cleared_at"] is NSNull)
        #expect(
            Set(drift.keys) == [
                "id", "kind", "index", "asset", "state", "first_seen", "last_seen", "cleared_at", "message",
            ])
        // Evaluated again: the same alerts, not new ones.
        let second = try alerts()
        #expect(second.list.compactMap { $0["id"] as? Int } == first.list.compactMap { $0["id"] as? Int })

        let id = try #require(drift["id"] as? Int)
        let ack = try cli.run(["alerts", "--ack", String(id), "--db", cli.db])
        #expect(ack.code == 0 && ack.out.contains("acknowledged"), "\(ack.err)")
        #expect(try cli.run(["alerts", "--ack", "x1", "--db", cli.db]).code == 2)
        #expect(try cli.run(["alerts", "--ack", "99999", "--db", cli.db]).code == 1)

        let due = try cli.run(["rebalance", "--due", "--db", cli.db])
        #expect(due.code == 0 && due.out.contains("top20-sqrt: drift"), "\(due.out) \(due.err)")
        #expect(try alerts().list.filter { $0["index"] as? String == "top20-sqrt" }.isEmpty)
        let all = try alerts(["--all"]).list.filter { $0["index"] as? String == "top20-sqrt" }
        #expect(all.count == 2 && all.allSatisfy { $0["state"] as? String == "cleared" && $0["cleared_at"] is String })
        #expect(try cli.sqlite("SELECT COUNT(*) FROM alerts WHERE state != 'cleared'") == "0")
    }

    @Test func anImportedSignalFlipRaisesASignalAlertPerIndexHoldingTheToken() throws {
        defer { cli.cleanUp() }
        let day = try #require(Int64(try cli.sqlite("SELECT MAX(time) FROM signals")))
        let file = cli.home.appendingPathComponent("signals.csv")
        try "time,symbol,signal\n\(day - 86_400),BTC,bullish\n\(day),BTC,bearish\n".write(
            to: file, atomically: true, encoding: .utf8)
        let r = try cli.run(["import", "signals", file.path, "--db", cli.db])
        #expect(r.code == 0, "\(r.err)")
        let holders = Set(
            try cli.sqlite(
                "SELECT i.slug FROM holdings h JOIN indices i ON i.id = h.index_id WHERE h.symbol = 'BTC' AND h.quantity > 0"
            ).split(separator: "\n").map(String.init))
        #expect(!holders.isEmpty)
        let signal = try alerts().list.filter { $0["kind"] as? String == "signal" && $0["asset"] as? String == "BTC" }
        #expect(Set(signal.compactMap { $0["index"] as? String }).isSuperset(of: holders))
        for a in signal {
            #expect(a["message"] as? String == "\(a["index"] as? String ?? ""): BTC signal bullish → bearish")
        }
        // The next day's label is the same: the flips clear.
        try "time,symbol,signal\n\(day + 86_400),BTC,bearish\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try cli.run(["import", "signals", file.path, "--db", cli.db]).code == 0)
        #expect(
            try alerts().list.filter { $0["kind"] as? String == "signal" && $0["asset"] as? String == "BTC" }.isEmpty)
    }

    @Test func theHookGetsOneJSONPerAlertAndNothingSecret() throws {
        defer { cli.cleanUp() }
        try installHook(minInterval: "0")
        let secrets = ["COINGECKO_API_KEY": Self.envCanary, "MY_TOKEN": Self.envCanary, "LANG": "C.UTF-8"]
        let add = try cli.run(
            ["keys", "add", "--provider", "coingecko", "--scope", "read", "--expires", "5", "--db", cli.db],
            stdin: Self.canary + "\n", environment: secrets)
        #expect(add.code == 0, "\(add.err)")
        let r = try cli.run(["alerts", "--json", "--db", cli.db], environment: secrets)
        #expect(r.code == 1, "\(r.err)")
        #expect(try hookFiles(".json").count == 1)
        let id = try #require(try alerts().list.first { $0["kind"] as? String == "key" }?["id"] as? Int)
        let stdin = try String(contentsOf: outDir.appendingPathComponent("\(id).json"), encoding: .utf8)
        let sent = try #require(try parseJSON(stdin) as? [String: Any])
        #expect(sent["kind"] as? String == "key" && sent["asset"] as? String == "coingecko/dev/read")
        #expect((sent["message"] as? String)?.hasPrefix("key coingecko/dev/read v1 expires in 5 days") == true)
        let env = try String(contentsOf: outDir.appendingPathComponent("\(id).env"), encoding: .utf8)
        let lines = Set(env.split(separator: "\n").map(String.init))
        #expect(lines.contains("INDEXTOP_ALERT_KIND=key") && lines.contains("INDEXTOP_ALERT_ASSET=coingecko/dev/read"))
        #expect(lines.contains("INDEXTOP_ALERT_INDEX=") && lines.contains("INDEXTOP_ALERT_ID=\(id)"))
        #expect(lines.contains("LANG=C.UTF-8") && lines.contains("HOME=\(cli.home.path)"))

        // Evaluated again: no second run. A band broken by an import: one run per new alert.
        _ = try cli.run(["alerts", "--db", cli.db], environment: secrets)
        #expect(try hookFiles(".json").count == 1)
        _ = try breakTheBand()
        let open = try alerts().list.compactMap { $0["id"] as? Int }.sorted()
        #expect(try hookFiles(".json") == open.map { "\($0).json" }.sorted())
        #expect(open.count == 3)

        for name in try FileManager.default.contentsOfDirectory(atPath: outDir.path) {
            let text = try String(contentsOf: outDir.appendingPathComponent(name), encoding: .utf8)
            for secret in [Self.canary, Self.envCanary, ProcessHarness.passphrase, "INDEXTOP_PASSPHRASE"] {
                #expect(!text.contains(secret), "\(name) holds '\(secret)'")
            }
        }
    }

    @Test func theHookIsRateLimitedAndItsFailuresAreLoggedNotFatal() throws {
        defer { cli.cleanUp() }
        try installHook(minInterval: nil)  // the default: one run a minute
        _ = try breakTheBand()  // two alerts at once: drift and due
        #expect(try alerts().list.count == 2)
        #expect(try hookFiles(".json").count == 1)
        #expect(try alerts().code == 1)
        #expect(try hookFiles(".json").count == 1)

        try "alert_command = /nonexistent/hook --flag\nalert_min_interval = 0\n".write(
            to: configFile, atomically: true, encoding: .utf8)
        let r = try cli.run(["alerts", "--db", cli.db])
        #expect(r.code == 1, "\(r.err)")
        let log = try String(contentsOf: cli.home.appendingPathComponent("state/indextop/feed.log"), encoding: .utf8)
        #expect(log.contains("alert_command error") && log.contains("cannot run /nonexistent/hook"), "\(log)")
    }

    @Test func aFeedStoppedOnARejectedKeyRaisesFeedAndKeyAlertsAndAWorkingPollClearsThem() throws {
        defer { cli.cleanUp() }
        let add = try cli.run(
            ["keys", "add", "--provider", "coingecko", "--scope", "read", "--db", cli.db], stdin: Self.canary + "\n")
        #expect(add.code == 0, "\(add.err)")
        let refusing = try TestHTTPServer { _, _ in
            .json(#"{"status":{"error_code":401,"error_message":"Invalid API Key"}}"#, status: 401)
        }
        defer { refusing.stop() }
        let fetch = try cli.run(["fetch", "--base-url", refusing.baseURL.absoluteString, "--db", cli.db])
        #expect(fetch.code == 1)
        let raised = try alerts().list
        let feed = try #require(raised.first { $0["kind"] as? String == "feed" })
        #expect(feed["asset"] as? String == "coingecko")
        #expect((feed["message"] as? String)?.hasPrefix("feed coingecko stopped:") == true, "\(feed)")
        #expect((feed["message"] as? String)?.contains("401") == true)
        let key = try #require(raised.first { $0["kind"] as? String == "key" })
        #expect(key["message"] as? String == "key coingecko/dev/read v1 was rejected by its provider")

        let body = #"[{"id":"bitcoin","symbol":"btc","name":"Bitcoin","current_price":64000,"market_cap":1}]"#
        let working = try TestHTTPServer { _, _ in .json(body) }
        defer { working.stop() }
        let ok = try cli.run(["fetch", "--base-url", working.baseURL.absoluteString, "--db", cli.db])
        #expect(ok.code == 0, "\(ok.err)")
        let after = try alerts(["--all"]).list.filter { ["feed", "key"].contains($0["kind"] as? String) }
        #expect(after.count == 2 && after.allSatisfy { $0["state"] as? String == "cleared" }, "\(after)")
    }
}
