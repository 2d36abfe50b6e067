/// One NAV point of a replay.
public struct NAVPoint: Sendable, Equatable {
    /// Unix seconds.
    public var time: Int64
    /// Total value (base currency).
    public var nav: Double
    /// Value per unit.
    public var navPerUnit: Double
    /// Units outstanding.
    public var units: Double
}

/// One applied rebalance or cash flow of a replay, with everything the store needs to record it.
public struct BacktestEvent: Sendable {
    /// Unix seconds.
    public var time: Int64
    public var trigger: RebalanceTrigger
    public var reason: String
    public var plan: RebalancePlan
    /// Targets the plan traded toward (stored as the index's targets).
    public var targets: [String: Double]
    /// Prices the plan used, and the newest row time among them.
    public var prices: [String: Double]
    public var pricesTime: Int64
    /// Quantities held before the plan.
    public var holdingsBefore: [String: Double]
    /// Cash added (> 0) with the plan, units issued, and how the flow is recorded (`dca`).
    public var cashFlow: Double
    public var unitsDelta: Double
    public var flowKind: String?
}

/// What a replay produced: NAV points (one per step), every applied event and the final state.
public struct BacktestResult: Sendable {
    public var navs: [NAVPoint]
    public var events: [BacktestEvent]
    /// The last scheduled check that found nothing to trade (moves the schedule on), if any.
    public var checked: Int64?
    /// Holdings at the end (symbol → quantity), cash and units.
    public var holdings: [String: Double]
    public var cash: Double
    public var units: Double
    /// Value per unit of the initial holdings never traded again (the buy-and-hold twin), per step.
    public var buyAndHold: [ValuePoint]
    /// BTC rebased to the first value per unit, per step (empty without BTC prices).
    public var btc: [ValuePoint]

    /// The value-per-unit series.
    public var navPerUnitSeries: [ValuePoint] { navs.map { ValuePoint(time: $0.time, value: $0.navPerUnit) } }
    /// The total NAV series.
    public var navSeries: [ValuePoint] { navs.map { ValuePoint(time: $0.time, value: $0.nav) } }
    /// Number of applied rebalances and cash flows (the initial one included).
    public var rebalanceCount: Int { events.count }
    /// Σ turnover, fees and slippage over the events, in time order.
    public var turnover: Double { events.reduce(0) { $0 + $1.plan.turnover } }
    public var fees: Double { events.reduce(0) { $0 + $1.plan.fees } }
    public var slippage: Double { events.reduce(0) { $0 + $1.plan.slippage } }
    /// The figures of DESIGN §7 on the value per unit.
    public var figures: PerformanceFigures { Analytics.figures(navPerUnitSeries) }
}

/// A replay cannot run.
public struct BacktestError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
