/// One constituent outside its index's drift band.
public struct DriftBreach: Sendable, Equatable {
    public var symbol: String
    /// Current weight, a fraction of NAV.
    public var weight: Double
    /// Target weight, a fraction.
    public var target: Double

    public init(symbol: String, weight: Double, target: Double) {
        self.symbol = symbol
        self.weight = weight
        self.target = target
    }

    /// weight − target.
    public var drift: Double { weight - target }
}

extension RebalanceRule {
    /// The constituents whose weight is beyond `drift_band` (absolute, |w − t| > band) or
    /// `drift_band_relative` (|w − t| / t > band, targets > 0 only), in the order given. The one
    /// home of the drift rule: the due check (a `drift` rebalance) and the `drift` alert both use it.
    /// - Parameter weights: `(symbol, weight, target)` per holding or target, fractions.
    public func driftBreaches(_ weights: [(symbol: String, weight: Double, target: Double)]) -> [DriftBreach] {
        guard driftBand != nil || driftBandRelative != nil else { return [] }
        var out: [DriftBreach] = []
        for w in weights {
            if ScheduleClock.drifted(weight: w.weight, target: w.target, rule: self) {
                out.append(DriftBreach(symbol: w.symbol, weight: w.weight, target: w.target))
            }
        }
        return out
    }
}
