import Foundation

/// Spaces requests so that at most `perMinute` start in any minute (one every 60 / perMinute
/// seconds), for a plan's rate limit (CoinGecko demo: 30 calls a minute).
public final class RateLimiter: Sendable {
    /// Requests a minute.
    public let perMinute: Double
    private let clock: @Sendable () -> Double
    private let sleep: @Sendable (Double) -> Void
    private let next = Locked<Double>(-Double.infinity)

    /// - Parameters:
    ///   - perMinute: the limit (> 0; `.infinity` never waits).
    ///   - clock: seconds (monotonic enough for spacing).
    ///   - sleep: waits the given seconds (injected so tests need not wait).
    public init(
        perMinute: Double, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    ) {
        self.perMinute = max(perMinute, 0.001)
        self.clock = clock
        self.sleep = sleep
    }

    /// Seconds between two request starts.
    public var spacing: Double { perMinute.isInfinite ? 0 : 60 / perMinute }

    /// Waits until the next request may start, and books that slot.
    public func acquire() {
        let now = clock()
        let start = next.withLock { slot -> Double in
            let start = max(now, slot)
            slot = start + spacing
            return start
        }
        if start > now { sleep(start - now) }
    }

    /// Pushes the next slot to at least `seconds` from now (after a `Retry-After`).
    public func delay(_ seconds: Double) {
        let until = clock() + seconds
        next.withLock { $0 = max($0, until) }
    }
}
