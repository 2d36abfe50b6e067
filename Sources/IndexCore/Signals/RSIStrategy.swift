import Foundation

/// Target weights of the `rsi` methodology (DESIGN §4, as the TokenSets RSI strategies did): per asset a
/// two-state machine on RSI14. Out of the market (in the stablecoin) at first; it enters when RSI crosses
/// above `enter` (previous RSI ≤ enter < current RSI) and leaves when RSI falls below `exit`
/// (current < exit); between those events the state persists, so the whole RSI history is walked.
///
/// The first defined RSI bar has no previous value, so a series that starts above `enter` waits for the next
/// cross. An asset without RSI history stays in the stablecoin.
public enum RSIStrategy {
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

    /// The methodology's parameters (spec fields `enter`, `exit`, `stablecoin`).
    public struct Parameters: Sendable, Hashable {
        /// RSI level whose upward cross enters, in (0, 100) (default 60).
        public var enter: Double
        /// RSI level below which the position is left, in (0, enter] (default 40).
        public var exit: Double
        /// RSI period (default 14).
        public var period: Int
        /// Symbol of the stablecoin that receives the weight of assets not held (e.g. `USDC`).
        public var stablecoin: String

        /// Parameters; validated by ``targetWeights(_:parameters:)``.
        public init(enter: Double = 60, exit: Double = 40, period: Int = 14, stablecoin: String) {
            self.enter = enter
            self.exit = exit
            self.period = period
            self.stablecoin = stablecoin
        }
    }

    /// The state after each bar: true = holding the asset. Aligned with `closes`.
    public static func holdingStates(_ closes: [Double], enter: Double, exit: Double, period: Int = 14) -> [Bool] {
        var kernel = RSIKernel(period: max(period, 2))
        var holding = false
        var previous = Double.nan
        var states: [Bool] = []
        states.reserveCapacity(closes.count)
        for x in closes {
            let rsi = kernel.next(x)
            if !rsi.isNaN {
                if !holding, !previous.isNaN, previous <= enter, rsi > enter {
                    holding = true
                } else if holding, rsi < exit {
                    holding = false
                }
            }
            previous = rsi
            states.append(holding)
        }
        return states
    }

    /// Target weights (fractions summing to 1, zero weights omitted): each holding asset keeps its base
    /// weight, the others' weight goes to the stablecoin (which is skipped if listed among the assets).
    /// - Throws: ``StrategyError`` when enter/exit are outside (0, 100), exit > enter, period < 2, the
    ///   stablecoin is empty, or the base weights are inconsistent.
    public static func targetWeights(_ assets: [Asset], parameters p: Parameters) throws -> [String: Double] {
        func fail(_ field: String, _ message: String) -> StrategyError {
            StrategyError(methodology: "rsi", field: field, message: message)
        }
        guard p.enter > 0, p.enter < 100 else { throw fail("enter", "must be in (0, 100), got \(p.enter)") }
        guard p.exit > 0, p.exit <= p.enter else { throw fail("exit", "must be in (0, enter], got \(p.exit)") }
        guard p.period >= 2 else { throw fail("period", "must be at least 2") }
        guard !p.stablecoin.isEmpty else { throw fail("stablecoin", "is required") }
        let universe = assets.filter { $0.symbol != p.stablecoin }
        let base = try BaseWeights.resolve(universe.map { ($0.symbol, $0.baseWeight) }, methodology: "rsi")
        var weights: [String: Double] = [:]
        var parked = universe.isEmpty ? 1.0 : 0.0
        for (asset, w) in zip(universe, base) where w > 0 {
            let holding = holdingStates(asset.closes, enter: p.enter, exit: p.exit, period: p.period).last ?? false
            if holding { weights[asset.symbol, default: 0] += w } else { parked += w }
        }
        if parked > 0 { weights[p.stablecoin, default: 0] += parked }
        return weights
    }
}
