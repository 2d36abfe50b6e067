import Foundation
import IndexCore

/// Where feeds write prices. The store implements it with one batched transaction per call.
public protocol PriceSink: Sendable {
    /// Stores a batch of validated points (prices finite and > 0).
    /// - Parameters:
    ///   - points: the batch, possibly for many assets and times.
    ///   - source: the feed name (`sim`, `coingecko`, `file`).
    /// - Throws: whatever the store throws; the feed reports it and retries on its next poll.
    func store(_ points: [PricePoint], source: String) throws
}

/// Where the signal feed writes imported signals (DESIGN §5: an imported signal takes
/// precedence for its asset and day).
public protocol SignalSink: Sendable {
    /// Stores a batch of imported signals.
    func store(_ signals: [ExternalSignal]) throws
    /// The newest stored label (−1, 0, 1) of each symbol from `source`, carried forward by a feed
    /// whose items may say "no new signal".
    func lastImportedLabels(source: String) -> [String: Int]
}

extension SignalSink {
    /// None known (sinks that keep no history).
    public func lastImportedLabels(source: String) -> [String: Int] { [:] }
}

/// A signal imported from outside (Token Metrics, a file).
public struct ExternalSignal: Sendable, Hashable, Codable {
    /// Upper-case ticker.
    public var symbol: String
    /// Unix seconds, UTC (Token Metrics gives a day: 00:00 UTC of it).
    public var time: Int64
    /// −1 bearish, 0 neutral, +1 bullish.
    public var label: Int
    /// Optional strength in [−1, 1] (Token Metrics: (trader grade − 50) / 50).
    public var score: Double?
    /// Who produced it (`tokenmetrics`, `file`).
    public var source: String

    /// Creates a signal; `label` is clamped to −1...1 and `score` to [−1, 1].
    public init(symbol: String, time: Int64, label: Int, score: Double? = nil, source: String) {
        self.symbol = symbol
        self.time = time
        self.label = min(max(label, -1), 1)
        self.score = score.map { min(max($0, -1), 1) }
        self.source = source
    }
}
