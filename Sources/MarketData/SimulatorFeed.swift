import Foundation
import IndexCore

/// The `sim` feed: drives a ``MarketSimulator``, one step per poll (default every 2 s), with
/// the simulated time step equal to the wall time elapsed since the previous poll.
public final class SimulatorFeed: Feed {
    public let name = "sim"
    public let pollInterval: Double
    public var staleAfter: Double { 3 * pollInterval }
    private let sink: any PriceSink
    private let log: FeedLog?
    private struct State {
        var simulator: MarketSimulator
        var lastPoll: Double?
    }
    private let state: Locked<State>

    /// Creates the feed.
    /// - Parameters:
    ///   - seed: the simulator's seed (from the config).
    ///   - assets: the assets to simulate (e.g. `DemoUniverse.simAssets`).
    ///   - startingPrices: latest stored prices by symbol to continue from (optional).
    ///   - interval: seconds between ticks (default 2).
    ///   - sink: where each tick's points are written (one batch per tick).
    public init(
        seed: UInt64, assets: [SimAsset], startingPrices: [String: Double] = [:], interval: Double = 2,
        sink: any PriceSink, log: FeedLog? = nil
    ) {
        pollInterval = max(interval, 0.01)
        self.sink = sink
        self.log = log
        state = Locked(State(simulator: MarketSimulator(seed: seed, assets: assets, startingPrices: startingPrices)))
    }

    /// The simulator's current phase.
    public var regime: SimRegime { state.current.simulator.regime }

    /// Steps the simulator by the elapsed time (the interval on the first poll, at most one day)
    /// and stores one point per asset stamped `now`.
    public func poll(now: Double) throws -> PollReport {
        let points = state.withLock { s -> [PricePoint] in
            let elapsed = s.lastPoll.map { now - $0 } ?? pollInterval
            s.lastPoll = now
            let dt = min(max(elapsed, 0), 86_400) / 86_400
            return s.simulator.step(dt: dt, time: Int64(now.rounded(.down)))
        }
        do {
            try sink.store(points, source: name)
        } catch {
            throw FeedError(.storage, "storing \(points.count) prices failed: \(error)", context: name)
        }
        return PollReport(points: points)
    }
}
