import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    func importCommand(_ args: inout Args) throws -> Int32 {
        let kind = try args.positional("what to import (prices or signals)")
        let file = try args.positional("file")
        try args.finish()
        let store = try openStore()
        switch kind {
        case "prices":
            // One streaming pass, one transaction (rows and NAV points); any error stores nothing.
            let count = try wrap {
                try store.importPrices(path: file, file: file, bounds: try inputTimeBounds(store))
            }
            if json {
                Output.json(["imported": count, "file": file])
            } else {
                Output.line("imported \(count) prices from \(file)")
            }
        case "signals":
            let known = Set(try store.assets().map(\.symbol))
            let signals = try wrap {
                try SignalFile.parse(
                    try readFile(file), file: file, knownSymbols: known, bounds: try inputTimeBounds(store))
            }
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

    /// The plausible times of imported data: 2009-01-03 to now + 1 day, or as `INDEXTOP_TIME_MIN` /
    /// `INDEXTOP_TIME_MAX_AHEAD` say.
    func inputTimeBounds(_ store: PortfolioStore) throws -> TimeBounds {
        try TimeBounds(now: store.clock(), environment: ProcessInfo.processInfo.environment)
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
