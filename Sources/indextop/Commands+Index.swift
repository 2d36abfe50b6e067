import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    func readFile(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure("\(path): cannot read file")
        }
        return data
    }

    func initCommand(_ args: inout Args) throws -> Int32 {
        let demo = args.flag("--demo")
        try args.finish()
        let existed = FileManager.default.fileExists(atPath: dbPath)
        let store = try openStore(create: true)
        if demo {
            if try !store.indices().isEmpty || store.priceCount() > 0 {
                throw Failure("\(dbPath): already holds data; --demo needs an empty database")
            }
            try DemoSeeder.seed(store, now: store.clock())
            Output.line(
                "created the demo in \(dbPath): \(try store.indices().count) indices, \(try store.priceCount()) prices")
        } else {
            Output.line(
                existed ? "\(dbPath) is up to date (schema \(PortfolioStore.schemaVersion))" : "created \(dbPath)")
        }
        return ExitCode.success
    }

    func indexCommand(_ args: inout Args) throws -> Int32 {
        let sub = try args.positional("subcommand (create, list, show, rm)")
        switch sub {
        case "create":
            let file = try args.positional("spec file")
            try args.finish()
            let spec: IndexSpec
            do {
                spec = try IndexSpec.parse(try readFile(file), file: file)
            } catch let e as InputError {
                throw Failure(e.description, bare: true)
            }
            let store = try openStore()
            Self.warnUnknownCaps(spec, store: store)
            let r: RebalanceRecord
            do {
                r = try store.createIndex(spec)
            } catch let e as MethodologyError {
                throw Failure(e.description)
            } catch let e as StoreError {
                throw Failure(e.message)
            }
            if json {
                Output.json(Printers.rebalance(r, status: "applied"))
            } else {
                Output.line(
                    "created index \(spec.slug) (\(spec.name)): \(r.trades.count) trades, NAV \(Output.money(r.navAfter))"
                )
            }
        case "list":
            try args.finish()
            let store = try openStore()
            var rows: [IndexListJSON] = []
            var table: [[String]] = []
            for idx in try store.indices() {
                let v = try store.valuation(idx)
                let next = try store.nextRebalance(idx)
                rows.append(
                    IndexListJSON(
                        slug: idx.slug, name: idx.name, methodology: idx.spec.methodology.kind.rawValue,
                        nav: .init(v.nav), navPerUnit: .init(v.navPerUnit), units: .init(idx.units),
                        change24h: .init(v.change24h), drift: .init(v.maxDrift),
                        nextRebalance: next.map(UTCCalendar.iso),
                        cash: .init(idx.cash)))
                table.append([
                    idx.slug, idx.name, idx.spec.methodology.kind.rawValue, Output.money(v.nav),
                    Output.money(v.navPerUnit), Output.pct(v.change24h), Output.pct(v.maxDrift, signed: false),
                    next.map(UTCCalendar.isoDate) ?? "—",
                ])
            }
            if json {
                Output.json(rows)
            } else if table.isEmpty {
                Output.line("no indices (create one with `indextop index create FILE.json`)")
            } else {
                Output.table(
                    ["SLUG", "NAME", "METHOD", "NAV", "NAV/UNIT", "24H", "DRIFT", "NEXT"], table, right: [3, 4, 5, 6])
            }
        case "show":
            let slug = try args.positional("index slug")
            try args.finish()
            let store = try openStore()
            let idx = try wrap { try store.index(slug) }
            if json {
                Output.json(idx.spec.jsonObject())
            } else {
                Output.line("\(idx.slug) — \(idx.name)")
                Output.line("  \(idx.spec.summary)")
                Output.line(
                    "  created \(UTCCalendar.iso(idx.created)), units \(Output.qty(idx.units)), cash \(Output.money(idx.cash))"
                )
                let data = try JSONSerialization.data(
                    withJSONObject: idx.spec.jsonObject(),
                    options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                Output.line(String(decoding: data, as: UTF8.self))
            }
        case "rm":
            let slug = try args.positional("index slug")
            try args.finish()
            let store = try openStore()
            try wrap { try store.removeIndex(slug) }
            if !json { Output.line("removed index \(slug)") } else { Output.json(["removed": slug]) }
        default:
            throw UsageError("unknown index subcommand '\(sub)' (create, list, show, rm)")
        }
        return ExitCode.success
    }

    /// Turns store errors into failures.
    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            throw Failure(e.message)
        } catch let e as MethodologyError {
            throw Failure(e.description)
        } catch let e as PlanError {
            throw Failure(e.message)
        } catch let e as InputError {
            throw Failure(e.description, bare: true)
        }
    }

    func holdingsCommand(_ args: inout Args) throws -> Int32 {
        let slug = try args.positional("index slug")
        try args.finish()
        let store = try openStore()
        let v = try wrap { try store.valuation(slug) }
        let labels = try store.latestSignalLabels()
        if json {
            Output.json(Printers.holdings(v, labels: labels))
            return ExitCode.success
        }
        Output.line(
            "\(v.index.slug) — \(v.index.name)  NAV \(Output.money(v.nav))  per unit \(Output.money(v.navPerUnit))  24h \(Output.pct(v.change24h))  cash \(Output.money(v.index.cash))  at \(UTCCalendar.iso(v.time))"
        )
        Output.line(v.index.spec.summary)
        Output.table(
            ["SYMBOL", "QUANTITY", "PRICE", "VALUE", "WEIGHT", "TARGET", "DRIFT", "24H", "SIGNAL", "P&L"],
            v.holdings.map { h in
                [
                    h.symbol, Output.qty(h.quantity), Output.price(h.price), Output.money(h.value),
                    Output.pct(h.weight, signed: false), Output.pct(h.target, signed: false), Output.pct(h.drift),
                    Output.pct(h.change24h), labels[h.symbol] ?? "—", Output.money(h.pnl),
                ]
            }, right: [1, 2, 3, 4, 5, 6, 7, 9])
        return ExitCode.success
    }
}
