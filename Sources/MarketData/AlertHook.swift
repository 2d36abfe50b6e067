import Foundation
import IndexCore
import PortfolioStore

/// Runs the config's `alert_command` once per new alert (DESIGN §10): the alert's JSON on stdin,
/// `INDEXTOP_ALERT_KIND`, `_INDEX`, `_ASSET`, `_MESSAGE` and `_ID` in the environment.
///
/// - The command line is split into words here (quotes and backslashes as a shell would) and run
///   directly, never through a shell, so alert text is never interpreted.
/// - The environment it gets is this process's without secrets (``scrubbedEnvironment(_:)``).
/// - It is killed after `timeout` seconds (its whole process group), its output discarded, and its
///   failures written to the feed log; nothing it does can stop the caller.
/// - At most one run per alert (the `hook_run` column), and at most one run per `minInterval`
///   seconds across processes (the `alert_hook_last_run` setting); an alert that waits keeps its
///   turn while it is still new (not acknowledged, not cleared) and less than a day old.
public final class AlertHook: @unchecked Sendable {
    /// The program and its arguments.
    public let argv: [String]
    /// Seconds between two runs (config `alert_min_interval`, default 60).
    public let minInterval: Double
    /// Seconds before the command is killed.
    public let timeout: Double
    private let log: FeedLog?
    private let environment: [String: String]
    private let queue = DispatchQueue(label: "indextop.alert-hook", qos: .utility)
    private let group = DispatchGroup()

    /// - Throws: ``FeedError`` `.configuration` when the command is empty or its quotes do not close.
    public init(
        command: String, minInterval: Double = 60, timeout: Double = 10, log: FeedLog? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        argv = try Self.split(command)
        guard !argv.isEmpty else { throw FeedError(.configuration, "alert_command is empty", context: "alerts") }
        self.minInterval = max(0, minInterval)
        self.timeout = timeout
        self.log = log
        self.environment = Self.scrubbedEnvironment(environment)
    }

    /// Picks the alerts whose turn it is, records them as run (in the caller's connection, so call it
    /// on the writer) and starts the command for each on the hook's own queue. Returns the ids started.
    @discardableResult
    public func dispatchPending(store: PortfolioStore, now: Int64) -> [Int64] {
        do {
            let due = try store.claimAlertsForHook(now: now, minInterval: minInterval)
            for a in due {
                group.enter()
                queue.async {
                    self.run(a)
                    self.group.leave()
                }
            }
            return due.map(\.id)
        } catch {
            log?.write(feed: "alert_command", level: "error", "not run: \(error)")
            return []
        }
    }

    /// Waits until every started run has finished (commands call it before exiting).
    public func wait() { group.wait() }

    private func run(_ alert: AlertRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = ((try? encoder.encode(alert.json)) ?? Data()) + Data("\n".utf8)
        var env = environment
        env["INDEXTOP_ALERT_ID"] = String(alert.id)
        env["INDEXTOP_ALERT_KIND"] = alert.key.kind.rawValue
        env["INDEXTOP_ALERT_INDEX"] = alert.key.index
        env["INDEXTOP_ALERT_ASSET"] = alert.key.asset
        env["INDEXTOP_ALERT_MESSAGE"] = alert.message
        switch ChildProcess.run(argv, stdin: json, environment: env, timeout: timeout) {
        case .exited(0): break
        case .exited(let code):
            log?.write(feed: "alert_command", level: "warn", "alert \(alert.id): \(argv[0]) exited with status \(code)")
        case .signalled(let sig):
            log?.write(feed: "alert_command", level: "warn", "alert \(alert.id): \(argv[0]) killed by signal \(sig)")
        case .timedOut:
            log?.write(
                feed: "alert_command", level: "warn",
                "alert \(alert.id): \(argv[0]) killed after \(String(format: "%g", timeout)) s (timeout)")
        case .failedToStart(let errno):
            log?.write(
                feed: "alert_command", level: "error",
                "alert \(alert.id): cannot run \(argv[0]): \(String(cString: strerror(errno)))")
        }
    }

    /// Words of a command line: whitespace separates, `'…'` is literal, `"…"` and `\` escape as in a
    /// shell. No variables, globs or other expansion.
    /// - Throws: ``FeedError`` `.configuration` on an unclosed quote.
    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for ch in line {
            if escaped {
                word.append(ch)
                escaped = false
            } else if ch == "\\" && quote != "'" {
                escaped = true
                inWord = true
            } else if let q = quote {
                if ch == q { quote = nil } else { word.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else if ch.isWhitespace {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(ch)
                inWord = true
            }
        }
        if quote != nil || escaped {
            throw FeedError(.configuration, "alert_command: unclosed quote or trailing backslash", context: "alerts")
        }
        if inWord { words.append(word) }
        return words
    }

    /// `environment` without anything that may be a secret: every `INDEXTOP_*` variable, and any
    /// whose name contains KEY, SECRET, TOKEN, PASS, AUTH, CREDENTIAL, COOKIE or SESSION_ID.
    public static func scrubbedEnvironment(_ environment: [String: String]) -> [String: String] {
        let words = ["KEY", "SECRET", "TOKEN", "PASS", "AUTH", "CREDENTIAL", "COOKIE", "SESSION_ID"]
        return environment.filter { name, _ in
            let upper = name.uppercased()
            return !upper.hasPrefix("INDEXTOP_") && !words.contains { upper.contains($0) }
        }
    }
}
