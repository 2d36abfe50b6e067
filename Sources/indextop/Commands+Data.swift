import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    func importCommand(_ args: inout Args) throws -> Int32 {
        let kind = try args.positional("what to import (prices or signals)")
        let file = try args.positional("file")
        try args.finish()
        let store = try openStore()
        let known = Set(try store.assets().map(\.symbol))
        switch kind {
        case "prices":
            let points = try wrap { try PriceFile.parse(try readFile(file), file: file, knownSymbols: known) }
            try wrap { try store.insertPrices(points, source: "import") }
            try? store.recordNAVs(minInterval: 0)
            if json {
                Output.json(["imported": points.count, "file": file])
            } else {
                Output.line("imported \(points.count) prices from \(file)")
            }
        case "signals":
            let signals = try wrap { try SignalFile.parse(try readFile(file), file: file, knownSymbols: known) }
            try wrap { try store.insertImportedSignals(signals) }
            if json {
                Output.json(["imported": signals.count, "file": file])
            } else {
                Output.line("imported \(signals.count) signals from \(file)")
            }
        default:
            throw UsageError("import takes 'prices' or 'signals', not '\(kind)'")
        }
        return ExitCode.success
    }

    func exportCommand(_ args: inout Args) throws -> Int32 {
        let format = try args.option("--format") ?? (json ? "json" : "csv")
        let slug = try args.positional("index slug")
        try args.finish()
        guard format == "csv" || format == "json" else { throw UsageError("--format must be csv or json") }
        let store = try openStore()
        let idx = try wrap { try store.index(slug) }
        let navs = try store.totalNavSeries(slug)
        let perUnit = try store.navSeries(slug)
        switch format {
        case "json":
            let v = try store.valuation(idx)
            Output.json([
                "index": slug, "spec": idx.spec.jsonObject(),
                "nav": zip(navs, perUnit).map {
                    ["time": UTCCalendar.iso($0.time), "nav": $0.value, "nav_per_unit": $1.value]
                },
                "holdings": Printers.object(Printers.holdings(v, labels: try store.latestSignalLabels()).holdings),
                "rebalances": Printers.object(try store.history(slug).map { Printers.rebalance($0) }),
            ])
        case "csv":
            Output.line("time,nav,nav_per_unit")
            for (a, b) in zip(navs, perUnit) {
                Output.line("\(UTCCalendar.iso(a.time)),\(a.value),\(b.value)")
            }
        default:
            throw UsageError("--format must be csv or json")
        }
        return ExitCode.success
    }

    func backtestCommand(_ args: inout Args) throws -> Int32 {
        let fromText = try args.option("--from")
        let toText = try args.option("--to")
        let file = try args.positional("spec file")
        try args.finish()
        let spec = try wrap { try IndexSpec.parse(try readFile(file), file: file) }
        let from = try fromText.map { t -> Int64 in
            guard let v = UTCCalendar.parse(t) else { throw UsageError("--from: '\(t)' is not a date") }
            return v
        }
        let to = try toText.map { t -> Int64 in
            guard let v = UTCCalendar.parse(t) else { throw UsageError("--to: '\(t)' is not a date") }
            return v
        }
        let store = try openStore()
        // The replay runs under a slug no stored index has (and that passes the spec's own slug rule), inside
        // a transaction that is rolled back; the output shows the spec as given.
        var replayed = spec
        let taken = Set(try store.indices().map(\.slug))
        replayed.slug = "backtest-" + spec.slug
        while taken.contains(replayed.slug) { replayed.slug = "backtest-" + replayed.slug }
        let result = try wrap { try Backtester.run(replayed, store: store, from: from, to: to) }
        if json {
            var o = Printers.object(Printers.figures(result.figures)) as? [String: Any] ?? [:]
            o["spec"] = spec.jsonObject()
            o["nav"] = result.nav.map { ["time": UTCCalendar.iso($0.time), "nav": $0.value] }
            o["rebalances"] = result.rebalances
            o["turnover"] = result.turnover
            o["fees"] = result.fees
            o["slippage"] = result.slippage
            o["buy_and_hold"] = result.buyAndHold.map { Printers.object(Printers.figures($0)) } ?? NSNull()
            o["btc"] = result.btc.map { Printers.object(Printers.figures($0)) } ?? NSNull()
            Output.json(o)
        } else {
            let f = result.figures
            Output.line("backtest \(file): \(UTCCalendar.isoDate(f.from)) → \(UTCCalendar.isoDate(f.to))")
            Output.line(
                "return \(Output.pct(f.returnAll))  CAGR \(Output.pct(f.cagr))  vol \(Output.pct(f.volatility, signed: false))  Sharpe \(f.sharpe.map { String(format: "%.2f", $0) } ?? "—")  max DD \(Output.pct(f.maxDrawdown))"
            )
            Output.line(
                "\(result.rebalances) rebalances, turnover \(Output.pct(result.turnover, signed: false)), fees \(Output.money(result.fees)), slippage \(Output.money(result.slippage))"
            )
            if let b = result.buyAndHold {
                Output.line(
                    "buy & hold: return \(Output.pct(b.returnAll)), rebalancing gain \(Output.pct((f.returnAll ?? 0) - (b.returnAll ?? 0)))"
                )
            }
        }
        return ExitCode.success
    }
}

/// Replays a spec over stored prices inside a transaction that is always rolled back.
enum Backtester {
    struct Result {
        var figures: PerformanceFigures
        var nav: [ValuePoint]
        var rebalances: Int
        var turnover: Double
        var fees: Double
        var slippage: Double
        var buyAndHold: PerformanceFigures?
        var btc: PerformanceFigures?
    }

    static func run(_ spec: IndexSpec, store: PortfolioStore, from: Int64?, to: Int64?) throws -> Result {
        guard let latest = try store.latestPriceTime(),
            let earliest = try store.earliestPriceTime()
        else { throw StoreError("no stored prices to backtest on (import prices first)") }
        let end = min(to ?? latest, latest)
        let start = max(from ?? earliest, earliest)
        guard start < end else { throw StoreError("backtest period is empty") }
        return try store.rolledBack {
            try store.createIndex(spec, at: start)
            try store.replay(from: start + UTCCalendar.day, to: end, step: UTCCalendar.day, slugs: [spec.slug])
            let report = try store.performance(spec.slug)
            let hist = try store.history(spec.slug, withTrades: false)
            let result = Result(
                figures: report.figures, nav: try store.totalNavSeries(spec.slug), rebalances: hist.count,
                turnover: hist.reduce(0) { $0 + $1.turnover }, fees: hist.reduce(0) { $0 + $1.fees },
                slippage: hist.reduce(0) { $0 + $1.slippage },
                buyAndHold: report.buyAndHold, btc: report.btc)
            return result
        }
    }
}
