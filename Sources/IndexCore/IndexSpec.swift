import Foundation

/// Which assets an index may hold.
public enum Universe: Sendable, Equatable {
    /// An explicit list of symbols.
    case symbols([String])
    /// The N largest assets by market cap.
    case top(Int)
    /// Every asset of a sector.
    case sector(String)
}

/// How often a scheduled rebalance happens.
public enum Schedule: String, Sendable, CaseIterable {
    case none, daily, weekly, monthly, quarterly
}

/// The methodology section of a spec (DESIGN §4).
public struct Methodology: Sendable, Equatable {
    /// Methodology types known to indextop.
    public enum Kind: String, Sendable, CaseIterable {
        case marketCap = "market-cap"
        case sqrtMarketCap = "sqrt-market-cap"
        case equal
        case fixed
        case signal
        case trend
        case rsi
    }
    public var kind: Kind
    /// Take the N largest constituents (by market cap) of the universe.
    public var top: Int?
    /// Maximum weight of one constituent, a fraction in (0, 1].
    public var cap: Double?
    /// Fixed weights (type `fixed`), fractions summing to 1.
    public var weights: [String: Double]?
    /// Minimum 24h volume (USD) to be eligible.
    public var minVolume: Double
    /// Minimum market cap (USD) to be eligible; an unknown market cap is not eligible when > 0.
    public var minMarketCap: Double
    /// Maximum weight of a whole sector (sector name → fraction), its excess redistributed like a cap's.
    public var sectorCaps: [String: Double]?
    /// `signal`: also hold neutral tokens.
    public var includeNeutral: Bool
    /// `signal`, `trend`, `rsi`: where risk-off weight goes.
    public var stablecoin: String
    /// `signal`: share moved to the stablecoin at medium and high risk.
    public var riskOffMedium: Double
    public var riskOffHigh: Double
    /// `signal`: consecutive daily closes a regime change must hold before it takes effect (≥ 1).
    public var confirmDays: Int
    /// `trend`: SMA length in days.
    public var sma: Int
    /// `rsi`: enter above, exit below.
    public var enter: Double
    public var exit: Double
    /// Composite thresholds: bullish above, bearish below.
    public var bullishAbove: Double
    public var bearishBelow: Double

    public init(kind: Kind) {
        self.kind = kind
        self.top = nil
        self.cap = nil
        self.weights = nil
        self.minVolume = 0
        self.minMarketCap = 0
        self.sectorCaps = nil
        self.includeNeutral = false
        self.stablecoin = "USDC"
        self.riskOffMedium = 0.3
        self.riskOffHigh = 0.6
        self.confirmDays = 3
        self.sma = 50
        self.enter = 60
        self.exit = 40
        self.bullishAbove = 0.1
        self.bearishBelow = -0.1
    }

    /// True for the methodologies that hold a stablecoin when risk is high.
    public var usesStablecoin: Bool { kind == .signal || kind == .trend || kind == .rsi }
}

/// When an index rebalances.
public struct RebalanceRule: Sendable, Equatable {
    public var schedule: Schedule
    /// ISO weekday for `weekly`: 1 = Monday … 7 = Sunday.
    public var weekday: Int
    /// Hour of the day, UTC (0–23).
    public var hourUTC: Int
    /// Absolute drift band (0.05 = 5 points), nil = off.
    public var driftBand: Double?
    /// Relative drift band (|w − t| / t), nil = off.
    public var driftBandRelative: Double?

    public init(
        schedule: Schedule = .monthly, weekday: Int = 1, hourUTC: Int = 0, driftBand: Double? = nil,
        driftBandRelative: Double? = nil
    ) {
        self.schedule = schedule
        self.weekday = weekday
        self.hourUTC = hourUTC
        self.driftBand = driftBand
        self.driftBandRelative = driftBandRelative
    }
}

/// A recurring deposit.
public struct DCAPlan: Sendable, Equatable {
    public var amount: Double
    public var schedule: Schedule
}

/// A complete index specification (DESIGN §4, a contract).
public struct IndexSpec: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var base: String
    public var initialCapital: Double
    public var universe: Universe
    /// Rank buffer of a `top` universe: a constituent stays while its rank is ≤ N + buffer; an outsider
    /// enters only at rank ≤ N − buffer, or when a place is free (0 = off).
    public var rankBuffer: Int = 0
    public var excludeStablecoins: Bool
    public var methodology: Methodology
    public var rebalance: RebalanceRule
    public var feesBps: Double
    public var slippageBps: Double
    public var minTrade: Double
    public var dca: DCAPlan?

    public init(
        slug: String, name: String, base: String = "USD", initialCapital: Double, universe: Universe,
        excludeStablecoins: Bool = true, methodology: Methodology, rebalance: RebalanceRule = RebalanceRule(),
        feesBps: Double = 10, slippageBps: Double = 5, minTrade: Double = 10, dca: DCAPlan? = nil
    ) {
        self.slug = slug
        self.name = name
        self.base = base
        self.initialCapital = initialCapital
        self.universe = universe
        self.excludeStablecoins = excludeStablecoins
        self.methodology = methodology
        self.rebalance = rebalance
        self.feesBps = feesBps
        self.slippageBps = slippageBps
        self.minTrade = minTrade
        self.dca = dca
    }

    /// Fee as a fraction of notional.
    public var feeRate: Double { feesBps / 10_000 }
    /// Slippage as a fraction of notional.
    public var slippageRate: Double { slippageBps / 10_000 }

    /// One-line summary: type, cap, universe, schedule, costs.
    public var summary: String {
        var parts: [String] = [methodology.kind.rawValue]
        if let top = methodology.top { parts.append("top \(top)") }
        if let cap = methodology.cap { parts.append("cap \(Self.pct(cap))") }
        switch universe {
        case .symbols(let s): parts.append("universe \(s.count) tokens")
        case .top(let n): parts.append(rankBuffer > 0 ? "universe top \(n) ±\(rankBuffer)" : "universe top \(n)")
        case .sector(let s): parts.append("universe \(s)")
        }
        if methodology.minMarketCap > 0 { parts.append("min cap \(Self.num(methodology.minMarketCap))") }
        for (sector, cap) in (methodology.sectorCaps ?? [:]).sorted(by: { $0.key < $1.key }) {
            parts.append("\(sector) ≤ \(Self.pct(cap))")
        }
        if methodology.kind == .signal { parts.append("regime confirmed \(methodology.confirmDays)d") }
        parts.append(rebalance.schedule.rawValue)
        if let band = rebalance.driftBand { parts.append("drift ±\(Self.pct(band))") }
        parts.append("fees \(Self.num(feesBps))bp + slip \(Self.num(slippageBps))bp")
        return parts.joined(separator: " · ")
    }

    static func pct(_ v: Double) -> String {
        let p = v * 100
        return p == p.rounded() ? "\(Int(p))%" : String(format: "%.1f%%", p)
    }

    static func num(_ v: Double) -> String { v == v.rounded() ? "\(Int(v))" : String(format: "%g", v) }
}
