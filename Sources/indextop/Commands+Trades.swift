import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    /// `indextop trades import FILE [--index SLUG] [--format generic|binance|coinbase|kraken]`.
    func tradesCommand(_ args: inout Args) throws -> Int32 {
        let sub = try args.positional("subcommand (import)")
        guard sub == "import" else { throw UsageError("unknown trades subcommand '\(sub)' (import)") }
        let slugOpt = try args.option("--index")
        let formatText = try args.option("--format")
        let file = try args.positional("trades file")
        try args.finish()
        let format = try formatText.map { f -> TradeFormat in
            guard let v = TradeFormat(rawValue: f) else {
                throw UsageError("--format must be generic, binance, coinbase or kraken, not '\(f)'")
            }
            return v
        }
        let store = try openStore()
        let slug: String
        if let slugOpt {
            slug = slugOpt
        } else {
            let tracked = try store.indices().filter { $0.kind == .tracked }.map(\.slug)
            guard tracked.count == 1 else {
                throw UsageError(
                    tracked.isEmpty
                        ? "no tracked index: create one with `indextop index create SPEC --tracked`"
                        : "--index SLUG is needed (tracked indices: \(tracked.joined(separator: ", ")))")
            }
            slug = tracked[0]
        }
        let lines = try wrap { try TradeFile.parse(try readFile(file), file: file, format: format) }
        let r = try wrap { try store.importTrades(lines, into: slug, file: file) }
        if json {
            Output.json(
                TrackedJSON.Import(
                    index: slug, file: file, format: format?.rawValue ?? "auto", imported: r.imported,
                    skipped: r.skipped))
        } else {
            Output.line(
                "imported \(r.imported) trades into \(slug) from \(file)"
                    + (r.skipped > 0 ? " (\(r.skipped) already imported, skipped)" : ""))
        }
        return ExitCode.success
    }

    /// `indextop pnl SLUG [--method fifo|average] [--year YYYY]`.
    func pnlCommand(_ args: inout Args) throws -> Int32 {
        let methodText = try args.option("--method") ?? "fifo"
        let year = try args.int("--year")
        let slug = try args.positional("index slug")
        try args.finish()
        guard let method = CostMethod(rawValue: methodText) else {
            throw UsageError("--method must be fifo or average, not '\(methodText)'")
        }
        if let year, !(1970...9999).contains(year) { throw UsageError("--year: \(year) is not a year") }
        let store = try openStore()
        let r = try wrap { try store.pnl(slug, method: method, year: year) }
        let time = try store.latestPriceTime() ?? store.clock()
        if json {
            Output.json(
                TrackedJSON.PnL(
                    index: slug, method: method.rawValue, year: year, time: UTCCalendar.iso(time),
                    assets: r.assets.map {
                        TrackedJSON.PnLAsset(
                            symbol: $0.symbol, quantity: $0.quantity, costBasis: JSONNumber($0.costBasis),
                            averageCost: JSONNumber($0.averageCost), price: JSONNumber($0.price),
                            value: JSONNumber($0.value), realised: JSONNumber($0.realised),
                            unrealised: JSONNumber($0.unrealised), fees: JSONNumber($0.fees))
                    },
                    total: TrackedJSON.PnLTotal(
                        costBasis: JSONNumber(r.costBasis), value: JSONNumber(r.value),
                        realised: JSONNumber(r.realised),
                        unrealised: JSONNumber(r.unrealised), fees: JSONNumber(r.fees)),
                    realisedByYear: r.realisedByYear.map {
                        TrackedJSON.YearRealised(year: $0.year, realised: JSONNumber($0.realised))
                    }))
            return ExitCode.success
        }
        Output.line(
            "\(slug): P&L by \(method == .fifo ? "FIFO" : "average cost"), realised \(year.map { "in \($0)" } ?? "all years"), unrealised at \(UTCCalendar.iso(time))"
        )
        var rows = r.assets.map {
            [
                $0.symbol, Output.qty($0.quantity), Output.price($0.averageCost), Output.money($0.costBasis),
                Output.price($0.price), Output.money($0.value), Output.money($0.realised), Output.money($0.unrealised),
                Output.money($0.fees),
            ]
        }
        rows.append([
            "TOTAL", "", "", Output.money(r.costBasis), "", Output.money(r.value), Output.money(r.realised),
            Output.money(r.unrealised), Output.money(r.fees),
        ])
        Output.table(
            ["SYMBOL", "QUANTITY", "AVG COST", "COST BASIS", "PRICE", "VALUE", "REALISED", "UNREALISED", "FEES"], rows,
            right: Set(1...8))
        if !r.realisedByYear.isEmpty {
            Output.line(
                "realised by year: "
                    + r.realisedByYear.map { "\($0.year) \(Output.money($0.realised))" }.joined(separator: ", "))
        }
        return ExitCode.success
    }

    /// `rebalance SLUG --orders csv|json` (changes nothing) and `rebalance SLUG --fills FILE`.
    func executionRebalanceCommand(_ args: inout Args, orders ordersFormat: String?, fills fillsFile: String?) throws
        -> Int32
    {
        let format = try args.option("--format")
        let slug = try args.positional("index slug")
        try args.finish()
        if ordersFormat != nil, fillsFile != nil { throw UsageError("--orders and --fills do not go together") }
        if let ordersFormat {
            guard ordersFormat == "csv" || ordersFormat == "json" else {
                throw UsageError("--orders must be csv or json, not '\(ordersFormat)'")
            }
            let store = try openStore()
            let (id, orders) = try wrap { try store.orders(slug) }
            if ordersFormat == "json" || json {
                Output.json(
                    TrackedJSON.Orders(
                        index: slug, rebalanceId: id, status: id == nil ? "preview" : "planned",
                        orders: orders.map {
                            TrackedJSON.OrderRow(
                                symbol: $0.symbol, side: $0.side.rawValue, quantity: $0.quantity,
                                limitPrice: $0.limitPrice, notional: $0.notional)
                        }))
            } else {
                Output.line("symbol,side,quantity,limit_price,notional")
                for o in orders {
                    Output.line("\(o.symbol),\(o.side.rawValue),\(o.quantity),\(o.limitPrice),\(o.notional)")
                }
            }
            return ExitCode.success
        }
        guard let fillsFile else { throw UsageError("--orders FORMAT or --fills FILE") }
        let tradeFormat = try format.map { f -> TradeFormat in
            guard let v = TradeFormat(rawValue: f) else { throw UsageError("--format: unknown format '\(f)'") }
            return v
        }
        let store = try openStore()
        let lines = try wrap { try TradeFile.parse(try readFile(fillsFile), file: fillsFile, format: tradeFormat) }
        let e = try wrap { try store.recordFills(lines, for: slug, file: fillsFile) }
        if json {
            Output.json(
                TrackedJSON.Execution(
                    index: slug, rebalanceId: e.rebalanceID, status: "executed", shortfall: JSONNumber(e.shortfall),
                    shortfallBp: JSONNumber(e.shortfallBp), fills: e.fills.map(TrackedJSON.Fill.init)))
            return ExitCode.success
        }
        Output.line("\(slug): rebalance \(e.rebalanceID) executed")
        printExecution(e)
        return ExitCode.success
    }

    func printExecution(_ e: ExecutionReport) {
        Output.table(
            ["SIDE", "SYMBOL", "PLANNED", "FILLED", "PLANNED PRICE", "FILL PRICE", "FEES", "SHORTFALL", "BP"],
            e.fills.map {
                [
                    $0.side.rawValue, $0.symbol, Output.qty($0.plannedQuantity), Output.qty($0.quantity),
                    Output.price($0.plannedPrice), Output.price($0.price), Output.money($0.fees),
                    Output.money($0.shortfall), $0.shortfallBp.map { String(format: "%.1f", $0) } ?? "—",
                ]
            }, right: Set(2...8))
        Output.line(
            "implementation shortfall \(Output.money(e.shortfall)) (\(e.shortfallBp.map { String(format: "%.1f bp", $0) } ?? "—"))"
        )
    }

    /// The `history` entry of `r`, with its execution (shortfall and fills) once executed.
    func historyEntry(_ r: RebalanceRecord, _ store: PortfolioStore) throws -> TrackedJSON.HistoryEntry {
        TrackedJSON.HistoryEntry(rebalance: Printers.rebalance(r), execution: try store.execution(r.id))
    }

    /// `holdings SLUG --check FILE`: every difference between the holdings and a balances CSV
    /// (`symbol,quantity`); exit 1 when there is one.
    func checkHoldings(_ slug: String, file: String) throws -> Int32 {
        let balances = try wrap { try BalanceFile.parse(try readFile(file), file: file) }
        let store = try openStore()
        let diffs = try wrap { try store.reconcile(slug, balances: balances) }
        if json {
            Output.json(
                TrackedJSON.Check(
                    index: slug, file: file, matches: diffs.isEmpty,
                    differences: diffs.map {
                        TrackedJSON.Difference(
                            symbol: $0.symbol, model: $0.model, file: $0.file, difference: $0.file - $0.model)
                    }))
        } else if diffs.isEmpty {
            Output.line("\(slug): holdings match \(file)")
        } else {
            Output.table(
                ["SYMBOL", "MODEL", "FILE", "DIFFERENCE"],
                diffs.map {
                    [$0.symbol, Output.qty($0.model), Output.qty($0.file), String(format: "%+.8g", $0.file - $0.model)]
                }, right: [1, 2, 3])
            Output.line("\(diffs.count) difference\(diffs.count == 1 ? "" : "s") between \(slug) and \(file)")
        }
        return diffs.isEmpty ? ExitCode.success : ExitCode.failure
    }
}
