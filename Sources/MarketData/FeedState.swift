import Foundation

/// What a feed is doing, for the dashboard header.
public enum FeedState: Sendable, Equatable {
    /// Not started, or stopped.
    case idle
    /// Polling normally and prices are fresh.
    case live
    /// Waiting before a retry; `until` is Unix seconds.
    case backingOff(until: Double, reason: String)
    /// Running, but the last price is older than the feed's stale threshold.
    case stale
    /// Stopped on an error that retrying cannot fix (key rejected, bad configuration).
    case error(String)

    /// A short label: `live`, `backoff 12s: HTTP 429`, `STALE`, `error: ...`, `idle`.
    public func label(now: Double) -> String {
        switch self {
        case .idle: "idle"
        case .live: "live"
        case .backingOff(let until, let reason): "backoff \(max(0, Int((until - now).rounded(.up))))s: \(reason)"
        case .stale: "STALE"
        case .error(let message): "error: \(message)"
        }
    }
}

/// A snapshot of a running feed for the UI, safe to read from any thread.
public struct FeedStatus: Sendable, Equatable {
    /// Feed name: `sim`, `coingecko`, `tokenmetrics`, `file:PATH`, `none`.
    public var name: String
    public var state: FeedState
    /// Time stamp of the newest stored price, Unix seconds; nil before the first.
    public var lastPriceTime: Int64?
    /// When the last poll finished, Unix seconds.
    public var lastPollTime: Double?
    /// Points (or signals) stored since start.
    public var storedTotal: Int
    /// Items rejected since start (each logged with its reason).
    public var rejectedTotal: Int
    /// Consecutive failed polls.
    public var failures: Int

    public init(name: String) {
        self.name = name
        state = .idle
        lastPriceTime = nil
        lastPollTime = nil
        storedTotal = 0
        rejectedTotal = 0
        failures = 0
    }

    /// Age of the last price in seconds at `now`, nil before the first price.
    public func age(now: Double) -> Double? {
        lastPriceTime.map { max(0, now - Double($0)) }
    }
}
