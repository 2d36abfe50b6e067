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
        var pending: [UInt8] = []
        var lineNumber = 0
        var parser = PriceLineParser()
        var started = false
    }
    private let cursor = Locked(Cursor())

    /// Creates the follower.
    /// - Parameters:
    ///   - path: the file to follow.
    ///   - sink: where the points go (one batch per poll).
    ///   - fromStart: read the existing content first (default), or only what is appended.
    ///   - pollInterval: seconds between checks of the file (default 0.5).
    ///   - staleAfter: seconds without a new price before the feed counts as stale (default 180).
    public init(
        path: String, sink: any PriceSink, fromStart: Bool = true, pollInterval: Double = 0.5,
        staleAfter: Double = 180, log: FeedLog? = nil
    ) {
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
                c.pending = []
                c.lineNumber = 0
                c.parser = PriceLineParser()
            }
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
        c.pending = []
        c.lineNumber = 0
        c.parser = PriceLineParser()
    }

    /// Reads from the cursor's offset to the end of file and parses complete lines.
    private func drain(_ c: inout Cursor, report: inout PollReport) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(c.fd, $0.baseAddress, $0.count, off_t(c.offset)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            c.offset += Int64(n)
            var start = 0
            for i in 0..<n where buffer[i] == 0x0A {
                c.pending.append(contentsOf: buffer[start..<i])
                handleLine(&c, report: &report)
                start = i + 1
            }
            c.pending.append(contentsOf: buffer[start..<n])
        }
    }

    /// A last line without a newline in a file that was rotated away is still a line.
    private func flushPending(_ c: inout Cursor, report: inout PollReport) {
        if !c.pending.isEmpty { handleLine(&c, report: &report) }
    }

    private func handleLine(_ c: inout Cursor, report: inout PollReport) {
        c.lineNumber += 1
        let text = String(decoding: c.pending, as: UTF8.self)
        c.pending.removeAll(keepingCapacity: true)
        switch c.parser.parse(Substring(text)) {
        case .point(let p): report.points.append(p)
        case .skipped: break
        case .rejected(let reason): report.rejected.append("line \(c.lineNumber): \(reason)")
        }
    }
}
