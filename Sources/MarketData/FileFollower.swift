import Foundation
import IndexCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `file:PATH` feed: follows a CSV or JSONL price file as it grows, like `tail -F`.
///
/// Each poll reads what was appended since the last one (a trailing partial line waits for
/// its newline). A file that shrank was truncated and is re-read from its start; a file
/// whose inode changed was rotated: the rest of the old file is read, then the new one from
/// its start. A missing file is waited for.
public final class FileFollower: Feed {
    public let name: String
    /// The followed path.
    public let path: String
    public let pollInterval: Double
    public let staleAfter: Double
    private let sink: any PriceSink
    private let log: FeedLog?
    private let fromStart: Bool

    private struct Cursor {
        var fd: Int32 = -1
        var inode: UInt64 = 0
        var offset: Int64 = 0
        var lines = LineReader()
        var parser: PriceLineParser
        var started = false
    }
    private let cursor: Locked<Cursor>
    private let bounds: @Sendable (Double) -> TimeBounds

    /// Creates the follower.
    /// - Parameters:
    ///   - path: the file to follow.
    ///   - sink: where the points go (one batch per poll).
    ///   - fromStart: read the existing content first (default), or only what is appended.
    ///   - pollInterval: seconds between checks of the file (default 0.5).
    ///   - staleAfter: seconds without a new price before the feed counts as stale (default 180).
    ///   - bounds: the plausible times for a poll's `now` (default 2009-01-03 to now + 1 day); a line
    ///     outside them is rejected like any bad line.
    public init(
        path: String, sink: any PriceSink, fromStart: Bool = true, pollInterval: Double = 0.5,
        staleAfter: Double = 180, log: FeedLog? = nil,
        bounds: @escaping @Sendable (Double) -> TimeBounds = { TimeBounds.standard(now: Int64($0)) }
    ) {
        self.bounds = bounds
        cursor = Locked(Cursor(parser: Self.parser(path, bounds(0))))
        self.path = path
        name = "file:\(path)"
        self.sink = sink
        self.fromStart = fromStart
        self.pollInterval = pollInterval
        self.staleAfter = staleAfter
        self.log = log
    }

    deinit {
        let fd = cursor.current.fd
        if fd >= 0 { close(fd) }
    }

    /// Reads new lines and stores their valid points.
    /// - Throws: ``FeedError`` `.storage` when the sink fails (the lines are then lost only if
    ///   the store is never fixed: they are not re-read).
    public func poll(now: Double) throws -> PollReport {
        var report = PollReport()
        cursor.withLock { c in
            if !c.started {
                c.started = true
                openCurrent(&c, report: &report, atEnd: !fromStart)
            }
            if c.fd < 0 { openCurrent(&c, report: &report, atEnd: false) }
            guard c.fd >= 0 else { return }
            var st = stat()
            if fstat(c.fd, &st) == 0, Int64(st.st_size) < c.offset {
                log?.write(feed: name, level: "warn", "file truncated; reading from its start")
                c.offset = 0
                c.lines = LineReader()
                c.parser = Self.parser(path, c.parser.bounds)
            }
            c.parser.bounds = bounds(now)
            drain(&c, report: &report)
            var pathStat = stat()
            let exists = stat(path, &pathStat) == 0
            if !exists || UInt64(pathStat.st_ino) != c.inode {
                // Rotated or removed: the old file has been read to its end above.
                flushPending(&c, report: &report)
                close(c.fd)
                c.fd = -1
                if exists {
                    log?.write(feed: name, "file rotated; following the new file")
                    openCurrent(&c, report: &report, atEnd: false)
                    drain(&c, report: &report)
                }
            }
        }
        for reason in report.rejected { log?.write(feed: name, level: "warn", "rejected \(reason)") }
        if !report.points.isEmpty {
            do {
                try sink.store(report.points, source: "file")
            } catch {
                throw FeedError(.storage, "storing \(report.points.count) prices failed: \(error)", context: name)
            }
        }
        return report
    }

    private func openCurrent(_ c: inout Cursor, report: inout PollReport, atEnd: Bool) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            return
        }
        c.fd = fd
        c.inode = UInt64(st.st_ino)
        c.offset = atEnd ? Int64(st.st_size) : 0
        c.lines = LineReader()
        c.parser = Self.parser(path, c.parser.bounds)
    }

    /// The one price line parser, in its follower form: any valid symbol (the sink keeps known ones),
    /// no header needed, a header line may reorder the columns, CSV and JSONL lines may mix.
    private static func parser(_ path: String, _ bounds: TimeBounds) -> PriceLineParser {
        PriceLineParser(file: path, bounds: bounds, known: nil, requireHeader: false)
    }

    /// Reads from the cursor's offset to the end of file and parses complete lines (the line reader
    /// keeps a trailing partial line until its terminator arrives).
    private func drain(_ c: inout Cursor, report: inout PollReport) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(c.fd, $0.baseAddress, $0.count, off_t(c.offset)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            c.offset += Int64(n)
            buffer.withUnsafeBufferPointer { all in
                let chunk = UnsafeBufferPointer(rebasing: all[0..<n])
                do {
                    try c.lines.feed(chunk) { line, number in handle(&c.parser, line, number, &report) }
                } catch {
                    // Only an over-long line gets here: drop what was carried and go on.
                    report.rejected.append("\(path):\((error as? LineReader.LineTooLong)?.line ?? 0): line too long")
                    c.lines = LineReader()
                }
            }
        }
    }

    /// A last line without a newline in a file that was rotated away is still a line.
    private func flushPending(_ c: inout Cursor, report: inout PollReport) {
        try? c.lines.finish { line, number in handle(&c.parser, line, number, &report) }
        c.lines = LineReader()
    }

    private func handle(
        _ parser: inout PriceLineParser, _ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ report: inout PollReport
    ) {
        do {
            if let row = try parser.parse(line, number: number) { report.points.append(parser.point(row)) }
        } catch {
            report.rejected.append("\(error)")
        }
    }
}
