import Foundation

/// Buy or sell.
public enum TradeSide: String, Sendable, Codable {
    case buy, sell
}

/// Why a rebalance happened (DESIGN §6).
public enum RebalanceTrigger: String, Sendable, CaseIterable, Codable {
    case initial, scheduled, drift, manual
    case riskOff = "risk-off"
    case deposit, withdraw
}

/// One planned trade. `notional` is quantity × latest price; the execution price adds slippage.
public struct PlannedTrade: Sendable, Equatable {
    public var symbol: String
    public var side: TradeSide
    public var quantity: Double
    /// Latest (mid) price the plan was computed on.
    public var price: Double
    /// quantity × price, ≥ 0.
    public var notional: Double
    public var fee: Double
    public var slippage: Double
    /// price × (1 ± slippage rate).
    public var executionPrice: Double

    public init(
        symbol: String, side: TradeSide, quantity: Double, price: Double, notional: Double, fee: Double,
        slippage: Double, executionPrice: Double
    ) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.notional = notional
        self.fee = fee
        self.slippage = slippage
        self.executionPrice = executionPrice
    }
}

/// Weight of one symbol before, target and after the plan.
public struct WeightChange: Sendable, Equatable {
    public var symbol: String
    public var before: Double
    public var target: Double
    public var after: Double

    public init(symbol: String, before: Double, target: Double, after: Double) {
        self.symbol = symbol
        self.before = before
        self.target = target
        self.after = after
    }
}

/// A trade the plan left out, with the reason.
public struct SkippedTrade: Sendable, Equatable {
    public var symbol: String
    public var notional: Double
    public var reason: String

    public init(symbol: String, notional: Double, reason: String) {
        self.symbol = symbol
        self.notional = notional
        self.reason = reason
    }
}

/// What the planner needs (all amounts in the index's base currency).
public struct PlanInput: Sendable {
    /// Quantities held per symbol.
    public var holdings: [String: Double]
    public var cash: Double
    /// Latest price per symbol; every held and targeted symbol needs one.
    public var prices: [String: Double]
    /// Target weights (fractions, summing to ≤ 1; the rest is cash).
    public var targets: [String: Double]
    public var feeRate: Double
    public var slippageRate: Double
    /// Trades with notional below this are skipped and reported.
    public var minTrade: Double
    /// Buy only, from cash (lazy rebalancing and deposits).
    public var noSell: Bool

    public init(
        holdings: [String: Double], cash: Double, prices: [String: Double], targets: [String: Double],
        feeRate: Double, slippageRate: Double, minTrade: Double, noSell: Bool = false
    ) {
        self.holdings = holdings
        self.cash = cash
        self.prices = prices
        self.targets = targets
        self.feeRate = feeRate
        self.slippageRate = slippageRate
        self.minTrade = minTrade
        self.noSell = noSell
    }
}

/// A computed rebalance: trades (sells first, then buys), weights, costs, NAV before and after.
public struct RebalancePlan: Sendable, Equatable {
    public var trades: [PlannedTrade]
    public var weights: [WeightChange]
    public var skipped: [SkippedTrade]
    public var navBefore: Double
    public var navAfter: Double
    /// One-way turnover: (Σ buys + Σ sells) / (2 × NAV before).
    public var turnover: Double
    public var fees: Double
    public var slippage: Double
    public var cashBefore: Double
    public var cashAfter: Double
    /// Quantities held after the trades (zeros dropped).
    public var holdingsAfter: [String: Double]

    /// Total costs (fees + slippage).
    public var costs: Double { fees + slippage }
}

/// A plan cannot be computed.
public struct PlanError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// The rebalance planner (DESIGN §6): pure and deterministic.
public enum RebalancePlanner {
    /// Plans the trades that bring `input.holdings` to `input.targets`, paying fees and slippage so
    /// that cash never goes negative and post-trade weights match targets to within the costs and
    /// the minimum trade.
    /// - Throws: `PlanError` when a price is missing or not positive.
    public static func plan(_ input: PlanInput) throws -> RebalancePlan {
        let symbols = Set(input.holdings.keys).union(input.targets.keys).sorted()
        var value: [String: Double] = [:]
        for s in symbols {
            let q = input.holdings[s] ?? 0
            let t = input.targets[s] ?? 0
            if q == 0 && t == 0 { continue }
            guard let p = input.prices[s], p > 0, p.isFinite else {
                throw PlanError(message: "no valid price for \(s)")
            }
            value[s] = q * p
        }
        let rate = input.feeRate + input.slippageRate
        let nav = input.cash + value.values.reduce(0, +)
        guard nav > 0 else { throw PlanError(message: "nothing to rebalance: NAV is \(nav)") }

        // Desired change in value per symbol (positive = buy).
        var delta: [String: Double] = [:]
        if input.noSell {
            var navAfter = nav
            for _ in 0..<50 {
                var deficits = 0.0
                for s in symbols { deficits += max(0, (input.targets[s] ?? 0) * navAfter - (value[s] ?? 0)) }
                let spend = min(deficits, input.cash / (1 + rate))
                let next = nav - spend * rate
                if abs(next - navAfter) <= 1e-12 * nav { break }
                navAfter = next
            }
            var deficit: [String: Double] = [:]
            for s in symbols { deficit[s] = max(0, (input.targets[s] ?? 0) * navAfter - (value[s] ?? 0)) }
            let total = deficit.values.reduce(0, +)
            let budget = max(0, input.cash) / (1 + rate)
            let scale = total > budget ? budget / total : 1
            for (s, d) in deficit where d > 0 { delta[s] = d * scale }
        } else {
            var navAfter = nav
            for _ in 0..<50 {
                var traded = 0.0
                for s in symbols { traded += abs((input.targets[s] ?? 0) * navAfter - (value[s] ?? 0)) }
                let next = nav - traded * rate
                if abs(next - navAfter) <= 1e-12 * nav {
                    navAfter = next
                    break
                }
                navAfter = next
            }
            for s in symbols { delta[s] = (input.targets[s] ?? 0) * navAfter - (value[s] ?? 0) }
        }

        var skipped: [SkippedTrade] = []
        var sells: [PlannedTrade] = []
        var buys: [PlannedTrade] = []
        var cash = input.cash
        var qty = input.holdings
        let dust = 1e-9 * nav
        for s in symbols {
            guard let d = delta[s], abs(d) > dust else { continue }
            let p = input.prices[s]!
            let fullExit = d < 0 && (input.targets[s] ?? 0) == 0
            if abs(d) < input.minTrade && !(fullExit && abs(d) > 0) {
                skipped.append(SkippedTrade(symbol: s, notional: abs(d), reason: "below min_trade \(input.minTrade)"))
                continue
            }
            if d < 0 {
                let held = input.holdings[s] ?? 0
                let q = fullExit ? held : min(held, -d / p)
                let notional = q * p
                let trade = PlannedTrade(
                    symbol: s, side: .sell, quantity: q, price: p, notional: notional,
                    fee: notional * input.feeRate, slippage: notional * input.slippageRate,
                    executionPrice: p * (1 - input.slippageRate))
                sells.append(trade)
                cash += notional - trade.fee - trade.slippage
                qty[s] = held - q
            } else {
                buys.append(
                    PlannedTrade(
                        symbol: s, side: .buy, quantity: d / p, price: p, notional: d, fee: d * input.feeRate,
                        slippage: d * input.slippageRate, executionPrice: p * (1 + input.slippageRate)))
            }
        }
        // Buys are paid from cash after the sells; scale them down if a skipped sell left too little.
        let need = buys.reduce(0) { $0 + $1.notional * (1 + rate) }
        if need > cash, need > 0 {
            let scale = max(0, cash) / need
            buys = buys.map { t in
                var t = t
                t.notional *= scale
                t.quantity *= scale
                t.fee *= scale
                t.slippage *= scale
                return t
            }
        }
        var kept: [PlannedTrade] = []
        for t in buys {
            if t.notional < input.minTrade {
                if t.notional > dust {
                    skipped.append(
                        SkippedTrade(symbol: t.symbol, notional: t.notional, reason: "below min_trade after cash limit")
                    )
                }
                continue
            }
            cash -= t.notional + t.fee + t.slippage
            qty[t.symbol, default: 0] += t.quantity
            kept.append(t)
        }
        if cash < 0, cash > -1e-9 * nav { cash = 0 }
        let trades = sells + kept
        let fees = trades.reduce(0) { $0 + $1.fee }
        let slip = trades.reduce(0) { $0 + $1.slippage }
        let navAfter = nav - fees - slip
        var weights: [WeightChange] = []
        for s in symbols where value[s] != nil {
            let after = (qty[s] ?? 0) * input.prices[s]!
            weights.append(
                WeightChange(
                    symbol: s, before: (value[s] ?? 0) / nav, target: input.targets[s] ?? 0,
                    after: navAfter > 0 ? after / navAfter : 0))
        }
        let traded = trades.reduce(0) { $0 + $1.notional }
        return RebalancePlan(
            trades: trades, weights: weights, skipped: skipped, navBefore: nav, navAfter: navAfter,
            turnover: traded / (2 * nav), fees: fees, slippage: slip, cashBefore: input.cash, cashAfter: cash,
            holdingsAfter: qty.filter { $0.value > 1e-15 })
    }

    /// Plans a withdrawal of `amount`: every holding sold pro rata, so that the proceeds net of
    /// costs plus the same share of cash equal `amount`.
    /// - Throws: `PlanError` when `amount` exceeds what the index can pay.
    public static func withdrawal(
        amount: Double, holdings: [String: Double], cash: Double, prices: [String: Double], feeRate: Double,
        slippageRate: Double
    ) throws -> RebalancePlan {
        var value: [String: Double] = [:]
        for (s, q) in holdings where q > 0 {
            guard let p = prices[s], p > 0 else { throw PlanError(message: "no valid price for \(s)") }
            value[s] = q * p
        }
        let rate = feeRate + slippageRate
        let invested = value.values.reduce(0, +)
        let nav = cash + invested
        let payable = invested * (1 - rate) + cash
        guard amount > 0, amount <= payable + 1e-9 else {
            throw PlanError(message: "cannot withdraw \(amount): the index can pay at most \(payable)")
        }
        let phi = min(1, amount / payable)
        var trades: [PlannedTrade] = []
        var qty = holdings
        for s in value.keys.sorted() {
            let p = prices[s]!
            let q = holdings[s]! * phi
            let n = q * p
            trades.append(
                PlannedTrade(
                    symbol: s, side: .sell, quantity: q, price: p, notional: n, fee: n * feeRate,
                    slippage: n * slippageRate, executionPrice: p * (1 - slippageRate)))
            qty[s] = holdings[s]! - q
        }
        let fees = trades.reduce(0) { $0 + $1.fee }
        let slip = trades.reduce(0) { $0 + $1.slippage }
        let cashAfter = max(0, cash + invested * phi - fees - slip - amount)
        let navAfter = nav - fees - slip - amount
        let weights = value.keys.sorted().map { s in
            WeightChange(
                symbol: s, before: value[s]! / nav, target: value[s]! / nav,
                after: navAfter > 0 ? qty[s]! * prices[s]! / navAfter : 0)
        }
        return RebalancePlan(
            trades: trades, weights: weights, skipped: [], navBefore: nav, navAfter: navAfter,
            turnover: invested * phi / (2 * nav), fees: fees, slippage: slip, cashBefore: cash, cashAfter: cashAfter,
            holdingsAfter: qty.filter { $0.value > 1e-15 })
    }
}
