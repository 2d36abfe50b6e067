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
            let tracked = args.flag("--tracked")
            let file = try args.positional("spec file")
            try args.finish()
            let spec: IndexSpec
            do {
                spec = try IndexSpec.parse(try readFile(file), file: file)
            } catch let e as InputError {
                throw Failure(e.description, bare: true)
            }
            let store = try openStore()
            if tracked {
                let idx = try wrap { try store.createTrackedIndex(spec) }
                if json {
                    Output.json(["index": idx.slug, "kind": idx.kind.rawValue, "name": idx.name])
                } else {
                    Output.line(
                        "created tracked index \(spec.slug) (\(spec.name)): no holdings until `indextop trades import FILE --index \(spec.slug)`"
                    )
                }
                return ExitCode.success
            }
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
                        cash: .init(idx.cash), kind: idx.kind.rawValue))
                table.append([
                    idx.slug, idx.name, idx.kind.rawValue, idx.spec.methodology.kind.rawValue, Output.money(v.nav),
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
                    ["SLUG", "NAME", "KIND", "METHOD", "NAV", "NAV/UNIT", "24H", "DRIFT", "NEXT"], table,
                    right: [4, 5, 6, 7])
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

    func assetsCommand(_ args: inout Args) throws -> Int32 {
        let sub = try args.positional("subcommand (list, add, import)")
        switch sub {
        case "list":
            try args.finish()
            let store = try openStore()
            let latest = try store.latestPrices()
            let assets = try store.assets()
            if json {
                Output.json(
                    assets.map { a -> [String: Any] in
                        [
                            "symbol": a.symbol, "name": a.name, "sector": a.sector, "stablecoin": a.isStablecoin,
                            "coingecko_id": a.coingeckoId ?? NSNull(), "price": Output.num(latest[a.symbol]?.price),
                            "market_cap": Output.num(latest[a.symbol]?.marketCap),
                            "time": Output.time(latest[a.symbol]?.time),
                        ]
                    })
            } else {
                Output.table(
                    ["SYMBOL", "NAME", "SECTOR", "STABLE", "COINGECKO", "PRICE", "MARKET CAP"],
                    assets.map {
                        [
                            $0.symbol, $0.name, $0.sector, $0.isStablecoin ? "yes" : "", $0.coingeckoId ?? "",
                            Output.price(latest[$0.symbol]?.price), Output.money(latest[$0.symbol]?.marketCap),
                        ]
                    }, right: [5, 6])
            }
        case "add":
            let nameOption = try args.option("--name")
            let sector = try args.option("--sector") ?? ""
            let cg = try args.option("--coingecko-id")
            let stable = args.flag("--stablecoin")
            let symbol = try args.positional("symbol").uppercased()
            let name = nameOption ?? symbol
            try args.finish()
            guard symbol.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }), symbol.count <= 20 else {
                throw UsageError("symbol '\(symbol)' must be letters and digits")
            }
            let store = try openStore()
            try store.upsertAsset(
                Asset(symbol: symbol, name: name, sector: sector, isStablecoin: stable, coingeckoId: cg))
            if json { Output.json(["symbol": symbol]) } else { Output.line("added \(symbol)") }
        case "import":
            let file = try args.positional("CSV file")
            try args.finish()
            let list = try wrap { try AssetFile.parse(try readFile(file), file: file) }
            let store = try openStore()
            try store.upsertAssets(list)
            if json { Output.json(["imported": list.count]) } else { Output.line("imported \(list.count) assets") }
        default:
            throw UsageError("unknown assets subcommand '\(sub)' (list, add, import)")
        }
        return ExitCode.success
    }

    func holdingsCommand(_ args: inout Args) throws -> Int32 {
        let check = try args.option("--check")
        let slug = try args.positional("index slug")
        try args.finish()
        if let check { return try checkHoldings(slug, file: check) }  // Commands+Trades
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

/// Parses the assets CSV: `symbol,name,sector,coingecko_id,stablecoin`.
enum AssetFile {
    static func parse(_ data: Data, file: String) throws -> [Asset] {
        // "\r\n" is one Character in Swift: splitting on "\n" alone would not split CRLF files.
        let lines = String(decoding: data, as: UTF8.self).split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }
        )
        .map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        guard let head = lines.first, !head.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InputError(file: file, "empty file")
        }
        let cols = head.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard cols == ["symbol", "name", "sector", "coingecko_id", "stablecoin"] else {
            throw InputError(file: file, line: 1, field: "header", "must be symbol,name,sector,coingecko_id,stablecoin")
        }
        var out: [Asset] = []
        var seen = Set<String>()
        for (i, raw) in lines.enumerated().dropFirst() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard f.count == 5 else { throw InputError(file: file, line: i + 1, "has \(f.count) fields, expected 5") }
            let sym = f[0].uppercased()
            guard !sym.isEmpty, sym.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
                throw InputError(file: file, line: i + 1, field: "symbol", "'\(f[0])' is not a symbol")
            }
            guard seen.insert(sym).inserted else {
                throw InputError(file: file, line: i + 1, field: "symbol", "duplicate \(sym)")
            }
            guard ["true", "false"].contains(f[4].lowercased()) else {
                throw InputError(file: file, line: i + 1, field: "stablecoin", "'\(f[4])' must be true or false")
            }
            out.append(
                Asset(
                    symbol: sym, name: f[1].isEmpty ? sym : f[1], sector: f[2],
                    isStablecoin: f[4].lowercased() == "true",
                    coingeckoId: f[3].isEmpty ? nil : f[3]))
        }
        if out.isEmpty { throw InputError(file: file, "no assets") }
        return out
    }
}
