import Foundation

/// An asset's computed signal at its latest daily candle: indicators and composite rating.
public struct AssetSignal: Sendable, Hashable, Codable {
    /// Asset symbol (upper-case ticker).
    public var symbol: String
    /// Unix day number of the candle the signal was computed at.
    public var day: Int
    /// Close of that candle.
    public var close: Double
    /// Every indicator at that candle.
    public var indicators: IndicatorSnapshot
    /// The composite rating with its votes.
    public var rating: SignalRating

    /// A signal for `symbol` at `day`.
    public init(symbol: String, day: Int, close: Double, indicators: IndicatorSnapshot, rating: SignalRating) {
        self.symbol = symbol
        self.day = day
        self.close = close
        self.indicators = indicators
        self.rating = rating
    }
}

/// Computes signals and the regime from daily candles (pure; call it off the UI queue).
public enum SignalEngine {
    /// The signal at the last candle of `candles` (oldest first); nil when there are none.
    public static func evaluate(symbol: String, candles: [Candle], thresholds: SignalThresholds = .standard)
        -> AssetSignal?
    {
        guard let last = candles.last else { return nil }
        let snapshot = IndicatorSnapshot.latest(candles: candles)
        return AssetSignal(
            symbol: symbol, day: last.day, close: last.close, indicators: snapshot,
            rating: SignalRating.rate(snapshot, thresholds: thresholds))
    }

    /// The signal at every candle of `candles` (oldest first), for replays and backtests: element i is what
    /// ``evaluate(symbol:candles:thresholds:)`` answers on `candles[0...i]`.
    public static func history(symbol: String, candles: [Candle], thresholds: SignalThresholds = .standard)
        -> [AssetSignal]
    {
        let series = IndicatorSeries(candles: candles)
        return candles.indices.map { i in
            let snapshot = series.snapshot(at: i)
            return AssetSignal(
                symbol: symbol, day: candles[i].day, close: candles[i].close, indicators: snapshot,
                rating: SignalRating.rate(snapshot, thresholds: thresholds))
        }
    }

    /// Whether moving from `previous` to `current` risk is a regime change that triggers a `risk-off`
    /// rebalance of signal indices: any change of level, up or down; never on the first assessment.
    public static func isRiskOffTrigger(previous: RiskLevel?, current: RiskLevel) -> Bool {
        guard let previous else { return false }
        return previous != current
    }

    /// Signals of every symbol with candles, sorted by symbol.
    public static func evaluate(_ candles: [String: [Candle]], thresholds: SignalThresholds = .standard)
        -> [AssetSignal]
    {
        candles.keys.sorted().compactMap { evaluate(symbol: $0, candles: candles[$0]!, thresholds: thresholds) }
    }

    /// The regime from computed signals: breadth over `signals` whose symbol is not in `stablecoins`, BTC's
    /// trend from the signal whose symbol is `btcSymbol` (nil indicators when absent).
    public static func regime(
        _ signals: [AssetSignal], stablecoins: Set<String> = [], btcSymbol: String = "BTC"
    ) -> Regime {
        let universe = signals.filter { !stablecoins.contains($0.symbol) }
        let btc = signals.first { $0.symbol == btcSymbol }?.indicators
        return Regime.assess(labels: universe.map(\.rating.label), btc: btc)
    }
}
