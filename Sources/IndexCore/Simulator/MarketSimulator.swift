import Foundation

/// A seeded market simulator: correlated log returns with regime switching, for the demo feed
/// and the demo history.
///
/// Each asset's log return over `dt` days is
/// `drift·dt + σ·m·√(dt/365)·(β·z_market + s·z_sector + √(1−β²−s²)·z_own)` where σ is the
/// asset's annual volatility, `m` the phase's volatility multiplier and the `z` independent
/// standard normals, so two assets correlate by `β_a·β_b` (plus `s_a·s_b` within a sector).
/// The phase (bull, bear, sideways) is a Markov chain. Stablecoins follow a mean-reverting
/// deviation around 1.0, clamped to ±0.5 %. The 24h volume rises with recent absolute
/// returns and scales with the price. Pure: no clock, no system randomness.
public struct MarketSimulator: Sendable {
    private struct State: Sendable {
        var param: SimAsset
        var sectorIndex: Int
        var ownLoading: Double
        var price: Double
        /// Stablecoins only: deviation of the price from 1.0.
        var peg: Double
        /// Exponentially weighted mean of |standardised return| over about a day (1 = normal).
        var activity: Double
    }

    private var rng: SeededGenerator
    private var states: [State]
    private let sectorCount: Int
    private var sectorShocks: [Double]
    /// The current market phase.
    public private(set) var regime: SimRegime

    /// Stablecoin peg: mean reversion speed per day and clamp.
    private static let pegReversionPerDay = 2.0
    private static let pegClamp = 0.005
    /// Mean |z| of a standard normal, √(2/π).
    private static let meanAbsNormal = (2.0 / Double.pi).squareRoot()

    /// Creates a simulator.
    /// - Parameters:
    ///   - seed: the seed; the same seed and inputs give the same path.
    ///   - assets: the assets and their parameters (order kept in every output).
    ///   - startingPrices: prices by symbol to start from instead of each `startPrice`
    ///     (e.g. the latest stored prices); non-positive or non-finite values are ignored.
    ///   - regime: the starting phase.
    public init(
        seed: UInt64, assets: [SimAsset], startingPrices: [String: Double] = [:], regime: SimRegime = .sideways
    ) {
        rng = SeededGenerator(seed: seed)
        self.regime = regime
        var sectors: [String: Int] = [:]
        for sector in assets.map(\.asset.sector).sorted() where sectors[sector] == nil {
            sectors[sector] = sectors.count
        }
        sectorCount = sectors.count
        sectorShocks = Array(repeating: 0, count: sectors.count)
        states = assets.map { param in
            let own = max(0, 1 - param.beta * param.beta - param.sectorLoading * param.sectorLoading).squareRoot()
            var price = param.startPrice
            if let given = startingPrices[param.asset.symbol], given.isFinite, given > 0 { price = given }
            let peg = param.asset.isStablecoin ? min(max(price - 1, -Self.pegClamp), Self.pegClamp) : 0
            if param.asset.isStablecoin { price = 1 + peg }
            return State(
                param: param, sectorIndex: sectors[param.asset.sector] ?? 0, ownLoading: own, price: price,
                peg: peg, activity: 1)
        }
    }

    /// Current prices by symbol, USD.
    public var prices: [String: Double] {
        Dictionary(states.map { ($0.param.asset.symbol, $0.price) }, uniquingKeysWith: { a, _ in a })
    }

    /// Advances the market by `dt` days and returns one point per asset at `time`.
    /// - Parameters:
    ///   - dt: elapsed time in days (> 0; a 2 s tick is 2/86 400).
    ///   - time: Unix seconds stamped on the points.
    /// - Returns: one ``PricePoint`` per asset, in the order of the assets, with price,
    ///   market cap (price × supply) and 24h volume, all positive and finite.
    public mutating func step(dt: Double, time: Int64) -> [PricePoint] {
        advance(dt: dt)
        return states.map { state in
            PricePoint(
                symbol: state.param.asset.symbol, time: time, price: state.price,
                marketCap: state.price * state.param.circulatingSupply, volume: volume(of: state))
        }
    }

    /// Advances every asset by `dt` days without building points.
    private mutating func advance(dt: Double) {
        guard dt > 0, dt.isFinite else { return }
        switchRegime(dt: dt)
        let sqrtYears = (dt / 365).squareRoot()
        let multiplier = regime.volatilityMultiplier
        let zMarket = rng.nextNormal()
        for k in 0..<sectorCount { sectorShocks[k] = rng.nextNormal() }
        let activityWeight = 1 - exp(-dt)
        let pegDecay = exp(-Self.pegReversionPerDay * dt)
        for i in states.indices {
            let zOwn = rng.nextNormal()
            let p = states[i].param
            // The combined shock is again a standard normal because the loadings' squares sum to 1.
            let z =
                p.beta * zMarket + p.sectorLoading * sectorShocks[states[i].sectorIndex] + states[i].ownLoading * zOwn
            if p.asset.isStablecoin {
                let peg = states[i].peg * pegDecay + p.annualVolatility * (dt / 365).squareRoot() * z
                states[i].peg = min(max(peg, -Self.pegClamp), Self.pegClamp)
                states[i].price = 1 + states[i].peg
            } else {
                let drift = regime.annualDrift * p.beta * p.annualVolatility / 0.7
                let logReturn = drift * dt / 365 + p.annualVolatility * multiplier * sqrtYears * z
                states[i].price *= exp(logReturn)
            }
            states[i].activity += activityWeight * (abs(z) / Self.meanAbsNormal - states[i].activity)
        }
    }

    /// Moves the phase along the chain: leaves it with probability 1 − exp(−dt/duration), to
    /// either other phase with equal probability.
    private mutating func switchRegime(dt: Double) {
        let u = rng.nextUniform()
        let leave = 1 - exp(-dt / regime.meanDurationDays)
        guard u < leave else { return }
        let others = SimRegime.allCases.filter { $0 != regime }
        regime = u < leave / 2 ? others[0] : others[1]
    }

    private func volume(of state: State) -> Double {
        let p = state.param
        let level = p.asset.isStablecoin ? 1 : state.price / p.startPrice
        // Calm markets trade about 60 % of the base volume, a 3σ day about 2.6×.
        let activityFactor = 0.4 + 0.6 * state.activity
        return p.baseDailyVolume * level * activityFactor
    }

    /// A simulated daily history: one point per asset per UTC day at 00:00 (time = day × 86 400),
    /// for `days` days ending at `endDay`, rescaled so that the last day's price of each
    /// non-stablecoin asset equals its `startPrice` (a live simulator then continues smoothly).
    /// - Parameters:
    ///   - seed: the seed; the same inputs give the same history.
    ///   - assets: the assets and their parameters.
    ///   - days: number of days (≥ 0).
    ///   - endDay: the last day, in days since 1970-01-01 (Unix seconds / 86 400).
    /// - Returns: `days × assets.count` points ordered by day, then by asset order.
    public static func dailyHistory(seed: UInt64, assets: [SimAsset], days: Int, endingAt endDay: Int64)
        -> [PricePoint]
    {
        guard days > 0, !assets.isEmpty else { return [] }
        var sim = MarketSimulator(seed: seed, assets: assets)
        var raw: [PricePoint] = []
        raw.reserveCapacity(days * assets.count)
        let firstDay = endDay - Int64(days) + 1
        for d in 0..<days {
            raw.append(contentsOf: sim.step(dt: 1, time: (firstDay + Int64(d)) * 86_400))
        }
        let lastRow = raw.suffix(assets.count)
        let scales = zip(assets, lastRow).map { param, last in
            param.asset.isStablecoin ? 1 : param.startPrice / last.price
        }
        for i in raw.indices {
            let scale = scales[i % assets.count]
            raw[i].price *= scale
            raw[i].marketCap = raw[i].marketCap.map { $0 * scale }
            raw[i].volume = raw[i].volume.map { $0 * scale }
        }
        return raw
    }
}
