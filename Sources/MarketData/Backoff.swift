import Foundation

/// How long to wait before retrying a failed poll: `Retry-After` when the server gave one,
/// else capped exponential backoff with jitter.
public struct Backoff: Sendable, Equatable {
    /// First delay, seconds.
    public var base: Double
    /// Longest delay, seconds.
    public var maximum: Double
    /// Fraction of the delay that is random: the delay is `d × (1 − jitter + jitter × r)` for
    /// r uniform in [0, 1), so 0.5 waits between half and all of `d`.
    public var jitter: Double

    public init(base: Double = 2, maximum: Double = 300, jitter: Double = 0.5) {
        self.base = base
        self.maximum = maximum
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before retry number `attempt` (1 for the first retry), seconds.
    /// - Parameters:
    ///   - attempt: consecutive failures so far (≥ 1).
    ///   - retryAfter: the server's `Retry-After`, seconds: waited exactly on the first retry,
    ///     and never undercut later (it is capped at one hour).
    ///   - random: a uniform number in [0, 1) (injected so tests are deterministic).
    public func delay(attempt: Int, retryAfter: Double?, random: Double) -> Double {
        let honoured = retryAfter.map { min(max($0, 0), 3600) }
        if attempt <= 1, let honoured { return honoured }
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let capped = min(maximum, base * pow(2, exponent))
        let jittered = capped * (1 - jitter + jitter * min(max(random, 0), 1))
        return max(jittered, honoured ?? 0)
    }

    /// Parses a `Retry-After` header: delta seconds, or an HTTP date (relative to `now`, Unix s).
    public static func parseRetryAfter(_ value: String, now: Double) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince1970 - now)
    }
}
