import Foundation

/// Target weights of the `trend` methodology (DESIGN §4): each asset keeps its base weight while its latest
/// close is strictly above its SMA(`sma` days), else that weight moves to the stablecoin.
///
/// An asset with fewer than `sma` closes has no SMA yet and is treated as out of trend (its weight waits in
/// the stablecoin): absent data is not a reason to buy.
public enum TrendStrategy {
    /// One asset of the universe with its daily closes.
    public struct Asset: Sendable, Hashable {
        /// Asset symbol (upper-case ticker).
        public var symbol: String
        /// Daily closes, oldest first, up to the rebalance day.
        public var closes: [Double]
        /// Base weight; nil for all assets means equal weights (given weights are normalised to sum 1).
        public var baseWeight: Double?

        /// An asset with its closes and optional base weight.
        public init(symbol: String, closes: [Double], baseWeight: Double? = nil) {
            self.symbol = symbol
            self.closes = closes
            self.baseWeight = baseWeight
        }
    }

    /// The methodology's parameters (spec fields `sma`, `stablecoin`).
    public struct Parameters: Sendable, Hashable {
        /// SMA length in daily bars, ≥ 1 (e.g. 50).
        public var sma: Int
        /// Symbol of the stablecoin that receives the weight of assets not held (e.g. `USDC`).
        public var stablecoin: String

        /// Parameters; validated by ``targetWeights(_:parameters:)``.
        public init(sma: Int = 50, stablecoin: String) {
            self.sma = sma
            self.stablecoin = stablecoin
        }
    }

    /// Whether the last close is strictly above SMA(`sma`) of `closes`; nil with fewer than `sma` closes.
    public static func isAboveTrend(_ closes: [Double], sma: Int) -> Bool? {
        guard sma >= 1, let last = closes.last, let average = Indicators.latestSMA(closes, period: sma) else {
            return nil
        }
        return last > average
    }

    /// Target weights (fractions summing to 1, zero weights omitted). The stablecoin, if listed among the
    /// assets, is skipped (it is where weight waits, not a trend asset).
    /// - Throws: ``StrategyError`` for `sma` < 1, an empty stablecoin, or inconsistent base weights.
    public static func targetWeights(_ assets: [Asset], parameters: Parameters) throws -> [String: Double] {
        guard parameters.sma >= 1 else {
            throw StrategyError(methodology: "trend", field: "sma", message: "must be at least 1")
        }
        guard !parameters.stablecoin.isEmpty else {
            throw StrategyError(methodology: "trend", field: "stablecoin", message: "is required")
        }
        let universe = assets.filter { $0.symbol != parameters.stablecoin }
        let base = try BaseWeights.resolve(universe.map { ($0.symbol, $0.baseWeight) }, methodology: "trend")
        var weights: [String: Double] = [:]
        var parked = 0.0
        for (asset, w) in zip(universe, base) where w > 0 {
            if isAboveTrend(asset.closes, sma: parameters.sma) == true {
                weights[asset.symbol, default: 0] += w
            } else {
                parked += w
            }
        }
        if universe.isEmpty { parked = 1 }
        if parked > 0 { weights[parameters.stablecoin, default: 0] += parked }
        return weights
    }
}
