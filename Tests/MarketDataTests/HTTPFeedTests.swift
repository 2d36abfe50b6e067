import TestSupport
import Foundation
import IndexCore
@testable import MarketData
import Testing

/// The feeds against a real HTTP server on 127.0.0.1 serving recorded CoinGecko and Token
/// Metrics responses.
@Suite struct HTTPFeedTests {
    let key = "CG-test-SECRET-4f9a2b7c"

    private func client(
        _ server: TestHTTPServer, sink: MemorySink, plan: CoinGeckoConfig.Plan = .demo, timeout: Double = 5,
        log: FeedLog? = nil
    ) -> CoinGeckoClient {
        let secret = key
        return CoinGeckoClient(
            config: CoinGeckoConfig(
                plan: plan, baseURL: server.baseURL.appendingPathComponent("api/v3"), timeout: timeout),
            assets: testAssets, key: { secret }, sink: sink, log: log)
    }

    @Test func normalPollStoresPricesAndSendsTheKeyOnlyInItsHeader() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try TestHTTPServer { _, _ in .json(recordedMarkets) }
        defer { server.stop() }
        let sink = MemorySink()
        let log = FeedLog(url: dir.appendingPathComponent("feed.log"))
        let report = try client(server, sink: sink, log: log).poll(now: 1_714_567_000)

        #expect(sink.points.map(\.symbol) == ["BTC", "ETH", "SOL"])
        #expect(sink.points.map(\.price) == [63123.5, 3012.25, 135.5])
        #expect(sink.batches == 1)
        #expect(sink.sourceNames == ["coingecko"])
        #expect(report.requests == 1)

        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/api/v3/coins/markets")
        #expect(request.query == ["vs_currency": "usd", "ids": "bitcoin,ethereum,solana", "per_page": "250"])
        #expect(request.headers["x-cg-demo-api-key"] == key)
        #expect(request.headers["x-cg-pro-api-key"] == nil)
        // The key appears exactly once in the raw request: in its header, nowhere else.
        #expect(request.raw.components(separatedBy: key).count == 2)
        let logText = try String(contentsOf: log.url, encoding: .utf8)
        #expect(logText.contains("stored 3 prices"))
        #expect(!logText.contains(key))
    }

    @Test func unknownIdsAreLoggedOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let body =
            "[" + coinJSON(id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "1") + ","
            + coinJSON(id: "dogecoin", symbol: "doge", name: "Dogecoin", price: "0.1") + "]"
        let server = try TestHTTPServer { _, _ in .json(body) }
        defer { server.stop() }
        let log = FeedLog(url: dir.appendingPathComponent("feed.log"))
        let feed = client(server, sink: MemorySink(), log: log)
        for _ in 0..<3 { _ = try feed.poll(now: 0) }
        let text = try String(contentsOf: log.url, encoding: .utf8)
        #expect(text.components(separatedBy: "dogecoin: unknown CoinGecko id").count == 2)
        // ethereum and solana were asked for but not returned: also reported once each.
        #expect(text.components(separatedBy: "ethereum: not returned by CoinGecko").count == 2)
        #expect(server.requests.count == 3)
    }

    @Test func proPlanUsesTheProHeader() throws {
        let server = try TestHTTPServer { _, _ in .json(recordedMarkets) }
        defer { server.stop() }
        _ = try client(server, sink: MemorySink(), plan: .pro).poll(now: 0)
        #expect(server.requests.first?.headers["x-cg-pro-api-key"] == key)
        #expect(server.requests.first?.headers["x-cg-demo-api-key"] == nil)
    }

    @Test func rateLimitHonoursRetryAfterThenSucceeds() throws {
        let server = try TestHTTPServer { _, index in
            index == 0
                ? .json(
                    #"{"status":{"error_code":429,"error_message":"Rate limited"}}"#, status: 429,
                    headers: ["Retry-After": "1"])
                : .json(recordedMarkets)
        }
        defer { server.stop() }
        let sink = MemorySink()
        let recorder = SleepRecorder()
        let started = Date()
        let report = try client(server, sink: sink).pollWithRetry(
            random: { 0.5 },
            sleep: {
                recorder.sleep($0)
                Thread.sleep(forTimeInterval: $0)
            })
        #expect(recorder.delays == [1])
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(server.requests.count == 2)
        #expect(report.points.count == 3)
        #expect(sink.points.count == 3)
    }

    @Test func rejectedKeyStopsAfterExactlyOneRequest() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try TestHTTPServer { _, _ in
            .json(#"{"status":{"error_code":10002,"error_message":"Invalid API key"}}"#, status: 401)
        }
        defer { server.stop() }
        let log = FeedLog(url: dir.appendingPathComponent("feed.log"))
        let feed = client(server, sink: MemorySink(), log: log)
        let rejections = Locked<[Int]>([])
        let runner = FeedRunner(
            feed: feed, backoff: Backoff(base: 0.01), log: log,
            onKeyRejected: { _, status in rejections.withLock { $0.append(status) } })
        defer { runner.stop() }
        runner.start()
        #expect(eventually { !runner.isRunning })
        runner.drain()
        #expect(runner.status.state == .error("API key rejected (HTTP 401)"))
        #expect(rejections.current == [401])
        #expect(server.requests.count == 1)

        // Neither another poll nor a retrying fetch sends the rejected key again.
        #expect(throws: FeedError.self) { try feed.poll(now: 0) }
        #expect(throws: FeedError.self) { try feed.pollWithRetry(sleep: { _ in }) }
        runner.start()
        #expect(eventually { !runner.isRunning })
        #expect(server.requests.count == 1)
        let logText = try String(contentsOf: log.url, encoding: .utf8)
        #expect(logText.contains("API key rejected"))
        #expect(!logText.contains(key))
        #expect(!"\(runner.status)".contains(key))
    }

    @Test func serverErrorsBackOffExponentially() throws {
        let server = try TestHTTPServer { _, _ in .json("{}", status: 500) }
        defer { server.stop() }
        let recorder = SleepRecorder()
        let feed = client(server, sink: MemorySink())
        do {
            _ = try feed.pollWithRetry(
                maxAttempts: 3, backoff: Backoff(base: 2, maximum: 60, jitter: 0.5), random: { 0.5 },
                sleep: recorder.sleep)
            Issue.record("expected a failure")
        } catch let error as FeedError {
            #expect(error.kind == .server(status: 500))
            #expect(!error.description.contains(key))
        }
        // 2 × 2^(n−1) × 0.75 for n = 1, 2.
        #expect(recorder.delays == [1.5, 3])
        #expect(server.requests.count == 3)

        // The runner shows the back-off in its state and keeps going.
        let runner = FeedRunner(feed: feed, backoff: Backoff(base: 0.05, maximum: 0.05), random: { 0 })
        defer { runner.stop() }
        runner.start()
        #expect(
            eventually {
                if case .backingOff(_, let reason) = runner.status.state { return reason == "HTTP 500" }
                return false
            })
        #expect(eventually { server.requests.count >= 5 })
        #expect(runner.isRunning)
    }

    @Test func malformedAndPartialBodiesStoreOnlyValidItems() throws {
        let body =
            "["
            + [
                coinJSON(id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "64000"),
                coinJSON(id: "ethereum", symbol: "eth", name: "Ethereum", price: "-1"),
                #"{"id":"solana","current_price":oops}"#,
                coinJSON(id: "dogecoin", symbol: "doge", name: "Dogecoin", price: "0.1"),
            ].joined(separator: ",") + ",{\"id\":\"sol"
        let server = try TestHTTPServer { _, _ in .json(body) }
        defer { server.stop() }
        let sink = MemorySink()
        let report = try client(server, sink: sink).poll(now: 0)
        #expect(sink.points.map(\.symbol) == ["BTC"])
        #expect(sink.points.first?.price == 64000)
        #expect(report.rejected.count == 4)
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = try TestHTTPServer { _, _ in .hang }
        defer { server.stop() }
        let started = Date()
        do {
            _ = try client(server, sink: MemorySink(), timeout: 0.5).poll(now: 0)
            Issue.record("expected a timeout")
        } catch let error as FeedError {
            #expect(error.kind == .timeout)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.4 && elapsed < 5, "elapsed \(elapsed), requests \(server.requests.count)")
    }

    @Test func tokenMetricsPagesThroughSignalsWithItsKey() throws {
        let page1 = #"""
            {"success":true,"message":"ok","length":2,"data":[
            {"TOKEN_ID":3375,"TOKEN_NAME":"Bitcoin","TOKEN_SYMBOL":"BTC","DATE":"2024-05-01T00:00:00.000Z","TRADING_SIGNAL":1,"TM_TRADER_GRADE":90},
            {"TOKEN_ID":1,"TOKEN_NAME":"Other","TOKEN_SYMBOL":"XYZ","DATE":"2024-05-01T00:00:00.000Z","TRADING_SIGNAL":1,"TM_TRADER_GRADE":90}]}
            """#
        let page2 = #"""
            {"success":true,"message":"ok","length":1,"data":[
            {"TOKEN_ID":3306,"TOKEN_NAME":"Ethereum","TOKEN_SYMBOL":"ETH","DATE":"2024-05-02T00:00:00.000Z","TRADING_SIGNAL":-1,"TM_TRADER_GRADE":30}]}
            """#
        let server = try TestHTTPServer { request, _ in
            .json(request.query["page"] == "1" ? page1 : page2)
        }
        defer { server.stop() }
        let sink = MemorySink()
        let secret = "tm-SECRET-0000-1111"
        let feed = TokenMetricsClient(
            config: TokenMetricsConfig(baseURL: server.baseURL, pageLimit: 2), symbols: ["BTC", "ETH"],
            key: { secret }, sink: sink)
        let report = try feed.poll(now: 0)
        #expect(server.requests.count == 2)
        #expect(server.requests.map { $0.query["page"] } == ["1", "2"])
        #expect(server.requests.allSatisfy { $0.path == "/v2/trading-signals" && $0.query["limit"] == "2" })
        #expect(server.requests.allSatisfy { $0.headers["x-api-key"] == secret })
        #expect(server.requests.allSatisfy { $0.raw.components(separatedBy: secret).count == 2 })
        #expect(
            sink.signals == [
                ExternalSignal(symbol: "BTC", time: 1_714_521_600, label: 1, score: 0.8, source: "tokenmetrics"),
                ExternalSignal(symbol: "ETH", time: 1_714_607_999 + 1, label: -1, score: -0.4, source: "tokenmetrics"),
            ])
        #expect(report.signals.count == 2)
    }

    @Test func tokenMetricsRejectedKeyIsNotRetried() throws {
        let server = try TestHTTPServer { _, _ in
            .json(#"{"success":false,"message":"Invalid API key","length":0,"data":[]}"#, status: 403)
        }
        defer { server.stop() }
        let feed = TokenMetricsClient(
            config: TokenMetricsConfig(baseURL: server.baseURL), symbols: [], key: { "k" }, sink: MemorySink())
        #expect(throws: FeedError.self) { try feed.pollWithRetry(sleep: { _ in }) }
        #expect(throws: FeedError.self) { try feed.poll(now: 0) }
        #expect(server.requests.count == 1)
    }
}

/// The libcurl transport's header parsing.
@Suite struct HTTPTransportHeaderTests {
    @Test func onlyTheFinalResponsesHeadersAreKept() {
        let raw =
            "HTTP/1.1 100 Continue\r\nX-Early: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRetry-After:  7 \r\n\r\n"
        #expect(HTTPTransport.lastHeaderBlock(raw) == ["content-type": "application/json", "retry-after": "7"])
    }
}
