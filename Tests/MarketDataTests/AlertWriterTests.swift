import Foundation
import IndexCore
@testable import MarketData
import PortfolioStore
import SQLiteKit
import Testing

/// Alerts evaluated on the writer (the feed sink) and `alert_command` run by ``AlertHook``, on a real
/// temporary database read through a second connection.
@Suite struct AlertWriterTests {
    /// 2024-03-01T00:00:00Z.
    static let t0: Int64 = 1_709_251_200

    let dir: URL
    let path: String
    let reader: PortfolioStore

    /// BTC and ETH at 60 000 and 3 000, a fixed 50/50 index with a ±5 point band.
    init() throws {
        dir = try temporaryDirectory()
        path = dir.appendingPathComponent("alerts.db").path
        reader = try PortfolioStore(path: path, clock: { AlertWriterTests.t0 })
        try reader.upsertAssets([
            Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1"),
            Asset(symbol: "ETH", name: "Ethereum", sector: "Layer-1"),
        ])
        try reader.insertPrices([
            PricePoint(symbol: "BTC", time: Self.t0, price: 60_000),
            PricePoint(symbol: "ETH", time: Self.t0, price: 3_000),
        ])
        let spec = try IndexSpec.parse(
            Data(
                #"{"slug":"pair","name":"Pair","initial_capital":10000,"universe":["BTC","ETH"],"methodology":{"type":"fixed","weights":{"BTC":0.5,"ETH":0.5}},"rebalance":{"schedule":"none","drift_band":0.05},"fees_bps":0,"slippage_bps":0,"min_trade":0}"#
                    .utf8), file: "pair.json")
        try reader.createIndex(spec, at: Self.t0)
    }

    private func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    /// A feed whose every poll is refused with HTTP 401.
    final class RefusedFeed: Feed {
        let name = "coingecko"
        let pollInterval = 60.0
        let staleAfter = 180.0
        func poll(now: Double) throws -> PollReport {
            throw FeedError(.keyRejected(status: 401), "API key rejected (HTTP 401)", context: name)
        }
    }

    @Test func aBatchOfPricesOnTheSinkRaisesDriftAndTheNextOneClearsIt() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        sink.alertContext = { AlertContext() }
        sink.alertMinInterval = 0  // every batch (the default waits 10 s between evaluations)
        // BTC × 1.5: 7 500 : 5 000 of 12 500 → 60 % / 40 %, both 10 points off a 50 % target.
        try sink.store([PricePoint(symbol: "BTC", time: Self.t0 + 60, price: 90_000)], source: "sim")
        let open = try reader.alerts()
        #expect(open.map(\.key) == [AlertKey(.due, index: "pair"), AlertKey(.drift, index: "pair")])
        #expect(
            open.first { $0.key.kind == .drift }?.message
                == "pair: BTC at 60.0% vs target 50.0%, beyond the band ±5.0 pts and 1 more")
        try sink.store([PricePoint(symbol: "BTC", time: Self.t0 + 120, price: 90_000)], source: "sim")
        #expect(try reader.alerts().count == 2)  // still holding: the same two rows
        try sink.store([PricePoint(symbol: "BTC", time: Self.t0 + 180, price: 61_000)], source: "sim")
        // 5 083.33 : 5 000 → 50.41 %: inside the band, so both clear.
        #expect(try reader.alerts().isEmpty)
        #expect(try reader.alerts(all: true).map(\.state) == [.cleared, .cleared])
    }

    @Test func batchesCloserThanTheMinimumIntervalWaitForTheTimer() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        sink.alertContext = { AlertContext() }
        try sink.store([PricePoint(symbol: "BTC", time: Self.t0 + 60, price: 60_500)], source: "sim")  // inside
        try sink.store([PricePoint(symbol: "BTC", time: Self.t0 + 62, price: 90_000)], source: "sim")  // beyond
        #expect(try reader.alerts().isEmpty)  // the second batch came within 10 s of the first evaluation
        #expect(sink.evaluateAlerts().count == 2)  // what the timer does: drift and due
    }

    @Test func aFeedThatStoppedOnAnErrorIsReportedByTheSinksEvaluation() throws {
        defer { cleanUp() }
        let sink = try StoreSink(path: path)
        let runner = FeedRunner(feed: RefusedFeed())
        sink.alertContext = { AlertContext(feeds: [AlertSources.feed(runner.status, staleAfter: 180)]) }
        runner.start()
        let deadline = Date().addingTimeInterval(10)
        while runner.isRunning, Date() < deadline { runner.drain() }
        #expect(!runner.isRunning)
        let raised = sink.evaluateAlerts()
        #expect(raised.map(\.message) == ["feed coingecko stopped: API key rejected (HTTP 401)"])
        #expect(sink.evaluateAlerts().isEmpty)  // once
    }

    @Test func theHookIsKilledAtItsTimeoutAndThatIsLogged() throws {
        defer { cleanUp() }
        let log = FeedLog(url: dir.appendingPathComponent("state/feed.log"))
        let key = AlertInputs.Key(
            id: "coingecko/dev/read", version: 1, usable: true, retired: false, expires: Self.t0 + 86_400,
            rejected: false)
        try reader.evaluateAlerts(now: Self.t0, context: AlertContext(keys: [key]))
        let hook = try AlertHook(command: "/bin/sleep 30", minInterval: 0, timeout: 0.3, log: log)
        let start = Date()
        #expect(hook.dispatchPending(store: reader, now: Self.t0).count == 1)
        hook.wait()
        #expect(Date().timeIntervalSince(start) < 5)
        let text = try String(contentsOf: log.url, encoding: .utf8)
        #expect(text.contains("alert_command warn alert 1: /bin/sleep killed after 0.3 s (timeout)"), "\(text)")
        #expect(hook.dispatchPending(store: reader, now: Self.t0 + 1).isEmpty)  // never twice
    }

    @Test func commandLinesSplitLikeAShellWithoutExpansion() throws {
        #expect(
            try AlertHook.split(#"notify-send 'indextop alert' "a \"b\"" c\ d $HOME"#) == [
                "notify-send", "indextop alert", #"a "b""#, "c d", "$HOME",
            ])
        #expect(try AlertHook.split("  curl  -s\t-d @- ") == ["curl", "-s", "-d", "@-"])
        #expect(throws: FeedError.self) { try AlertHook.split("say 'unclosed") }
        #expect(throws: FeedError.self) { try AlertHook(command: "   ") }
    }

    @Test func theEnvironmentLosesEverySecretLookingVariable() {
        let env = AlertHook.scrubbedEnvironment([
            "PATH": "/usr/bin", "HOME": "/h", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/bus",
            "INDEXTOP_PASSPHRASE": "p", "INDEXTOP_DB": "/d", "COINGECKO_API_KEY": "k", "GITHUB_TOKEN": "t",
            "AWS_SECRET_ACCESS_KEY": "s", "MYSQL_PWD_PASSWORD": "x", "SSH_AUTH_SOCK": "/a",
        ])
        #expect(env.keys.sorted() == ["DBUS_SESSION_BUS_ADDRESS", "HOME", "PATH"])
    }
}
