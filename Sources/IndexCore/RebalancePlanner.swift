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
        // Work on arrays indexed like `symbols` (sorted): dictionaries are only read once.
        var symbols: [String] = []
        symbols.reserveCapacity(input.holdings.count + input.targets.count)
        for (s, q) in input.holdings where q != 0 || (input.targets[s] ?? 0) != 0 { symbols.append(s) }
        for (s, t) in input.targets where t != 0 && input.holdings[s] == nil { symbols.append(s) }
        symbols.sort()
        let n = symbols.count
        var held = [Double](repeating: 0, count: n)
        var price = [Double](repeating: 0, count: n)
        var target = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let s = symbols[i]
            guard let p = input.prices[s], p > 0, p.isFinite else {
                throw PlanError(message: "no valid price for \(s)")
            }
            held[i] = input.holdings[s] ?? 0
            price[i] = p
            target[i] = input.targets[s] ?? 0
        }
        var plan = try self.plan(
            symbols: symbols, held: held, price: price, target: target, cash: input.cash, feeRate: input.feeRate,
            slippageRate: input.slippageRate, minTrade: input.minTrade, noSell: input.noSell)
        for (s, q) in input.holdings where q > 1e-15 && plan.holdingsAfter[s] == nil && !symbols.contains(s) {
            plan.holdingsAfter[s] = q
        }
        return plan
    }

    /// The planner on arrays aligned with `symbols` (sorted, each held or targeted): what `plan(_:)`
    /// computes, for callers that already hold arrays (the backtest engine).
    /// - Throws: `PlanError` when a price is not positive or the NAV is not.
    public static func plan(
        symbols: [String], held: [Double], price: [Double], target: [Double], cash startCash: Double,
        feeRate: Double, slippageRate: Double, minTrade: Double, noSell: Bool
    ) throws -> RebalancePlan {
        let n = symbols.count
        let input = (cash: startCash, feeRate: feeRate, slippageRate: slippageRate, minTrade: minTrade, noSell: noSell)
        var value = [Double](repeating: 0, count: n)
        var invested = 0.0
        for i in 0..<n {
            guard price[i] > 0, price[i].isFinite else { throw PlanError(message: "no valid price for \(symbols[i])") }
            value[i] = held[i] * price[i]
            invested += value[i]
        }
        let rate = input.feeRate + input.slippageRate
        let nav = input.cash + invested
        guard nav > 0 else { throw PlanError(message: "nothing to rebalance: NAV is \(nav)") }

        // Desired change in value per symbol (positive = buy).
        var delta = [Double](repeating: 0, count: n)
        if input.noSell {
            var navAfter = nav
            for _ in 0..<50 {
                var deficits = 0.0
                for i in 0..<n { deficits += max(0, target[i] * navAfter - value[i]) }
                let spend = min(deficits, input.cash / (1 + rate))
                let next = nav - spend * rate
                if abs(next - navAfter) <= 1e-12 * nav { break }
                navAfter = next
            }
            var total = 0.0
            for i in 0..<n {
                delta[i] = max(0, target[i] * navAfter - value[i])
                total += delta[i]
            }
            let budget = max(0, input.cash) / (1 + rate)
            if total > budget { for i in 0..<n { delta[i] *= budget / total } }
        } else {
            var navAfter = nav
            for _ in 0..<50 {
                var traded = 0.0
                for i in 0..<n { traded += abs(target[i] * navAfter - value[i]) }
                let next = nav - traded * rate
                let done = abs(next - navAfter) <= 1e-12 * nav
                navAfter = next
                if done { break }
            }
            for i in 0..<n { delta[i] = target[i] * navAfter - value[i] }
        }

        var skipped: [SkippedTrade] = []
        var sells: [PlannedTrade] = []
        var buys: [(index: Int, trade: PlannedTrade)] = []
        var cash = input.cash
        var qty = held
        let dust = 1e-9 * nav
        for i in 0..<n {
            let d = delta[i]
            guard abs(d) > dust else { continue }
            let s = symbols[i]
            let p = price[i]
            let fullExit = d < 0 && target[i] == 0
            if abs(d) < input.minTrade && !fullExit {
                skipped.append(SkippedTrade(symbol: s, notional: abs(d), reason: "below min_trade \(input.minTrade)"))
                continue
            }
            if d < 0 {
                let q = fullExit ? held[i] : min(held[i], -d / p)
                let notional = q * p
                let trade = PlannedTrade(
                    symbol: s, side: .sell, quantity: q, price: p, notional: notional,
                    fee: notional * input.feeRate, slippage: notional * input.slippageRate,
                    executionPrice: p * (1 - input.slippageRate))
                sells.append(trade)
                cash += notional - trade.fee - trade.slippage
                qty[i] = held[i] - q
            } else {
                buys.append(
                    (
                        i,
                        PlannedTrade(
                            symbol: s, side: .buy, quantity: d / p, price: p, notional: d, fee: d * input.feeRate,
                            slippage: d * input.slippageRate, executionPrice: p * (1 + input.slippageRate))
                    ))
            }
        }
        // Buys are paid from cash after the sells; scale them down if a skipped sell left too little.
        let need = buys.reduce(0) { $0 + $1.trade.notional * (1 + rate) }
        if need > cash, need > 0 {
            let scale = max(0, cash) / need
            for k in buys.indices {
                buys[k].trade.notional *= scale
                buys[k].trade.quantity *= scale
                buys[k].trade.fee *= scale
                buys[k].trade.slippage *= scale
            }
        }
        var trades = sells
        for (i, t) in buys {
            if t.notional < input.minTrade {
                if t.notional > dust {
                    skipped.append(
                        SkippedTrade(symbol: t.symbol, notional: t.notional, reason: "below min_trade after cash limit")
                    )
                }
                continue
            }
            cash -= t.notional + t.fee + t.slippage
            qty[i] += t.quantity
            trades.append(t)
        }
        if cash < 0, cash > -1e-9 * nav { cash = 0 }
        var fees = 0.0
        var slip = 0.0
        var traded = 0.0
        for t in trades {
            fees += t.fee
            slip += t.slippage
            traded += t.notional
        }
        let navAfter = nav - fees - slip
        var weights: [WeightChange] = []
        weights.reserveCapacity(n)
        var holdingsAfter: [String: Double] = [:]
        holdingsAfter.reserveCapacity(n)
        for i in 0..<n {
            weights.append(
                WeightChange(
                    symbol: symbols[i], before: value[i] / nav, target: target[i],
                    after: navAfter > 0 ? qty[i] * price[i] / navAfter : 0))
            if qty[i] > 1e-15 { holdingsAfter[symbols[i]] = qty[i] }
        }
        return RebalancePlan(
            trades: trades, weights: weights, skipped: skipped, navBefore: nav, navAfter: navAfter,
            turnover: traded / (2 * nav), fees: fees, slippage: slip, cashBefore: input.cash, cashAfter: cash,
            holdingsAfter: holdingsAfter)
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
        let invested = value.keys.sorted().reduce(0) { $0 + value[$1]! }  // in key order: bit-reproducible
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

/// Fund accounting (DESIGN §3, §6): how trades change holdings and how cash flows issue or redeem units.
/// One home for the live path and the backtest engine.
public enum FundAccounting {
    /// Units are issued at this value per unit when an index is created.
    public static let initialUnitValue = 1000.0
    /// Holdings at or below this quantity are dropped after a trade.
    public static let dust = 1e-15

    /// The quantity held after `trade` on a position of `quantity` (never negative).
    @inline(__always)
    public static func quantity(_ quantity: Double, after trade: PlannedTrade) -> Double {
        switch trade.side {
        case .buy: return quantity + trade.quantity
        case .sell: return max(0, quantity - trade.quantity)
        }
    }

    /// The value per unit of a fund of `nav` with `units`; with no units left (everything redeemed), the
    /// last known value per unit (`last`), so a later deposit is issued at it (never a reset to 1 000).
    public static func navPerUnit(nav: Double, units: Double, last: Double?) -> Double {
        units > 0 ? nav / units : (last ?? initialUnitValue)
    }

    /// Units issued for a deposit of `amount` that bore `costs`, at `navPerUnit`.
    public static func unitsIssued(amount: Double, costs: Double, navPerUnit: Double) -> Double {
        (amount - costs) / navPerUnit
    }

    /// Units redeemed (negative) for a withdrawal of `amount` that bore `costs`, at `navPerUnit`.
    public static func unitsRedeemed(amount: Double, costs: Double, navPerUnit: Double) -> Double {
        -(amount + costs) / navPerUnit
    }
}
