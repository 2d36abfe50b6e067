import Foundation
import IndexCore
import MarketData
import Testing

@Suite struct FileFollowerTests {
    let dir: URL
    let file: URL

    init() throws {
        dir = try temporaryDirectory()
        file = dir.appendingPathComponent("prices.csv")
    }

    private func append(_ text: String, to url: URL? = nil) throws {
        let target = url ?? file
        if !FileManager.default.fileExists(atPath: target.path) {
            try Data().write(to: target)
        }
        let handle = try FileHandle(forWritingTo: target)
        defer { try? handle.close() }
        _ = try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func appendedLinesArriveAndPartialLinesWait() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try append("time,symbol,price,market_cap,volume\n1714521600,BTC,63000,1,2\n")
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: 0).points.count == 1)
        try append("1714521660,ETH,3000\n1714521720,SOL,13")
        let second = try follower.poll(now: 0)
        #expect(second.points.map(\.symbol) == ["ETH"])
        try append("5.5\n{\"time\":\"2024-05-01T00:03:00Z\",\"symbol\":\"BTC\",\"price\":63100}\nbad,BTC,1\n")
        let third = try follower.poll(now: 0)
        #expect(
            third.points == [
                PricePoint(symbol: "SOL", time: 1_714_521_720, price: 135.5),
                PricePoint(symbol: "BTC", time: 1_714_521_780, price: 63100),
            ])
        #expect(third.rejected == ["line 6: bad time 'bad'"])
        #expect(sink.points.map(\.symbol) == ["BTC", "ETH", "SOL", "BTC"])
        #expect(sink.sourceNames.allSatisfy { $0 == "file" })
        #expect(try follower.poll(now: 0).points.isEmpty)
    }

    @Test func truncatedFileIsReReadFromItsStart() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try append("1714521600,BTC,63000\n1714521660,BTC,63010\n1714521720,BTC,63020\n")
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: 0).points.count == 3)
        try Data("1714600000,ETH,3100\n".utf8).write(to: file)  // shorter: truncated and rewritten
        let after = try follower.poll(now: 0)
        #expect(after.points == [PricePoint(symbol: "ETH", time: 1_714_600_000, price: 3100)])
    }

    @Test func rotatedFileIsFollowedAfterTheOldOneIsFinished() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try append("1714521600,BTC,63000\n")
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: 0).points.count == 1)
        try append("1714521660,BTC,63010\n")
        try FileManager.default.moveItem(at: file, to: dir.appendingPathComponent("prices.csv.1"))
        try append("1714521720,ETH,3000\n1714521780,ETH,3001\n")
        let after = try follower.poll(now: 0)
        #expect(after.points.map(\.price) == [63010, 3000, 3001])
    }

    @Test func missingFileIsWaitedForAndTailModeSkipsOldLines() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: 0).points.isEmpty)
        try append("1714521600,BTC,63000\n")
        #expect(try follower.poll(now: 0).points.count == 1)

        let tail = FileFollower(path: file.path, sink: sink, fromStart: false)
        #expect(try tail.poll(now: 0).points.isEmpty)
        try append("1714521660,SOL,140\n")
        #expect(try tail.poll(now: 0).points.map(\.symbol) == ["SOL"])
    }

    @Test func runnerDeliversAppendedLinesInTheBackground() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try append("")
        let sink = MemorySink()
        let runner = FeedRunner(feed: FileFollower(path: file.path, sink: sink, pollInterval: 0.01))
        defer { runner.stop() }
        runner.start()
        #expect(eventually { runner.status.state == .live })
        let now = Int64(Date().timeIntervalSince1970)
        try append("\(now),BTC,63000\n\(now),ETH,3000\n")
        #expect(eventually { sink.points.count == 2 })
        #expect(eventually { runner.status.lastPriceTime == now })
        #expect(runner.status.name == "file:\(file.path)")
    }
}
