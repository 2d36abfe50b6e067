import Foundation
import IndexCore
import Testing

@testable import MarketData

@Suite struct RunnerTests {
    @Test func simulatorFeedTicksOnItsQueueAndStoresEveryAsset() {
        let sink = MemorySink()
        let feed = SimulatorFeed(seed: 1, assets: DemoUniverse.simAssets, interval: 0.01, sink: sink)
        let polls = Locked(0)
        let runner = FeedRunner(feed: feed, onPoll: { _ in polls.withLock { $0 += 1 } })
        defer { runner.stop() }
        runner.start()
        #expect(eventually { sink.batches >= 3 })
        runner.stop()
        runner.drain()
        let status = runner.status
        #expect(status.state == .idle)
        #expect(status.name == "sim")
        #expect(status.lastPriceTime != nil)
        #expect(status.storedTotal >= 3 * DemoUniverse.simAssets.count)
        #expect(polls.current >= 3)
        #expect(sink.points.allSatisfy { $0.price > 0 && $0.price.isFinite })
        #expect(sink.sourceNames.allSatisfy { $0 == "sim" })
        let batches = sink.batches
        // Stopped means stopped: nothing more arrives.
        runner.drain()
        #expect(sink.batches == batches)
    }

    @Test func simulatorFeedIsSeededAndUsesElapsedTime() throws {
        let a = MemorySink()
        let b = MemorySink()
        let feedA = SimulatorFeed(seed: 9, assets: DemoUniverse.simAssets, sink: a)
        let feedB = SimulatorFeed(seed: 9, assets: DemoUniverse.simAssets, sink: b)
        for t in [100.0, 102, 104] {
            _ = try feedA.poll(now: t)
            _ = try feedB.poll(now: t)
        }
        #expect(a.points == b.points)
        #expect(a.points.last?.time == 104)
    }

    @Test func statusTurnsStaleWhenPricesAge() throws {
        let clock = Locked(1_000.0)
        let sink = MemorySink()
        let feed = SimulatorFeed(seed: 2, assets: DemoUniverse.simAssets, interval: 2, sink: sink)
        let runner = FeedRunner(feed: feed, clock: { clock.current })
        defer { runner.stop() }
        runner.start()
        #expect(eventually { runner.status.state == .live })
        #expect(runner.status.age(now: 1_000) == 0)
        clock.withLock { $0 = 1_007 }  // beyond 3 × 2 s
        #expect(runner.status.state == .stale)
        #expect(runner.status.state.label(now: 1_007) == "STALE")
    }

    @Test func storageFailureBacksOffWithoutStopping() {
        let sink = MemorySink()
        sink.failing = true
        let feed = SimulatorFeed(seed: 3, assets: DemoUniverse.simAssets, interval: 0.01, sink: sink)
        let runner = FeedRunner(feed: feed, backoff: Backoff(base: 0.01, maximum: 0.01))
        defer { runner.stop() }
        runner.start()
        #expect(
            eventually {
                if case .backingOff = runner.status.state { return runner.status.failures >= 2 }
                return false
            })
        sink.failing = false
        #expect(eventually { runner.status.state == .live && sink.batches > 0 })
        #expect(runner.status.failures == 0)
    }

    @Test func feedLogRotatesAndRedactsKeyHeaders() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = FeedLog(url: dir.appendingPathComponent("feed.log"), maxBytes: 300, clock: { 0 })
        for i in 0..<20 { log.write(feed: "sim", "line \(i) with some padding to fill the file") }
        let current = try String(contentsOf: log.url, encoding: .utf8)
        let old = try String(contentsOf: log.url.appendingPathExtension("1"), encoding: .utf8)
        #expect(current.utf8.count <= 300)
        #expect(current.hasPrefix("1970-01-01T00:00:00Z sim info line"))
        #expect(current.contains("line 19"))
        #expect(!old.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: log.url.appendingPathExtension("2").path))
        #expect(FeedLog.redacting("x-api-key: abc123") == "x-api-key: [redacted]")
        #expect(FeedLog.redacting("GET /x\nX-CG-Demo-API-Key: s3cr3t") == "GET /x\nX-CG-Demo-API-Key: [redacted]")
        #expect(
            FeedLog.defaultURL(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/indextop/feed.log")
        #expect(FeedLog.defaultURL(environment: ["HOME": "/h"]).path == "/h/.local/state/indextop/feed.log")
    }
}

@Suite struct FeedFactoryTests {
    @Test func buildsEachKind() throws {
        let inputs = FeedFactory.Inputs(
            assets: DemoUniverse.assets, latestPrices: ["BTC": 70_000], priceSink: MemorySink())
        #expect(try FeedFactory.make(.none, inputs) == nil)
        let sim = try #require(try FeedFactory.make(.sim, inputs) as? SimulatorFeed)
        let first = try sim.poll(now: 0)
        #expect(first.points.count == DemoUniverse.assets.count)
        // One 2 s tick from 70 000 moves BTC by well under 1 %.
        #expect(abs(first.points[0].price / 70_000 - 1) < 0.01)
        #expect(try FeedFactory.make(.coingecko, inputs)?.name == "coingecko")
        #expect(try FeedFactory.make(.file(path: "/tmp/x.csv"), inputs)?.name == "file:/tmp/x.csv")
        #expect(throws: FeedError.self) { try FeedFactory.make(.tokenmetrics, inputs) }
    }
}
