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
        evaluateAlerts(store)
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
}
