import Foundation
import IndexCore
import MarketData
import PortfolioStore

extension CLI {
    func assetsCommand(_ args: inout Args) throws -> Int32 {
        let sub = try args.positional("subcommand (list, add, import, search)")
        switch sub {
        case "list": return try assetsList(&args)
        case "add": return try assetsAdd(&args)
        case "search": return try assetsSearch(&args)
        case "import":
            let file = try args.positional("CSV file")
            try args.finish()
            let list = try wrap { try AssetFile.parse(try readFile(file), file: file) }
            let store = try openStore()
            try store.upsertAssets(list)
            if json { Output.json(["imported": list.count]) } else { Output.line("imported \(list.count) assets") }
            return ExitCode.success
        default:
            throw UsageError("unknown assets subcommand '\(sub)' (list, add, import, search)")
        }
    }

    private func assetsList(_ args: inout Args) throws -> Int32 {
        try args.finish()
        let store = try openStore()
        let latest = try store.latestPrices()
        let assets = try store.assets()
        let tm = try store.tokenMetricsIds()
        if json {
            Output.json(
                assets.map { a -> [String: Any] in
                    [
                        "symbol": a.symbol, "name": a.name, "sector": a.sector, "stablecoin": a.isStablecoin,
                        "coingecko_id": a.coingeckoId ?? NSNull(), "tokenmetrics_id": tm[a.symbol] ?? NSNull(),
                        "price": Output.num(latest[a.symbol]?.price),
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
        return ExitCode.success
    }

    /// `assets search TEXT`: CoinGecko's `/search`.
    private func assetsSearch(_ args: inout Args) throws -> Int32 {
        let options = try ProviderOptions.take(&args, defaultProvider: "coingecko", allowed: ["coingecko"])
        let text = try args.positional("search text")
        try args.finish()
        let access = try openProvider(options, maxWaits: 5, reporter: ProgressReporter())
        let hits: [CoinListing]
        do {
            hits = try access.coingeckoAPI.search(text)
            access.record(nil)
        } catch let e as FeedError {
            access.record(e)
            throw Failure(e.description)
        }
        if json {
            Output.json(
                hits.map {
                    [
                        "id": $0.id, "symbol": $0.symbol, "name": $0.name,
                        "market_cap_rank": $0.rank.map { $0 as Any } ?? NSNull(),
                    ]
                })
        } else if hits.isEmpty {
            Output.line("no coin matches '\(text.prefix(80))'")
        } else {
            Output.table(
                ["ID", "SYMBOL", "NAME", "RANK"],
                hits.map { [$0.id, $0.symbol, $0.name, $0.rank.map(String.init) ?? "—"] },
                right: [3])
        }
        return ExitCode.success
    }

    private static func validSymbol(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 20
            && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    /// `assets add SYMBOL [...]` (offline), `assets add --coingecko-id ID [--symbol S]` and
    /// `assets add --top N [--category ID]` (from CoinGecko, then backfilled).
    private func assetsAdd(_ args: inout Args) throws -> Int32 {
        let name = try args.option("--name")
        let sector = try args.option("--sector")
        let cg = try args.option("--coingecko-id")
        let tmID = try args.option("--tokenmetrics-id")
        let symbolOption = try args.option("--symbol")
        let top = try args.int("--top")
        let category = try args.option("--category")
        let historyDays = try args.int("--history") ?? 365
        let stable = args.flag("--stablecoin")
        let options = try ProviderOptions.take(&args, defaultProvider: "coingecko", allowed: ["coingecko"])
        let positional = args.optionalPositional()?.uppercased()
        try args.finish()
        guard (0...10_000).contains(historyDays) else { throw UsageError("--history must be 0 to 10000 days") }
        if let top {
            guard (1...1000).contains(top) else { throw UsageError("--top must be 1 to 1000") }
            guard positional == nil, cg == nil, symbolOption == nil, tmID == nil, name == nil else {
                throw UsageError("--top takes only --category, --sector and --history")
            }
            return try addTop(top, category: category, sector: sector, days: historyDays, options: options)
        }
        if category != nil { throw UsageError("--category goes with --top") }
        let store = try openStore()
        if let positional {
            // Offline: the asset as given; fields not given keep their stored values.
            guard Self.validSymbol(positional) else {
                throw UsageError("symbol '\(positional.prefix(80))' must be letters and digits")
            }
            let old = try store.assetMap()[positional]
            try wrap {
                try store.addAssets(
                    [
                        Asset(
                            symbol: positional, name: name ?? old?.name ?? positional,
                            sector: sector ?? old?.sector ?? "", isStablecoin: stable || (old?.isStablecoin ?? false),
                            coingeckoId: cg ?? old?.coingeckoId)
                    ], prices: [], tokenMetrics: tmID.map { (positional, $0.isEmpty ? nil : $0) })
            }
            if json { Output.json(["symbol": positional]) } else { Output.line("added \(positional)") }
            return ExitCode.success
        }
        guard let cg else {
            throw UsageError("assets add needs a SYMBOL, --coingecko-id ID or --top N")
        }
        let reporter = ProgressReporter()
        let access = try openProvider(options, maxWaits: 5, reporter: reporter)
        let now = store.clock()
        let listing: CoinListing
        let stables: Set<String>
        do {
            guard let found = try access.coingeckoAPI.coins(ids: [cg], now: now).first(where: { $0.id == cg }) else {
                throw Failure(
                    "coingecko: no coin with id '\(cg.prefix(80))'; find its id with `indextop assets search NAME`")
            }
            listing = found
            stables = try access.coingeckoAPI.stablecoinIds(now: now)
        } catch let e as FeedError {
            access.record(e)
            throw Failure(e.description)
        }
        var coin = listing
        if let symbolOption { coin.symbol = symbolOption.uppercased() }
        let added = try addListings(
            [coin], names: name.map { [cg: $0] } ?? [:], sector: sector, stablecoins: stables,
            forceStable: stable, tokenMetricsId: tmID, store: store)
        return try finishAdd(added, access: access, days: historyDays, store: store, reporter: reporter)
    }

    private func addTop(_ n: Int, category: String?, sector: String?, days: Int, options: ProviderOptions) throws
        -> Int32
    {
        let store = try openStore()
        let reporter = ProgressReporter()
        let access = try openProvider(options, maxWaits: 5, reporter: reporter)
        let now = store.clock()
        let listings: [CoinListing]
        let stables: Set<String>
        do {
            listings = try access.coingeckoAPI.top(n, category: category, now: now)
            if listings.isEmpty, let category {
                let known = try access.coingeckoAPI.categoryIds()
                if !known.contains(category) {
                    throw Failure(
                        "coingecko: no category '\(category.prefix(80))' (ids like decentralized-finance-defi; "
                            + "\(known.count) listed by /coins/categories/list)")
                }
            }
            stables =
                category == "stablecoins" ? Set(listings.map(\.id)) : try access.coingeckoAPI.stablecoinIds(now: now)
        } catch let e as FeedError {
            access.record(e)
            throw Failure(e.description)
        }
        let added = try addListings(
            listings, names: [:], sector: sector, stablecoins: stables, forceStable: false, tokenMetricsId: nil,
            store: store)
        return try finishAdd(added, access: access, days: days, store: store, reporter: reporter)
    }

    /// Stores `listings` as assets (and their latest prices) in one transaction, after checking
    /// that no symbol is taken by another coin.
    private func addListings(
        _ listings: [CoinListing], names: [String: String], sector: String?, stablecoins: Set<String>,
        forceStable: Bool, tokenMetricsId: String?, store: PortfolioStore
    ) throws -> [Asset] {
        let existing = try store.assetMap()
        var bySymbol: [String: String] = [:]
        var out: [Asset] = []
        for coin in listings {
            if let old = existing.values.first(where: { $0.coingeckoId == coin.id }), old.symbol != coin.symbol {
                continue  // already added under another symbol
            }
            guard Self.validSymbol(coin.symbol) else {
                throw Failure(
                    "assets add: coingecko id '\(coin.id)' has the symbol '\(coin.symbol.prefix(20))', which is not usable; "
                        + "add it with `indextop assets add --coingecko-id \(coin.id) --symbol SYMBOL`")
            }
            let takenBy =
                existing[coin.symbol].flatMap { $0.coingeckoId.flatMap { $0 == coin.id ? nil : $0 } }
                ?? bySymbol[coin.symbol]
            if let takenBy {
                throw Failure(
                    "assets add: symbol \(coin.symbol) of coingecko id '\(coin.id)' is already taken by '\(takenBy)'; "
                        + "add it under another symbol with `indextop assets add --coingecko-id \(coin.id) --symbol \(coin.symbol)2`"
                )
            }
            bySymbol[coin.symbol] = coin.id
            let old = existing[coin.symbol]
            let isStable = forceStable || stablecoins.contains(coin.id)
            out.append(
                Asset(
                    symbol: coin.symbol, name: names[coin.id] ?? coin.name,
                    sector: sector ?? (old?.sector.isEmpty == false ? old!.sector : (isStable ? "Stablecoin" : "")),
                    isStablecoin: isStable, coingeckoId: coin.id))
        }
        let symbols = Set(out.map(\.symbol))
        let prices = listings.compactMap(\.price).filter { symbols.contains($0.symbol) }
        try wrap {
            try store.addAssets(
                out, prices: prices, tokenMetrics: tokenMetricsId.flatMap { id in out.first.map { ($0.symbol, id) } })
        }
        return out
    }

    /// Prints what was added and backfills it (`--history 0` skips that).
    private func finishAdd(
        _ added: [Asset], access: ProviderAccess, days: Int, store: PortfolioStore, reporter: ProgressReporter
    ) throws -> Int32 {
        var report = BackfillReport()
        if days > 0, !added.isEmpty {
            report = try runBackfill(access, assets: added, days: days, store: store, reporter: reporter)
        } else {
            access.record(nil)
        }
        if json {
            Output.json([
                "added": added.map {
                    [
                        "symbol": $0.symbol, "name": $0.name, "coingecko_id": $0.coingeckoId ?? "",
                        "stablecoin": $0.isStablecoin,
                    ]
                },
                "stored": report.stored,
                "missing": report.missing.map { ["symbol": $0.symbol, "reason": $0.reason] },
            ])
        } else {
            Output.table(
                ["SYMBOL", "NAME", "COINGECKO", "STABLE"],
                added.map { [$0.symbol, $0.name, $0.coingeckoId ?? "", $0.isStablecoin ? "yes" : ""] })
            Output.line("added \(added.count) asset(s); stored \(report.stored) daily prices")
        }
        return report.missing.isEmpty ? ExitCode.success : ExitCode.failure
    }
}
