import Foundation

/// One asset of the market simulator: the asset itself and the parameters of its price process.
public struct SimAsset: Sendable, Hashable {
    /// The asset (symbol, sector, stablecoin flag, CoinGecko id).
    public var asset: Asset
    /// Price at which a fresh simulator starts, USD (> 0). `dailyHistory` ends on it.
    public var startPrice: Double
    /// Circulating supply in tokens (> 0): market cap = price × supply.
    public var circulatingSupply: Double
    /// Annualised volatility of daily log returns (0.55 = 55 %), over 365 days.
    public var annualVolatility: Double
    /// Loading on the common market factor in [0, 1]: the correlation of the asset's returns
    /// with the market factor (two assets correlate by about the product of their betas).
    public var beta: Double
    /// Loading on the asset's sector factor in [0, 1]; `beta² + sectorLoading² ≤ 1`.
    public var sectorLoading: Double
    /// Typical 24h trading volume, USD, at `startPrice` in a calm market.
    public var baseDailyVolume: Double

    /// Creates the parameters; loadings are clamped so that `beta² + sectorLoading² ≤ 1`.
    public init(
        asset: Asset, startPrice: Double, circulatingSupply: Double, annualVolatility: Double,
        beta: Double, sectorLoading: Double = 0.3, baseDailyVolume: Double
    ) {
        self.asset = asset
        self.startPrice = startPrice
        self.circulatingSupply = circulatingSupply
        self.annualVolatility = annualVolatility
        let b = min(max(beta, 0), 1)
        self.beta = b
        self.sectorLoading = min(max(sectorLoading, 0), (1 - b * b).squareRoot())
        self.baseDailyVolume = baseDailyVolume
    }

    /// Market cap at the start price, USD.
    public var startMarketCap: Double { startPrice * circulatingSupply }
}

/// The simulator's market phase, a Markov chain: each phase has its own drift and volatility.
public enum SimRegime: String, Sendable, CaseIterable, Codable {
    case bull, bear, sideways

    /// Annual log drift of an asset with `beta` 1 and 70 % volatility in this phase.
    public var annualDrift: Double {
        switch self {
        case .bull: 1.0
        case .bear: -0.9
        case .sideways: 0.0
        }
    }

    /// Mean duration of the phase, days.
    public var meanDurationDays: Double {
        switch self {
        case .bull: 90
        case .bear: 60
        case .sideways: 45
        }
    }

    /// Relative volatility of the phase before normalisation (bear markets are more volatile).
    var rawVolatilityMultiplier: Double {
        switch self {
        case .bull: 1.0
        case .bear: 1.25
        case .sideways: 0.75
        }
    }

    /// Volatility multiplier, normalised so that its mean square over the chain's stationary
    /// distribution is 1: long paths then show each asset's `annualVolatility`.
    public var volatilityMultiplier: Double {
        rawVolatilityMultiplier / SimRegime.multiplierNorm
    }

    /// Leaving a phase, the chain moves to either other phase with equal probability, so the
    /// stationary probability of a phase is proportional to its mean duration.
    static let multiplierNorm: Double = {
        let total = allCases.reduce(0) { $0 + $1.meanDurationDays }
        let meanSquare = allCases.reduce(0) {
            $0 + $1.meanDurationDays / total * $1.rawVolatilityMultiplier * $1.rawVolatilityMultiplier
        }
        return meanSquare.squareRoot()
    }()
}
