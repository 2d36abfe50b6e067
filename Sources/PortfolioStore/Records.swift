import IndexCore

/// An index as stored: its spec plus fund accounting.
public struct IndexRecord: Sendable {
    public var id: Int64
    public var slug: String
    public var name: String
    public var spec: IndexSpec
    public var created: Int64
    public var cash: Double
    public var units: Double
    /// Target weights of the last rebalance.
    public var targets: [String: Double]
    /// A paper fund (`model`) or what the user really holds (`tracked`, holdings from trades).
    public var kind: IndexKind = .model
}

/// One holding with its valuation at the latest prices.
public struct HoldingRow: Sendable {
    public var symbol: String
    public var quantity: Double
    public var costBasis: Double
    public var price: Double?
    public var price24hAgo: Double?
    public var value: Double
    public var weight: Double
    public var target: Double
    public var pnl: Double
    /// Price change over 24h, a fraction.
    public var change24h: Double? {
        guard let p = price, let q = price24hAgo, q > 0 else { return nil }
        return p / q - 1
    }
    /// weight − target.
    public var drift: Double { weight - target }
}

/// An index valued at the latest prices.
public struct IndexValuation: Sendable {
    public var index: IndexRecord
    public var time: Int64
    public var nav: Double
    public var navPerUnit: Double
    public var holdings: [HoldingRow]
    /// NAV per unit 24h ago (from the NAV history), if known.
    public var navPerUnit24hAgo: Double?
    /// Largest |weight − target|.
    public var maxDrift: Double { holdings.map { abs($0.drift) }.max() ?? 0 }
    public var change24h: Double? {
        guard let p = navPerUnit24hAgo, p > 0 else { return nil }
        return navPerUnit / p - 1
    }
}

/// A trade as recorded in history.
public struct TradeRecord: Sendable {
    public var symbol: String
    public var side: TradeSide
    public var quantity: Double
    public var price: Double
    public var notional: Double
    public var fee: Double
    public var slippage: Double
}

/// A recorded rebalance.
public struct RebalanceRecord: Sendable {
    public var id: Int64
    public var indexSlug: String
    public var time: Int64
    public var trigger: String
    public var status: String
    public var navBefore: Double
    public var navAfter: Double
    public var turnover: Double
    public var fees: Double
    public var slippage: Double
    public var cashAfter: Double
    public var reason: String
    public var trades: [TradeRecord]
    public var weights: [WeightChange]
}

/// A plan together with what it was computed on, so a stale one can be refused.
public struct StoredPlan: Sendable {
    public var slug: String
    public var trigger: RebalanceTrigger
    public var time: Int64
    public var plan: RebalancePlan
    /// The prices the plan used.
    public var prices: [String: Double]
    /// Newest price time among them.
    public var pricesTime: Int64
    public var targets: [String: Double]
    /// Units issued (deposit, > 0) or redeemed (withdraw, < 0) with this plan.
    public var unitsDelta: Double = 0
    /// Cash added (deposit, > 0) or paid out (withdraw, < 0) before the trades.
    public var cashFlow: Double = 0
    /// How the cash flow is recorded (`deposit`, `withdraw`, `dca`).
    public var flowKind: String?
    /// Quantities held when the plan was computed.
    public var holdingsBefore: [String: Double] = [:]
    /// Planned to buy from cash only (`--no-sell`); a re-plan keeps it.
    public var noSell = false
}
