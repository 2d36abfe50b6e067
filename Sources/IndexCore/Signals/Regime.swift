import Foundation

/// Market risk level of the regime.
public enum RiskLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low
    case medium
    case high

    private var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        }
    }

    /// Orders low < medium < high.
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }
}

/// The market regime of DESIGN §5, from breadth (share of bearish tokens) and BTC's trend.
///
/// `high` when more than 60 % of the universe is bearish, or BTC closes below its SMA200 while its SMA50 is
/// falling (SMA50 today below SMA50 yesterday); else `medium` when more than 40 % is bearish or BTC closes
/// below its SMA50; else `low`. A BTC condition whose inputs are missing (too little history, no BTC) does
/// not fire.
public struct Regime: Sendable, Hashable, Codable {
    /// The risk level.
    public var risk: RiskLevel
    /// Fraction of the universe labelled bearish, in [0, 1] (0 for an empty universe).
    public var breadth: Double
    /// BTC's trend for people, e.g. "below SMA50, above SMA200, SMA50 falling", or "unknown".
    public var btcTrend: String
    /// Number of bearish assets in the universe.
    public var bearishCount: Int
    /// Number of assets in the universe (stablecoins left out by the caller).
    public var assetCount: Int

    /// A regime with given fields (for storage round trips).
    public init(risk: RiskLevel, breadth: Double, btcTrend: String, bearishCount: Int, assetCount: Int) {
        self.risk = risk
        self.breadth = breadth
        self.btcTrend = btcTrend
        self.bearishCount = bearishCount
        self.assetCount = assetCount
    }

    /// Assesses the regime.
    /// - Parameters:
    ///   - labels: one label per asset of the universe; the caller leaves stablecoins out.
    ///   - btc: BTC's indicators at the same day (close, SMA50, SMA200, previous SMA50), or nil without BTC.
    public static func assess(labels: [SignalLabel], btc: IndicatorSnapshot?) -> Regime {
        let bearish = labels.reduce(0) { $0 + ($1 == .bearish ? 1 : 0) }
        let n = labels.count
        // Integer comparisons: "more than 60 %" is 5·bearish > 3·n, exactly.
        let over60 = n > 0 && 5 * bearish > 3 * n
        let over40 = n > 0 && 5 * bearish > 2 * n
        let close = btc?.close
        let below200 = Self.less(close, btc?.sma200)
        let below50 = Self.less(close, btc?.sma50)
        let sma50Falling = Self.less(btc?.sma50, btc?.previousSMA50)
        let risk: RiskLevel
        if over60 || (below200 == true && sma50Falling == true) {
            risk = .high
        } else if over40 || below50 == true {
            risk = .medium
        } else {
            risk = .low
        }
        return Regime(
            risk: risk, breadth: n > 0 ? Double(bearish) / Double(n) : 0,
            btcTrend: describe(
                below50: below50, below200: below200, sma50Falling: sma50Falling,
                sma50: btc?.sma50, previous: btc?.previousSMA50),
            bearishCount: bearish, assetCount: n)
    }

    private static func less(_ a: Double?, _ b: Double?) -> Bool? {
        guard let a, let b else { return nil }
        return a < b
    }

    private static func describe(
        below50: Bool?, below200: Bool?, sma50Falling: Bool?, sma50: Double?, previous: Double?
    ) -> String {
        var parts: [String] = []
        if let below50 { parts.append(below50 ? "below SMA50" : "above SMA50") }
        if let below200 { parts.append(below200 ? "below SMA200" : "above SMA200") }
        if let sma50, let previous {
            parts.append(sma50 < previous ? "SMA50 falling" : (sma50 > previous ? "SMA50 rising" : "SMA50 flat"))
        }
        return parts.isEmpty ? "unknown" : parts.joined(separator: ", ")
    }
}

extension Regime {
    /// The risk level in force on `day` when a change takes effect only after it has held `confirmDays`
    /// consecutive daily closes (DESIGN §5): the level of the latest run of at least `confirmDays` equal
    /// daily levels ending on or before `day`. Looks back at most `lookback` days; with no such run (the
    /// start of the history), the oldest level seen.
    /// - Parameter raw: the unconfirmed level of a day (Unix day number).
    public static func confirmed(
        day: Int, confirmDays: Int, lookback: Int = 400, raw: (Int) throws -> RiskLevel
    ) rethrows -> RiskLevel {
        let n = max(1, confirmDays)
        var d = day
        var level = try raw(d)
        if n == 1 { return level }
        var run = 1
        while day - d < lookback {
            let previous = try raw(d - 1)
            d -= 1
            if previous == level {
                run += 1
                if run >= n { return level }
            } else {
                // The run before this one: in force if it held long enough.
                level = previous
                run = 1
            }
        }
        return level
    }
}
