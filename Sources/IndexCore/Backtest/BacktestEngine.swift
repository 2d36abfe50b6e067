/// The pure replay engine (DESIGN §2, §13): a spec over a dense market, through the same target,
/// schedule, drift, risk-off, DCA and planner code as the live path (`PortfolioStore.runDue`), with no
/// I/O. Step 0 creates the index (the `initial` rebalance); every later step runs what is due, then
/// records a NAV point.
public struct BacktestEngine {
    /// Targets of methodologies that need signals (`signal`, `trend`, `rsi`), at a step's market and time.
    public typealias TargetProvider = (IndexSpec, MarketView, Int64) throws -> [String: Double]
    /// The regime in force for the spec at a time (risk-off triggers of `signal` indices).
    public typealias RegimeProvider = (IndexSpec, Int64) throws -> RiskLevel

    public let spec: IndexSpec
    public let market: MarketMatrix
    /// Nil: signal methodologies are refused and no risk-off trigger fires.
    public var signalTargets: TargetProvider?
    public var regime: RegimeProvider?
    /// Keep every event's plan (false: only the counts and sums are needed, e.g. sweeps).
    public var keepEvents = true

    public init(
        spec: IndexSpec, market: MarketMatrix, signalTargets: TargetProvider? = nil, regime: RegimeProvider? = nil
    ) {
        self.spec = spec
        self.market = market
        self.signalTargets = signalTargets
        self.regime = regime
    }

    /// Runs the replay over every step of the market.
    /// - Throws: `MethodologyError`, `PlanError` or `BacktestError` (a missing price) as the live path would.
    public func run() throws -> BacktestResult {
        var state = State(engine: self)
        try state.run()
        return state.result
    }

    /// The mutable fund during a replay: arrays aligned with the market's columns.
    struct State {
        let engine: BacktestEngine
        let spec: IndexSpec
        let m: MarketMatrix
        let n: Int
        var quantity: [Double]
        var target: [Double]
        var targets: [String: Double] = [:]
        var cash: Double
        var units: Double
        var lastNPU: Double?
        var created: Int64 = 0
        var lastFull: Int64?
        var lastDCA: Int64?
        var checked: Int64?
        var nextScheduled: Int64?
        var result: BacktestResult

        init(engine: BacktestEngine) {
            self.engine = engine
            spec = engine.spec
            m = engine.market
            n = m.assetCount
            quantity = [Double](repeating: 0, count: n)
            target = [Double](repeating: 0, count: n)
            cash = spec.initialCapital
            units = spec.initialCapital / FundAccounting.initialUnitValue
            result = BacktestResult(
                navs: [], events: [], checked: nil, holdings: [:], cash: 0, units: 0, buyAndHold: [], btc: [])
            result.navs.reserveCapacity(m.times.count)
        }

        mutating func run() throws {
            guard !m.times.isEmpty else { throw BacktestError("the backtest period is empty") }
            created = m.times[0]
            let initial = try plan(
                step: 0, trigger: .initial, targets: targetWeights(step: 0), extraCash: 0, noSell: false)
            apply(initial, reason: "initial investment of \(spec.initialCapital)")
            lastFull = created
            nextScheduled = ScheduleClock.nextRebalance(
                lastFull: lastFull, created: created, checked: checked, rule: spec.rebalance)
            let initialHoldings = quantity
            let initialCash = cash
            recordNAV(step: 0)
            for k in 1..<m.times.count {
                try runDue(step: k)
                recordNAV(step: k)
            }
            result.checked = checked
            result.cash = cash
            result.units = units
            for j in 0..<n where quantity[j] > 0 { result.holdings[m.symbols[j]] = quantity[j] }
            twins(initialHoldings: initialHoldings, initialCash: initialCash)
        }

        /// `runDue` of the live path: a DCA deposit, then a scheduled, risk-off or drift rebalance.
        mutating func runDue(step k: Int) throws {
            let t = m.times[k]
            if let dca = spec.dca, let next = ScheduleClock.nextDCA(lastDCA: lastDCA, created: created, spec: spec),
                next <= t
            {
                let npu = valuation(step: k).navPerUnit
                let goal = targets.isEmpty ? try targetWeights(step: k) : Goal(map: targets, weights: target)
                var event = try plan(step: k, trigger: .deposit, targets: goal, extraCash: dca.amount, noSell: true)
                event.cashFlow = dca.amount
                event.flowKind = "dca"
                event.unitsDelta = FundAccounting.unitsIssued(
                    amount: dca.amount, costs: event.plan.costs, navPerUnit: npu)
                apply(event, reason: "DCA \(dca.schedule.rawValue) deposit of \(dca.amount)")
                lastDCA = t
            }
            let changed = try regimeChanged(at: t)
            let trigger = ScheduleClock.dueTrigger(nextScheduled: nextScheduled, at: t, regimeChanged: changed) {
                drifted(step: k)
            }
            guard let trigger else { return }
            let event = try plan(
                step: k, trigger: trigger, targets: targetWeights(step: k), extraCash: 0, noSell: false)
            if event.plan.trades.isEmpty && trigger == .scheduled {
                checked = t
            } else {
                let risk = trigger == .riskOff ? try engine.regime?(spec, t) : nil
                apply(event, reason: ScheduleClock.reason(trigger, spec: spec, risk: risk))
                lastFull = t
            }
            nextScheduled = ScheduleClock.nextRebalance(
                lastFull: lastFull, created: created, checked: checked, rule: spec.rebalance)
        }

        func regimeChanged(at t: Int64) throws -> Bool {
            guard spec.methodology.kind == .signal, let regime = engine.regime, engine.signalTargets != nil,
                let last = lastFull
            else { return false }
            return try regime(spec, last) != regime(spec, t)
        }

        /// The current constituents (what a rank buffer keeps).
        var incumbents: Set<String> { Set(targets.compactMap { $0.value > 0 ? $0.key : nil }) }

        /// Target weights as a map and aligned with the columns.
        struct Goal {
            var map: [String: Double]
            var weights: [Double]
        }

        func targetWeights(step k: Int) throws -> Goal {
            switch spec.methodology.kind {
            case .marketCap, .sqrtMarketCap, .equal:
                // The same rule as TargetWeights.passive, on the matrix row without building a view.
                let base = k * n
                let columns = MarketColumns(
                    assets: m.assets, column: m.column, price: Array(m.price[base..<base + n]),
                    marketCap: Array(m.marketCap[base..<base + n]), volume: Array(m.volume[base..<base + n]))
                let w = try TargetWeights.passiveWeights(spec, columns: columns, incumbents: incumbents)
                var map: [String: Double] = [:]
                for j in 0..<n where w[j] > 0 { map[m.symbols[j]] = w[j] }
                return Goal(map: map, weights: w)
            case .signal, .trend, .rsi:
                guard let provider = engine.signalTargets else {
                    throw BacktestError(
                        "index '\(spec.slug)': \(spec.methodology.kind.rawValue) methodology needs signals, not available"
                    )
                }
                return try goal(provider(spec, m.marketView(at: k), m.times[k]))
            case .fixed:
                return try goal(TargetWeights.passive(spec, market: m.marketView(at: k), incumbents: incumbents))
            }
        }

        func goal(_ map: [String: Double]) throws -> Goal {
            var w = [Double](repeating: 0, count: n)
            for (s, t) in map {
                guard let j = m.column[s] else { throw BacktestError("index '\(spec.slug)': no price for \(s)") }
                w[j] = t
            }
            return Goal(map: map, weights: w)
        }

        /// NAV = cash + Σ value, the values summed in symbol order (as the store's valuation does).
        func valuation(step k: Int) -> (nav: Double, navPerUnit: Double) {
            var invested = 0.0
            let base = k * n
            for j in 0..<n where quantity[j] != 0 {
                let p = m.price[base + j]
                if !p.isNaN { invested += quantity[j] * p }
            }
            let nav = cash + invested
            return (nav, FundAccounting.navPerUnit(nav: nav, units: units, last: lastNPU))
        }

        func drifted(step k: Int) -> Bool {
            let rule = spec.rebalance
            guard rule.driftBand != nil || rule.driftBandRelative != nil else { return false }
            let nav = valuation(step: k).nav
            let base = k * n
            for j in 0..<n where quantity[j] != 0 || target[j] != 0 {
                let p = m.price[base + j]
                let value = p.isNaN ? 0 : quantity[j] * p
                let w = nav > 0 ? value / nav : 0
                if ScheduleClock.drifted(weight: w, target: target[j], rule: rule) { return true }
            }
            return false
        }

        func plan(step k: Int, trigger: RebalanceTrigger, targets goal: Goal, extraCash: Double, noSell: Bool)
            throws -> BacktestEvent
        {
            var symbols: [String] = []
            var held: [Double] = []
            var price: [Double] = []
            var target: [Double] = []
            var holdings: [String: Double] = [:]
            var prices: [String: Double] = [:]
            var newest: Int64 = 0
            let base = k * n
            // The planner's symbols: held or targeted, in symbol order (the columns' order).
            for j in 0..<n where quantity[j] != 0 || goal.weights[j] != 0 || goal.map[m.symbols[j]] != nil {
                let s = m.symbols[j]
                let p = m.price[base + j]
                guard !p.isNaN else { throw BacktestError("index '\(spec.slug)': no price for \(s)") }
                if quantity[j] != 0 { holdings[s] = quantity[j] }
                prices[s] = p
                newest = max(newest, m.rowTime[base + j])
                if quantity[j] != 0 || goal.weights[j] != 0 {
                    symbols.append(s)
                    held.append(quantity[j])
                    price.append(p)
                    target.append(goal.weights[j])
                }
            }
            let plan = try RebalancePlanner.plan(
                symbols: symbols, held: held, price: price, target: target, cash: cash + extraCash,
                feeRate: spec.feeRate, slippageRate: spec.slippageRate, minTrade: spec.minTrade, noSell: noSell)
            return BacktestEvent(
                time: m.times[k], trigger: trigger, reason: "", plan: plan, targets: goal.map, prices: prices,
                pricesTime: newest, holdingsBefore: holdings, cashFlow: 0, unitsDelta: 0, flowKind: nil)
        }

        /// The store's `apply`: holdings, cash, units and targets after the plan.
        mutating func apply(_ event: BacktestEvent, reason: String) {
            for t in event.plan.trades {
                guard let j = m.column[t.symbol] else { continue }
                let q = FundAccounting.quantity(quantity[j], after: t)
                quantity[j] = q > FundAccounting.dust ? q : 0
            }
            cash = max(0, event.plan.cashAfter)
            units = max(0, units + event.unitsDelta)
            targets = event.targets
            for j in 0..<n { target[j] = 0 }
            for (s, t) in event.targets { if let j = m.column[s] { target[j] = t } }
            var e = event
            e.reason = reason
            if engine.keepEvents {
                result.events.append(e)
            } else {
                // Counts and sums only: drop the per-trade detail.
                e.plan.trades = []
                e.plan.weights = []
                e.plan.skipped = []
                e.prices = [:]
                e.holdingsBefore = [:]
                e.targets = [:]
                result.events.append(e)
            }
        }

        mutating func recordNAV(step k: Int) {
            let v = valuation(step: k)
            lastNPU = v.navPerUnit
            result.navs.append(NAVPoint(time: m.times[k], nav: v.nav, navPerUnit: v.navPerUnit, units: units))
        }

        /// The buy-and-hold twin (the initial holdings never traded) and BTC, rebased per step.
        mutating func twins(initialHoldings: [Double], initialCash: Double) {
            let startUnits = spec.initialCapital / FundAccounting.initialUnitValue
            for k in m.times.indices {
                var invested = 0.0
                var complete = true
                for j in 0..<n where initialHoldings[j] != 0 {
                    let p = m.price[k * n + j]
                    if p.isNaN {
                        complete = false
                        break
                    }
                    invested += initialHoldings[j] * p
                }
                if complete {
                    result.buyAndHold.append(ValuePoint(time: m.times[k], value: (initialCash + invested) / startUnits))
                }
            }
            if let b = m.column["BTC"], let first = result.navs.first {
                var b0: Double?
                for k in m.times.indices {
                    guard let p = m.priceAt(k, b) else { continue }
                    if b0 == nil { b0 = p }
                    result.btc.append(ValuePoint(time: m.times[k], value: p / b0! * first.navPerUnit))
                }
            }
        }
    }
}
