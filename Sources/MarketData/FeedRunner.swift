import Foundation

/// Runs a ``Feed`` on its own serial queue (never the main one): polls every `pollInterval`,
/// backs off on rate limits and transient errors, stops for good on a rejected key or a
/// configuration error, and publishes a ``FeedStatus`` the UI can read at any time.
///
/// A feed failure never blocks or crashes the caller: all work happens on the runner's queue
/// and errors only change the status.
public final class FeedRunner: Sendable {
    /// The feed being run.
    public let feed: any Feed
    private let queue: DispatchQueue
    private let backoff: Backoff
    private let clock: @Sendable () -> Double
    private let random: @Sendable () -> Double
    private let log: FeedLog?
    private let onKeyRejected: @Sendable (_ feed: String, _ status: Int) -> Void
    private let onPoll: @Sendable (PollReport) -> Void
    private struct Inner {
        var status: FeedStatus
        var running = false
        var generation = 0
    }
    private let inner: Locked<Inner>

    /// Creates a runner (not started).
    /// - Parameters:
    ///   - feed: the feed.
    ///   - backoff: delays after failures.
    ///   - clock: Unix seconds (injected for tests).
    ///   - random: uniform in [0, 1), for the backoff jitter.
    ///   - log: the feed log.
    ///   - onKeyRejected: called once, on the runner's queue, when the provider answers 401/403;
    ///     the app marks the key rejected in the vault and audits it.
    ///   - onPoll: called on the runner's queue after each successful poll (e.g. to refresh NAVs).
    public init(
        feed: any Feed, backoff: Backoff = Backoff(),
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, log: FeedLog? = nil,
        onKeyRejected: @escaping @Sendable (_ feed: String, _ status: Int) -> Void = { _, _ in },
        onPoll: @escaping @Sendable (PollReport) -> Void = { _ in }
    ) {
        self.feed = feed
        queue = DispatchQueue(label: "indextop.feed.\(feed.name)", qos: .utility)
        self.backoff = backoff
        self.clock = clock
        self.random = random
        self.log = log
        self.onKeyRejected = onKeyRejected
        self.onPoll = onPoll
        inner = Locked(Inner(status: FeedStatus(name: feed.name)))
    }

    /// The feed's status now; `live` turns into `stale` when the newest price is older than
    /// the feed's `staleAfter`.
    public var status: FeedStatus {
        var status = inner.current.status
        if status.state == .live, let age = status.age(now: clock()), age > feed.staleAfter {
            status.state = .stale
        }
        return status
    }

    /// Whether the runner is polling (false once stopped or after a fatal error).
    public var isRunning: Bool { inner.current.running }

    /// Starts polling at once; does nothing when already running.
    public func start() {
        let generation: Int? = inner.withLock { s in
            guard !s.running else { return nil }
            s.running = true
            s.generation += 1
            return s.generation
        }
        guard let generation else { return }
        log?.write(feed: feed.name, "started")
        queue.async { self.tick(generation: generation) }
    }

    /// Stops polling; a poll in progress finishes but nothing new is scheduled. Idempotent.
    public func stop() {
        let wasRunning = inner.withLock { s in
            let was = s.running
            s.running = false
            s.generation += 1
            if case .error = s.status.state {} else { s.status.state = .idle }
            return was
        }
        if wasRunning { log?.write(feed: feed.name, "stopped") }
    }

    /// Blocks until the runner's queue has finished the work queued so far (for tests and shutdown).
    public func drain() { queue.sync {} }

    private func tick(generation: Int) {
        guard inner.current.running, inner.current.generation == generation else { return }
        let now = clock()
        let next: Double?
        do {
            let report = try feed.poll(now: now)
            next = succeeded(report, now: now)
            onPoll(report)
        } catch let error as FeedError {
            next = failed(error, now: now)
        } catch {
            next = failed(FeedError(.network, "\(error)", context: feed.name), now: now)
        }
        guard let next else { return }
        queue.asyncAfter(deadline: .now() + max(next, 0.001)) { self.tick(generation: generation) }
    }

    private func succeeded(_ report: PollReport, now: Double) -> Double? {
        inner.withLock { s in
            if s.running { s.status.state = .live }
            s.status.failures = 0
            s.status.lastPollTime = now
            s.status.storedTotal += report.stored
            s.status.rejectedTotal += report.rejected.count
            if let t = report.lastTime { s.status.lastPriceTime = max(s.status.lastPriceTime ?? t, t) }
            return s.running ? feed.pollInterval : nil
        }
    }

    private func failed(_ error: FeedError, now: Double) -> Double? {
        switch error.kind {
        case .keyRejected(let status):
            inner.withLock { s in
                s.running = false
                s.status.state = .error("API key rejected (HTTP \(status))")
                s.status.lastPollTime = now
            }
            log?.write(feed: feed.name, level: "error", "stopped: \(error)")
            onKeyRejected(feed.name, status)
            return nil
        case .configuration:
            inner.withLock { s in
                s.running = false
                s.status.state = .error(error.message)
                s.status.lastPollTime = now
            }
            log?.write(feed: feed.name, level: "error", "stopped: \(error)")
            return nil
        default:
            var retryAfter: Double?
            if case .rateLimited(let seconds) = error.kind { retryAfter = seconds }
            let r = random()
            return inner.withLock { s in
                s.status.failures += 1
                s.status.lastPollTime = now
                let delay = backoff.delay(attempt: s.status.failures, retryAfter: retryAfter, random: r)
                s.status.state = .backingOff(until: now + delay, reason: error.message)
                log?.write(
                    feed: feed.name, level: "warn",
                    "\(error); retry \(s.status.failures) in \(String(format: "%.2f", delay)) s")
                return s.running ? delay : nil
            }
        }
    }
}
