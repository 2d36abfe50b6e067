import Foundation
import IndexCore

/// Supplies the API key at request time (the app connects it to the vault, `read` scope).
/// The returned value is used for one request and never stored, logged or put in an error.
public typealias KeyProvider = @Sendable () throws -> String

/// A source of prices (or signals) polled by a ``FeedRunner`` on its own queue.
///
/// `poll` runs synchronously on the runner's background queue: it fetches, validates, writes
/// through its sink in one batch, and reports. Implementations are thread-safe.
public protocol Feed: AnyObject, Sendable {
    /// The feed's name for the header and the log: `sim`, `coingecko`, `tokenmetrics`, `file:PATH`.
    var name: String { get }
    /// Seconds between polls while healthy.
    var pollInterval: Double { get }
    /// Seconds after which the newest price counts as stale (DESIGN §8: three update intervals).
    var staleAfter: Double { get }
    /// Fetches once and stores what is valid.
    /// - Parameter now: Unix seconds (injected clock).
    /// - Returns: what was stored and what was rejected (with reasons).
    /// - Throws: ``FeedError``; its kind decides between retry, backoff and stop.
    func poll(now: Double) throws -> PollReport
}

/// What one poll did.
public struct PollReport: Sendable {
    /// The points stored, in the order stored.
    public var points: [PricePoint]
    /// The signals stored (signal feeds).
    public var signals: [ExternalSignal]
    /// One reason per rejected item (`bitcoin: price is not positive`, `line 12: bad time`).
    public var rejected: [String]
    /// HTTP requests made (0 for local feeds).
    public var requests: Int

    public init(
        points: [PricePoint] = [], signals: [ExternalSignal] = [], rejected: [String] = [], requests: Int = 0
    ) {
        self.points = points
        self.signals = signals
        self.rejected = rejected
        self.requests = requests
    }

    /// Number of items stored.
    public var stored: Int { points.count + signals.count }

    /// Newest time among the stored points or signals, Unix seconds.
    public var lastTime: Int64? {
        (points.map(\.time) + signals.map(\.time)).max()
    }
}

/// Which feed to run, as given by `--feed` or the config (DESIGN §12).
public enum FeedKind: Sendable, Equatable {
    case sim
    case coingecko
    case binance
    case tokenmetrics
    case file(path: String)
    case none

    /// Parses `sim`, `coingecko`, `binance`, `tokenmetrics`, `file:PATH` or `none`.
    /// - Throws: ``FeedError`` `.configuration` naming the bad value.
    public init(parsing text: String) throws {
        switch text {
        case "sim": self = .sim
        case "coingecko": self = .coingecko
        case "binance": self = .binance
        case "tokenmetrics": self = .tokenmetrics
        case "none": self = .none
        default:
            guard text.hasPrefix("file:"), text.count > 5 else {
                throw FeedError(
                    .configuration,
                    "unknown feed '\(text)' (expected sim, coingecko, binance, tokenmetrics, file:PATH, none)",
                    context: "--feed")
            }
            self = .file(path: String(text.dropFirst(5)))
        }
    }

    /// The feed's name as shown in the header.
    public var name: String {
        switch self {
        case .sim: "sim"
        case .coingecko: "coingecko"
        case .binance: "binance"
        case .tokenmetrics: "tokenmetrics"
        case .file(let path): "file:\(path)"
        case .none: "none"
        }
    }
}

extension Feed {
    /// One poll with retries, for `indextop fetch` and cron: rate limits, 5xx, network errors
    /// and timeouts are retried after ``Backoff`` delays; a rejected key or a bad body is not.
    /// - Parameters:
    ///   - maxAttempts: total attempts (≥ 1).
    ///   - backoff: the delay policy.
    ///   - now: Unix seconds.
    ///   - random: uniform in [0, 1), for the jitter.
    ///   - sleep: waits the given seconds (injected so tests need not wait).
    ///   - log: where retries are logged.
    /// - Throws: the last ``FeedError`` when every attempt failed.
    public func pollWithRetry(
        maxAttempts: Int = 4, backoff: Backoff = Backoff(),
        now: () -> Double = { Date().timeIntervalSince1970 },
        random: () -> Double = { Double.random(in: 0..<1) },
        sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) },
        log: FeedLog? = nil
    ) throws -> PollReport {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try poll(now: now())
            } catch let error as FeedError {
                guard error.isRetryable, attempt < maxAttempts else { throw error }
                var retryAfter: Double?
                if case .rateLimited(let seconds) = error.kind { retryAfter = seconds }
                let delay = backoff.delay(attempt: attempt, retryAfter: retryAfter, random: random())
                log?.write(
                    feed: name, level: "warn",
                    "attempt \(attempt) failed (\(error)); retrying in \(String(format: "%.2f", delay)) s")
                sleep(delay)
            }
        }
    }
}
