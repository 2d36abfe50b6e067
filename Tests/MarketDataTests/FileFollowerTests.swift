import Foundation
import IndexCore
import MarketData
import Testing

@Suite struct FileFollowerTests {
    let dir: URL
    let file: URL
    /// 2024-05-02T20:26:40Z: the fixtures' times are within the plausible bounds (now + 1 day).
    let now = 1_714_681_600.0

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
        #expect(try follower.poll(now: now).points.count == 1)
        try append("1714521660,ETH,3000\n1714521720,SOL,13")
        let second = try follower.poll(now: now)
        #expect(second.points.map(\.symbol) == ["ETH"])
        try append("5.5\n{\"time\":\"2024-05-01T00:03:00Z\",\"symbol\":\"BTC\",\"price\":63100}\nbad,BTC,1\n")
        let third = try follower.poll(now: now)
        #expect(
            third.points == [
                PricePoint(symbol: "SOL", time: 1_714_521_720, price: 135.5),
                PricePoint(symbol: "BTC", time: 1_714_521_780, price: 63100),
            ])
        #expect(third.rejected == ["\(file.path):6: time: 'bad' is not ISO-8601 or Unix seconds"])
        #expect(sink.points.map(\.symbol) == ["BTC", "ETH", "SOL", "BTC"])
        #expect(sink.sourceNames.allSatisfy { $0 == "file" })
        #expect(try follower.poll(now: now).points.isEmpty)
    }

    @Test func theFollowerRefusesWhatImportRefuses() throws {
        // Before: `2024-02-31` was stored as 2 March by the follower and refused by import; a negative
        // market cap was dropped to nil; 9999-12-31 was stored.
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = [
            "2024-02-31,BTC,1", "1714521600,BTC,1,-5", "9999-12-31,BTC,1", "2024-05-01T00:00:00+99:00,BTC,1",
            "1714521600,BTC,0x10", "2024-05-01T05:00:00+05,BTC,2",
        ]
        try append(lines.joined(separator: "\r\n") + "\r\n")
        let sink = MemorySink()
        let report = try FileFollower(path: file.path, sink: sink).poll(now: now)
        #expect(report.points == [PricePoint(symbol: "BTC", time: 1_714_521_600, price: 2)])
        #expect(report.rejected.count == 5)
        #expect(report.rejected.first == "\(file.path):1: time: '2024-02-31' is not a valid calendar date and time")
        for line in lines.dropLast() {
            let fields = line.split(separator: ",").count
            let text = "time,symbol,price,market_cap\n" + line + (fields == 3 ? ",\n" : "\n")
            #expect(throws: InputError.self, "\(line)") {
                try PriceFile.parse(Data(text.utf8), file: "p.csv", bounds: .standard(now: Int64(now)))
            }
        }
    }

    @Test func truncatedFileIsReReadFromItsStart() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try append("1714521600,BTC,63000\n1714521660,BTC,63010\n1714521720,BTC,63020\n")
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: now).points.count == 3)
        try Data("1714600000,ETH,3100\n".utf8).write(to: file)  // shorter: truncated and rewritten
        let after = try follower.poll(now: now)
        #expect(after.points == [PricePoint(symbol: "ETH", time: 1_714_600_000, price: 3100)])
    }

    @Test func rotatedFileIsFollowedAfterTheOldOneIsFinished() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try append("1714521600,BTC,63000\n")
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: now).points.count == 1)
        try append("1714521660,BTC,63010\n")
        try FileManager.default.moveItem(at: file, to: dir.appendingPathComponent("prices.csv.1"))
        try append("1714521720,ETH,3000\n1714521780,ETH,3001\n")
        let after = try follower.poll(now: now)
        #expect(after.points.map(\.price) == [63010, 3000, 3001])
    }

    @Test func missingFileIsWaitedForAndTailModeSkipsOldLines() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let sink = MemorySink()
        let follower = FileFollower(path: file.path, sink: sink)
        #expect(try follower.poll(now: now).points.isEmpty)
        try append("1714521600,BTC,63000\n")
        #expect(try follower.poll(now: now).points.count == 1)

        let tail = FileFollower(path: file.path, sink: sink, fromStart: false)
        #expect(try tail.poll(now: now).points.isEmpty)
        try append("1714521660,SOL,140\n")
        #expect(try tail.poll(now: now).points.map(\.symbol) == ["SOL"])
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
