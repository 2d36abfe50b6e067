import Foundation
import IndexCore
import Testing

/// A random portfolio: some symbols held, some only targeted, some held but no longer targeted.
private func randomInput(_ rng: inout SeededGenerator, noSell: Bool) -> PlanInput {
    let n = Int.random(in: 1...12, using: &rng)
    let symbols = (0..<n).map { "S\($0)" }
    var prices: [String: Double] = [:]
    var holdings: [String: Double] = [:]
    var raw: [String: Double] = [:]
    for s in symbols {
        prices[s] = exp(Double.random(in: -6...11, using: &rng))  // from dust tokens to BTC-like prices
        if Double.random(in: 0..<1, using: &rng) < 0.7 {
            holdings[s] = Double.random(in: 0...50_000, using: &rng) / prices[s]!
        }
        if Double.random(in: 0..<1, using: &rng) < 0.8 { raw[s] = Double.random(in: 0.05...1, using: &rng) }
    }
    if raw.isEmpty { raw[symbols[0]] = 1 }
    // Targets sum to 1, or leave some cash.
    let share = Double.random(in: 0..<1, using: &rng) < 0.7 ? 1 : Double.random(in: 0.5...1, using: &rng)
    let total = raw.values.reduce(0, +)
    let targets = raw.mapValues { $0 / total * share }
    let cash = Double.random(in: 0..<1, using: &rng) < 0.5 ? 0 : Double.random(in: 0...20_000, using: &rng)
    let fee = Double(Int.random(in: 0...50, using: &rng)) / 10_000
    let slip = Double(Int.random(in: 0...50, using: &rng)) / 10_000
    let minTrade = [0, 1, 10, 100][Int.random(in: 0...3, using: &rng)]
    var input = PlanInput(
        holdings: holdings, cash: cash, prices: prices, targets: targets, feeRate: fee, slippageRate: slip,
        minTrade: Double(minTrade), noSell: noSell)
    if input.holdings.isEmpty && input.cash == 0 { input.cash = 1_000 }
    return input
}

private func value(_ quantities: [String: Double], _ prices: [String: Double]) -> Double {
    quantities.reduce(0) { $0 + $1.value * prices[$1.key]! }
}

@Suite struct RebalancePlannerTests {
    @Test func aTwoAssetRebalanceWorkedByHand() throws {
        // 10 A at 10 (NAV 100) toward 50/50 with 10 bp fee and 5 bp slippage (rate r = .0015).
        // Traded notional is |.5N − 100| + .5N = 100 for N < 200, so N = 100 − 100·r = 99.85:
        // sell A for 100 − 49.925 = 50.075, buy B for 49.925; cash 50.075·(1 − r) − 49.925·(1 + r) = 0.
        let plan = try RebalancePlanner.plan(
            PlanInput(
                holdings: ["A": 10], cash: 0, prices: ["A": 10, "B": 10], targets: ["A": 0.5, "B": 0.5],
                feeRate: 0.001, slippageRate: 0.0005, minTrade: 1))
        #expect(plan.trades.map(\.symbol) == ["A", "B"])
        #expect(plan.trades.map(\.side) == [.sell, .buy])
        #expect(abs(plan.trades[0].notional - 50.075) < 1e-9)
        #expect(abs(plan.trades[0].quantity - 5.0075) < 1e-9)
        #expect(abs(plan.trades[1].notional - 49.925) < 1e-9)
        #expect(abs(plan.trades[1].fee - 0.049925) < 1e-12)
        #expect(abs(plan.trades[1].executionPrice - 10.005) < 1e-12)
        #expect(abs(plan.trades[0].executionPrice - 9.995) < 1e-12)
        #expect(abs(plan.navAfter - 99.85) < 1e-9)
        #expect(abs(plan.fees - 0.1) < 1e-12)
        #expect(abs(plan.slippage - 0.05) < 1e-12)
        #expect(abs(plan.cashAfter) < 1e-9)
        #expect(abs(plan.turnover - 0.5) < 1e-12)
        #expect(abs(plan.holdingsAfter["A"]! - 4.9925) < 1e-9)
        #expect(abs(plan.holdingsAfter["B"]! - 4.9925) < 1e-9)
        for w in plan.weights { #expect(abs(w.after - 0.5) < 1e-9) }
    }

    @Test func aTradeBelowMinTradeIsSkippedAndReported() throws {
        // A is 5 under target (value 45, target 50 of NAV 100), B 5 over: both below min_trade 10.
        let plan = try RebalancePlanner.plan(
            PlanInput(
                holdings: ["A": 45, "B": 55], cash: 0, prices: ["A": 1, "B": 1], targets: ["A": 0.5, "B": 0.5],
                feeRate: 0, slippageRate: 0, minTrade: 10))
        #expect(plan.trades.isEmpty)
        #expect(plan.skipped.map(\.symbol).sorted() == ["A", "B"])
        for s in plan.skipped {
            #expect(abs(s.notional - 5) < 1e-9)
            #expect(s.reason.contains("min_trade"))
        }
        #expect(plan.navAfter == 100)
    }

    @Test func aFullExitIsSoldEvenBelowMinTrade() throws {
        let plan = try RebalancePlanner.plan(
            PlanInput(
                holdings: ["A": 95, "DUST": 2], cash: 0, prices: ["A": 1, "DUST": 1], targets: ["A": 1],
                feeRate: 0, slippageRate: 0, minTrade: 10))
        let dust = plan.trades.first { $0.symbol == "DUST" }
        #expect(dust?.side == .sell)
        #expect(dust?.quantity == 2)
        #expect(plan.holdingsAfter["DUST"] == nil)
    }

    @Test func aMissingPriceIsAnError() {
        #expect(throws: PlanError.self) {
            _ = try RebalancePlanner.plan(
                PlanInput(
                    holdings: ["A": 1], cash: 0, prices: [:], targets: ["A": 1], feeRate: 0, slippageRate: 0,
                    minTrade: 0))
        }
    }

    @Test func invariantsHoldOnRandomPortfolios() throws {
        var rng = SeededGenerator(seed: 2026)
        for _ in 0..<200 {
            let input = randomInput(&rng, noSell: false)
            let plan = try RebalancePlanner.plan(input)
            let rate = input.feeRate + input.slippageRate
            let nav = input.cash + value(input.holdings, input.prices)
            let context = "input \(input)"
            #expect(abs(plan.navBefore - nav) <= 1e-9 * nav, "\(context)")
            // Cash never goes negative, quantities never negative.
            #expect(plan.cashAfter >= 0, "\(context)")
            for t in plan.trades {
                #expect(t.quantity > 0, "\(context)")
                #expect(abs(t.notional - t.quantity * t.price) <= 1e-9 * max(1, t.notional), "\(context)")
                #expect(abs(t.fee - t.notional * input.feeRate) <= 1e-9 * max(1, t.notional))
                #expect(abs(t.slippage - t.notional * input.slippageRate) <= 1e-9 * max(1, t.notional))
            }
            for (_, q) in plan.holdingsAfter { #expect(q >= 0, "\(context)") }
            // Costs are Σ|notional| × (fee + slippage).
            let traded = plan.trades.reduce(0) { $0 + $1.notional }
            #expect(abs(plan.fees + plan.slippage - traded * rate) <= 1e-9 * max(1, traded), "\(context)")
            #expect(abs(plan.navAfter - (nav - traded * rate)) <= 1e-9 * nav, "\(context)")
            // Sells come before buys.
            if let lastSell = plan.trades.lastIndex(where: { $0.side == .sell }),
                let firstBuy = plan.trades.firstIndex(where: { $0.side == .buy })
            {
                #expect(lastSell < firstBuy, "\(context)")
            }
            // The books balance: holdings after plus cash after equal the NAV after.
            let after = value(plan.holdingsAfter, input.prices) + plan.cashAfter
            #expect(abs(after - plan.navAfter) <= 1e-8 * nav, "\(context)")
            // Trades respect min_trade (full exits excepted) and skipped ones are reported as below it.
            for t in plan.trades where t.side == .buy || (input.targets[t.symbol] ?? 0) > 0 {
                #expect(t.notional >= input.minTrade - 1e-9, "\(context)")
            }
            for s in plan.skipped { #expect(s.notional < input.minTrade, "\(context)") }
            // Every symbol is on target after the plan unless its trade was reported as skipped.
            let skipped = Set(plan.skipped.map(\.symbol))
            let symbols = Set(input.targets.keys).union(input.holdings.keys)
            for s in symbols where !skipped.contains(s) {
                let w = (plan.holdingsAfter[s] ?? 0) * input.prices[s]! / plan.navAfter
                let target = input.targets[s] ?? 0
                // Within what skipped trades elsewhere could have moved (none when nothing was skipped).
                let slack = plan.skipped.reduce(0) { $0 + $1.notional * (1 + rate) } / plan.navAfter
                #expect(abs(w - target) <= 1e-7 + slack, "\(s) weight \(w) target \(target) \(context)")
            }
            if plan.skipped.isEmpty {
                for w in plan.weights { #expect(abs(w.after - w.target) <= 1e-7, "\(context)") }
            }
        }
    }

    @Test func noSellPlansOnlyBuysAndNeverOverspends() throws {
        var rng = SeededGenerator(seed: 77)
        var sawBuys = false
        for _ in 0..<200 {
            let input = randomInput(&rng, noSell: true)
            let plan = try RebalancePlanner.plan(input)
            let rate = input.feeRate + input.slippageRate
            let context = "input \(input)"
            #expect(plan.trades.allSatisfy { $0.side == .buy }, "\(context)")
            let spent = plan.trades.reduce(0) { $0 + $1.notional * (1 + rate) }
            #expect(spent <= input.cash + 1e-9 * max(1, input.cash), "\(context)")
            #expect(plan.cashAfter >= 0, "\(context)")
            #expect(abs(plan.cashAfter - (input.cash - spent)) <= 1e-8 * max(1, input.cash), "\(context)")
            for (s, q) in input.holdings { #expect((plan.holdingsAfter[s] ?? 0) >= q - 1e-12, "\(context)") }
            // No buy pushes a symbol above its target.
            for t in plan.trades {
                let w = plan.holdingsAfter[t.symbol]! * input.prices[t.symbol]! / plan.navAfter
                #expect(w <= (input.targets[t.symbol] ?? 0) + 1e-7, "\(context)")
            }
            sawBuys = sawBuys || !plan.trades.isEmpty
        }
        #expect(sawBuys)
    }

    @Test func noSellBuysTheUnderweightsFirstFromCash() throws {
        // NAV 200: A 100 (target 25 %, overweight), B 0 (target 75 %), cash 100: only B is bought, with all
        // the cash net of costs.
        let plan = try RebalancePlanner.plan(
            PlanInput(
                holdings: ["A": 100], cash: 100, prices: ["A": 1, "B": 2], targets: ["A": 0.25, "B": 0.75],
                feeRate: 0.001, slippageRate: 0, minTrade: 1, noSell: true))
        #expect(plan.trades.count == 1)
        #expect(plan.trades.first?.symbol == "B")
        #expect(abs(plan.trades[0].notional - 100 / 1.001) < 1e-9)
        #expect(abs(plan.cashAfter) < 1e-9)
    }

    @Test func aWithdrawalPaysExactlyTheAmount() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<100 {
            let input = randomInput(&rng, noSell: false)
            let rate = input.feeRate + input.slippageRate
            let invested = value(input.holdings, input.prices)
            let payable = invested * (1 - rate) + input.cash
            let amount = payable * Double.random(in: 0.01...1, using: &rng)
            let plan = try RebalancePlanner.withdrawal(
                amount: amount, holdings: input.holdings, cash: input.cash, prices: input.prices,
                feeRate: input.feeRate, slippageRate: input.slippageRate)
            #expect(plan.trades.allSatisfy { $0.side == .sell })
            let proceeds = plan.trades.reduce(0) { $0 + $1.notional - $1.fee - $1.slippage }
            let paid = proceeds + plan.cashBefore - plan.cashAfter
            #expect(abs(paid - amount) <= 1e-9 * max(1, amount), "amount \(amount) paid \(paid)")
            #expect(plan.cashAfter >= 0)
            #expect(abs(plan.navAfter - (plan.navBefore - plan.costs - amount)) <= 1e-9 * plan.navBefore)
            // Pro rata: every holding keeps the same share of what it was.
            let phi = amount / payable
            for (s, q) in input.holdings where q > 0 {
                #expect(abs((plan.holdingsAfter[s] ?? 0) - q * (1 - phi)) <= 1e-9 * q)
            }
        }
    }

    @Test func aWithdrawalWorkedByHand() throws {
        // A 10 at 10, cash 100, fee 1 %, no slippage: payable 100·.99 + 100 = 199; withdrawing 99.5 is
        // half of it: sell 5 A (50, fee .5), pay 49.5 + 50 of cash.
        let plan = try RebalancePlanner.withdrawal(
            amount: 99.5, holdings: ["A": 10], cash: 100, prices: ["A": 10], feeRate: 0.01, slippageRate: 0)
        #expect(plan.trades.count == 1)
        #expect(abs(plan.trades[0].quantity - 5) < 1e-12)
        #expect(abs(plan.fees - 0.5) < 1e-12)
        #expect(abs(plan.cashAfter - 50) < 1e-9)
        #expect(abs(plan.navAfter - 100) < 1e-9)
    }

    @Test func aWithdrawalAboveWhatCanBePaidThrows() {
        #expect(throws: PlanError.self) {
            _ = try RebalancePlanner.withdrawal(
                amount: 199.01, holdings: ["A": 10], cash: 100, prices: ["A": 10], feeRate: 0.01, slippageRate: 0)
        }
    }
}
