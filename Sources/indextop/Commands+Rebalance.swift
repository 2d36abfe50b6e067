import Foundation
import IndexCore
import PortfolioStore
import Vault

extension CLI {
    func rebalanceCommand(_ args: inout Args) throws -> Int32 {
        let due = args.flag("--due")
        let apply = args.flag("--apply")
        let noSell = args.flag("--no-sell")
        let reason = try args.option("--reason")
        let passphrase = try VaultBridge.passphraseOptions(&args)
        // Arguments are checked before the database is opened, so a usage error is always exit 2.
        let slug = due ? nil : try args.positional("index slug (or --due)")
        try args.finish()
        let store = try openStore()
        guard let slug else {
            let now = try store.latestPriceTime() ?? store.clock()
            var results: [RebalanceJSON] = []
            var lines: [String] = []
            let dueIndices = try store.indices().filter { idx in
                try store.dueTrigger(idx, at: now) != nil || (try store.nextDCA(idx)).map { $0 <= now } == true
            }
            if !dueIndices.isEmpty {
                let vault = try VaultBridge.stepUp(
                    store: store, env: env, action: "rebalance.apply", detail: ["due": "\(dueIndices.count)"],
                    passphrase)
                VaultBridge.auditApplies(of: store, in: vault, by: "cli")
            }
            for idx in dueIndices {
                var skipped: [Int64: [SkippedTrade]] = [:]
                let done = try wrap {
                    try store.runDue(idx.slug, at: now) { plan, r in skipped[r.id] = plan.plan.skipped }
                }
                for r in done {
                    // The shape of `rebalance SLUG` (DESIGN §12), skipped trades included.
                    var o = Printers.rebalance(r, status: "applied")
                    o.skipped = Printers.skipped(skipped[r.id] ?? [])
                    results.append(o)
                    lines.append(
                        "\(r.indexSlug): \(r.trigger) — \(r.trades.count) trades, turnover \(Output.pct(r.turnover, signed: false)), costs \(Output.money(r.fees + r.slippage))"
                    )
                }
            }
            evaluateAlerts(store)  // an applied rebalance clears its drift and due alerts
            if json {
                Output.json(results)
            } else {
                Output.line(lines.isEmpty ? "nothing due" : lines.joined(separator: "\n"))
            }
            return ExitCode.success
        }
        if let idx = try? store.index(slug) { Self.warnUnknownCaps(idx.spec, store: store) }
        let plan = try wrap { try store.planRebalance(slug, trigger: .manual, noSell: noSell) }
        if !apply {
            if json { Output.json(Printers.plan(plan, status: "preview")) } else { printPlan(plan, applied: false) }
            return ExitCode.success
        }
        let vault = try VaultBridge.stepUp(
            store: store, env: env, action: "rebalance.apply", detail: ["index": slug], passphrase)
        VaultBridge.auditApplies(of: store, in: vault, by: "cli")
        let done = try wrap { try store.applyConfirmed(plan, reason: reason ?? "manual rebalance") }
        evaluateAlerts(store)
        if json {
            var o = Printers.plan(done.plan, status: "applied", id: done.record.id, reason: done.record.reason)
            o.replanned = done.replanned
            Output.json(o)
        } else {
            if done.replanned {
                Output.line(
                    "\(slug): prices moved while confirming; re-planned at \(UTCCalendar.iso(done.plan.pricesTime)) (same trades within 1 %)"
                )
            }
            printPlan(done.plan, applied: true)
        }
        return ExitCode.success
    }

    func printPlan(_ p: StoredPlan, applied: Bool) {
        let plan = p.plan
        Output.line(
            "\(p.slug): \(applied ? "applied" : "preview (dry run; --apply to execute)") — trigger \(p.trigger.rawValue), prices at \(UTCCalendar.iso(p.pricesTime))"
        )
        Output.line(
            "NAV \(Output.money(plan.navBefore)) → \(Output.money(plan.navAfter))  turnover \(Output.pct(plan.turnover, signed: false))  fees \(Output.money(plan.fees))  slippage \(Output.money(plan.slippage))  cash after \(Output.money(plan.cashAfter))"
        )
        if plan.trades.isEmpty {
            Output.line("no trades: the index is on target")
        } else {
            Output.table(
                ["SIDE", "SYMBOL", "QUANTITY", "PRICE", "NOTIONAL", "FEE"],
                plan.trades.map {
                    [
                        $0.side.rawValue, $0.symbol, Output.qty($0.quantity), Output.price($0.price),
                        Output.money($0.notional), Output.money($0.fee),
                    ]
                }, right: [2, 3, 4, 5])
        }
        for s in plan.skipped { Output.line("skipped \(s.symbol) \(Output.money(s.notional)): \(s.reason)") }
        Output.line("")
        Output.table(
            ["SYMBOL", "BEFORE", "TARGET", "AFTER"],
            plan.weights.map {
                [
                    $0.symbol, Output.pct($0.before, signed: false), Output.pct($0.target, signed: false),
                    Output.pct($0.after, signed: false),
                ]
            }, right: [1, 2, 3])
    }

    func historyCommand(_ args: inout Args) throws -> Int32 {
        let limit = try args.int("--limit")
        let slug = try args.positional("index slug")
        try args.finish()
        let store = try openStore()
        let list = try wrap { try store.history(slug, limit: limit) }
        if json {
            Output.json(list.map { Printers.rebalance($0) })
            return ExitCode.success
        }
        Output.table(
            ["ID", "TIME", "TRIGGER", "NAV BEFORE", "NAV AFTER", "TURNOVER", "FEES", "TRADES", "REASON"],
            list.map {
                [
                    "\($0.id)", UTCCalendar.iso($0.time), $0.trigger, Output.money($0.navBefore),
                    Output.money($0.navAfter),
                    Output.pct($0.turnover, signed: false), Output.money($0.fees), "\($0.trades.count)", $0.reason,
                ]
            }, right: [0, 3, 4, 5, 6, 7])
        return ExitCode.success
    }

    func performanceCommand(_ args: inout Args) throws -> Int32 {
        let slug = try args.positional("index slug")
        try args.finish()
        let store = try openStore()
        let r = try wrap { try store.performance(slug) }
        if json {
            Output.json(Printers.performance(slug, r))
            return ExitCode.success
        }
        Output.line("\(slug): \(UTCCalendar.isoDate(r.figures.from)) → \(UTCCalendar.isoDate(r.figures.to))")
        func row(_ name: String, _ f: PerformanceFigures?) -> [String] {
            guard let f else { return [name, "—", "—", "—", "—", "—", "—", "—", "—", "—"] }
            return [
                name, Output.pct(f.return24h), Output.pct(f.return7d), Output.pct(f.return30d), Output.pct(f.returnAll),
                Output.pct(f.cagr), Output.pct(f.volatility, signed: false),
                f.sharpe.map { String(format: "%.2f", $0) } ?? "—",
                f.sortino.map { String(format: "%.2f", $0) } ?? "—", Output.pct(f.maxDrawdown),
            ]
        }
        Output.table(
            ["", "24H", "7D", "30D", "ALL", "CAGR", "VOL", "SHARPE", "SORTINO", "MAX DD"],
            [row(slug, r.figures), row("BTC", r.btc), row("buy & hold", r.buyAndHold)],
            right: Set(1...9))
        if let a = r.figures.returnAll, let b = r.buyAndHold?.returnAll {
            Output.line("rebalancing gain vs buy & hold: \(Output.pct(a - b))")
        }
        return ExitCode.success
    }

    func cashFlowCommand(_ args: inout Args, deposit: Bool) throws -> Int32 {
        let slug = try args.positional("index slug")
        let amountText = try args.positional("amount")
        try args.finish()
        // The one number parser: decimal only, finite, no trailing bytes, > 0 and at most 1e12.
        guard case .success(let amount) = StrictNumber.parse(amountText), amount > 0,
            amount <= NumberLimits.cashAmount.upperBound
        else {
            throw UsageError(
                "amount \(InputError.quote(amountText)) must be a positive decimal number of at most 1e12")
        }
        let store = try openStore()
        let plan = try wrap {
            deposit ? try store.planDeposit(slug, amount: amount) : try store.planWithdrawal(slug, amount: amount)
        }
        let r = try wrap {
            try store.apply(plan, reason: deposit ? "deposit of \(amountText)" : "withdrawal of \(amountText)")
        }
        let v = try store.valuation(slug)
        if json {
            Output.json(
                CashFlowJSON(
                    index: slug, amount: .init(amount), units: .init(plan.unitsDelta), navPerUnit: .init(v.navPerUnit),
                    nav: .init(v.nav), rebalanceId: r.id, fees: .init(plan.plan.fees),
                    slippage: .init(plan.plan.slippage), trades: plan.plan.trades.map(Printers.trade)))
        } else {
            Output.line(
                "\(slug): \(deposit ? "deposited" : "withdrew") \(Output.money(amount)) — \(deposit ? "issued" : "redeemed") \(Output.qty(abs(plan.unitsDelta))) units at \(Output.money(v.navPerUnit)), \(plan.plan.trades.count) trades, costs \(Output.money(plan.plan.costs))"
            )
        }
        return ExitCode.success
    }
}
