import Foundation
import IndexCore

/// The feed log: one line per event at `$XDG_STATE_HOME/indextop/feed.log`, rotated when it
/// grows past `maxBytes` (one old file, `feed.log.1`, is kept).
///
/// Never give it a key: callers log host, path, status and reasons only. As a second guard,
/// ``FeedLog/redacting(_:)`` masks values of key-bearing headers in any text.
public final class FeedLog: Sendable {
    /// The log file.
    public let url: URL
    /// Size at which the file is rotated, bytes.
    public let maxBytes: Int
    private let lock = Locked(())
    private let clock: @Sendable () -> Double

    /// Opens (creating its folder) the log at `url`.
    /// - Parameters:
    ///   - url: the file; see ``defaultURL(environment:)``.
    ///   - maxBytes: rotation threshold (default 1 MB).
    ///   - clock: Unix seconds, for the line stamps.
    public init(
        url: URL, maxBytes: Int = 1_000_000,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.url = url
        self.maxBytes = maxBytes
        self.clock = clock
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
    }

    /// `$XDG_STATE_HOME/indextop/feed.log`, else `~/.local/state/indextop/feed.log`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        URL(fileURLWithPath: AppPaths(environment: environment, fallbackHome: NSHomeDirectory()).feedLog)
    }

    /// Appends one line `TIME FEED LEVEL message`; failures to write are ignored (a log
    /// problem must never stop a feed).
    public func write(feed: String, level: String = "info", _ message: String) {
        let line = "\(ISOTime.format(Int64(clock()))) \(feed) \(level) \(Self.redacting(message))\n"
        lock.withLock { _ in
            let fm = FileManager.default
            let attributes = try? fm.attributesOfItem(atPath: url.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            if size + line.utf8.count > maxBytes, size > 0 {
                let old = url.appendingPathExtension("1")
                try? fm.removeItem(at: old)
                try? fm.moveItem(at: url, to: old)
            }
            if !fm.fileExists(atPath: url.path) {
                _ = fm.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            guard let handle = try? FileHandle(forWritingTo: url) else { return }
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: Data(line.utf8))
        }
    }

    /// Header names whose values are secrets.
    static let secretHeaders = ["x-cg-demo-api-key", "x-cg-pro-api-key", "x-api-key", "authorization"]

    /// Masks the value after any key-bearing header name (`x-api-key: abc` → `x-api-key: [redacted]`).
    public static func redacting(_ text: String) -> String {
        let lower = text.lowercased()
        guard secretHeaders.contains(where: { lower.contains($0) }) else { return text }
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = line.lowercased()
            if let name = secretHeaders.first(where: { l.contains($0) }),
                let range = l.range(of: name)
            {
                let offset = l.distance(from: l.startIndex, to: range.upperBound)
                out += line.prefix(offset) + ": [redacted]"
            } else {
                out += line
            }
            out += "\n"
        }
        out.removeLast()
        return out
    }
}
