import Foundation

/// What a methodology sees of the market at the moment of a rebalance.
public struct MarketView: Sendable {
    /// Every known asset by symbol.
    public var assets: [String: Asset]
    /// Latest price per symbol.
    public var prices: [String: Double]
    /// Latest market cap per symbol (missing = unknown).
    public var marketCaps: [String: Double]
    /// Latest 24h volume per symbol.
    public var volumes: [String: Double]

    public init(
        assets: [String: Asset], prices: [String: Double], marketCaps: [String: Double] = [:],
        volumes: [String: Double] = [:]
    ) {
        self.assets = assets
        self.prices = prices
        self.marketCaps = marketCaps
        self.volumes = volumes
    }
}

/// A problem computing an index's targets.
public struct MethodologyError: Error, CustomStringConvertible, Sendable {
    public let index: String
    public let message: String
    public init(index: String, _ message: String) {
        self.index = index
        self.message = message
    }
    public var description: String { "index '\(index)': \(message)" }
}

/// Target weights of the passive methodologies (DESIGN §4).
public enum TargetWeights {
    /// The eligible constituents of `spec` in `market`: the universe, less stablecoins when excluded,
    /// less assets without a price, under `min_volume` or `min_market_cap`, then the `top` N by market cap.
    /// An unknown market cap is not eligible for a `top` universe, the methodology's `top`, `market-cap`
    /// or `sqrt-market-cap` (DESIGN §4). `incumbents` (the current constituents) keep their place in a
    /// `top` universe while ranked within N + `buffer`. Largest market cap first.
    public static func constituents(_ spec: IndexSpec, market: MarketView, incumbents: Set<String> = [])
        -> [String]
    {
        let columns = MarketColumns(market)
        return constituents(spec, columns: columns, incumbents: incumbents).map { columns.assets[$0].symbol }
    }

    /// `constituents(_:market:incumbents:)` on columns: the members' column indices, largest cap first.
    public static func constituents(_ spec: IndexSpec, columns c: MarketColumns, incumbents: Set<String> = [])
        -> [Int]
    {
        let m = spec.methodology
        func cap(_ j: Int) -> Double { c.marketCap[j].isNaN ? 0 : c.marketCap[j] }
        func capKnown(_ j: Int) -> Bool { cap(j) > 0 }
        func eligible(_ j: Int) -> Bool {
            let a = c.assets[j]
            guard !c.price[j].isNaN, c.price[j] > 0 else { return false }
            if spec.excludeStablecoins, a.isStablecoin, !(m.usesStablecoin && a.symbol == m.stablecoin) { return false }
            if m.minVolume > 0, (c.volume[j].isNaN ? 0 : c.volume[j]) < m.minVolume { return false }
            if m.minMarketCap > 0, cap(j) < m.minMarketCap { return false }
            return true
        }
        // Columns are in symbol order, so the tie-break by index is the tie-break by symbol.
        let byCap: (Int, Int) -> Bool = { a, b in
            let ca = cap(a)
            let cb = cap(b)
            return ca != cb ? ca > cb : a < b
        }
        var pool: [Int]
        switch spec.universe {
        case .symbols(let s): pool = s.compactMap { c.column[$0] }.filter(eligible)
        case .top(let n):
            let ranked = c.assets.indices.filter {
                eligible($0) && capKnown($0) && !(c.assets[$0].isStablecoin && spec.excludeStablecoins)
            }
            .sorted(by: byCap)
            if spec.rankBuffer > 0, !incumbents.isEmpty {
                let names = buffered(
                    ranked.map { c.assets[$0].symbol }, n: n, buffer: spec.rankBuffer, incumbents: incumbents)
                pool = names.compactMap { c.column[$0] }
            } else {
                pool = Array(ranked.prefix(n))
            }
        case .sector(let sec):
            pool = c.assets.indices.filter {
                c.assets[$0].sector.caseInsensitiveCompare(sec) == .orderedSame && eligible($0)
            }
        }
        if m.usesStablecoin { pool.removeAll { c.assets[$0].symbol == m.stablecoin } }
        if m.kind == .marketCap || m.kind == .sqrtMarketCap { pool = pool.filter(capKnown) }
        if let top = m.top { pool = Array(pool.filter(capKnown).sorted(by: byCap).prefix(top)) }
        return pool.sorted(by: byCap)
    }

    /// `market-cap`, `sqrt-market-cap` and `equal` targets on columns: weights aligned with the columns
    /// (0 for non-members), normalised in symbol order, capped.
    /// - Throws: `MethodologyError` for an empty index, no market caps, an infeasible cap.
    public static func passiveWeights(_ spec: IndexSpec, columns c: MarketColumns, incumbents: Set<String> = [])
        throws -> [Double]
    {
        let m = spec.methodology
        let members = constituents(spec, columns: c, incumbents: incumbents).sorted()
        guard !members.isEmpty else { throw MethodologyError(index: spec.slug, "no eligible constituents") }
        var raw = members.map { j -> Double in
            let cap = c.marketCap[j].isNaN ? 0 : max(0, c.marketCap[j])
            switch m.kind {
            case .marketCap: return cap
            case .sqrtMarketCap: return cap.squareRoot()
            default: return 1
            }
        }
        if raw.allSatisfy({ $0 <= 0 }) {
            throw MethodologyError(index: spec.slug, "no market caps for its constituents")
        }
        // Summed in symbol order: the same bits in every process (never dictionary hash order).
        let total = raw.reduce(0, +)
        for i in raw.indices { raw[i] /= total }
        do {
            if let cap = m.cap { raw = try Capping.apply(raw, cap: cap) }
            if let caps = m.sectorCaps {
                var byName: [String: Double] = [:]
                var sectors: [String: String] = [:]
                for (i, j) in members.enumerated() {
                    byName[c.assets[j].symbol] = raw[i]
                    sectors[c.assets[j].symbol] = c.assets[j].sector
                }
                let capped = try Capping.applySectors(byName, sectorOf: sectors, caps: caps, cap: m.cap)
                for (i, j) in members.enumerated() { raw[i] = capped[c.assets[j].symbol] ?? 0 }
            }
        } catch let e as Capping.InfeasibleCap {
            throw MethodologyError(index: spec.slug, e.description)
        } catch let e as Capping.InfeasibleSectorCaps {
            throw MethodologyError(index: spec.slug, e.description)
        }
        var w = [Double](repeating: 0, count: c.assets.count)
        for (i, j) in members.enumerated() where raw[i] > 0 { w[j] = raw[i] }
        return w
    }

    /// The rank buffer index providers use (DESIGN §4): from `ranked` (best first), incumbents stay while
    /// ranked ≤ n + buffer, outsiders enter at rank ≤ n − buffer; the best-ranked fill free places, and
    /// the worst-ranked go when more than n qualify.
    public static func buffered(_ ranked: [String], n: Int, buffer: Int, incumbents: Set<String>) -> [String] {
        guard buffer > 0, !incumbents.isEmpty else { return Array(ranked.prefix(n)) }
        var chosen: [String] = []
        for (i, s) in ranked.enumerated() where i + 1 <= (incumbents.contains(s) ? n + buffer : n - buffer) {
            chosen.append(s)
        }
        if chosen.count > n { return Array(chosen.prefix(n)) }
        var taken = Set(chosen)
        for s in ranked where chosen.count < n && !taken.contains(s) {
            chosen.append(s)
            taken.insert(s)
        }
        let rank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1, $0) })
        return chosen.sorted { rank[$0]! < rank[$1]! }
    }

    /// Targets for `market-cap`, `sqrt-market-cap`, `equal` and `fixed`.
    /// - Throws: `MethodologyError` for an infeasible cap, an empty index or a signal methodology.
    public static func passive(_ spec: IndexSpec, market: MarketView, incumbents: Set<String> = []) throws
        -> [String: Double]
    {
        let m = spec.methodology
        var raw: [String: Double] = [:]
        switch m.kind {
        case .fixed:
            if case .sector(let sec) = spec.universe {
                let outside = (m.weights ?? [:]).keys.filter {
                    market.assets[$0].map { $0.sector.caseInsensitiveCompare(sec) != .orderedSame } ?? true
                }
                if !outside.isEmpty {
                    throw MethodologyError(
                        index: spec.slug,
                        "fixed weights outside the universe: \(outside.sorted().joined(separator: ", "))")
                }
            }
            for (s, w) in m.weights ?? [:] where w > 0 {
                guard market.prices[s].map({ $0 > 0 }) == true else {
                    throw MethodologyError(index: spec.slug, "no price for \(s)")
                }
                raw[s] = w
            }
        case .marketCap, .sqrtMarketCap, .equal:
            let columns = MarketColumns(market)
            let w = try passiveWeights(spec, columns: columns, incumbents: incumbents)
            var out: [String: Double] = [:]
            for j in w.indices where w[j] > 0 { out[columns.assets[j].symbol] = w[j] }
            return out
        case .signal, .trend, .rsi:
            throw MethodologyError(index: spec.slug, "\(m.kind.rawValue) needs signals (TargetWeights.passive)")
        }
        // Summed in symbol order: the same bits in every process (never dictionary hash order).
        let total = raw.keys.sorted().reduce(0) { $0 + raw[$1]! }
        var w = raw.mapValues { $0 / total }
        do {
            if let cap = m.cap { w = try Capping.apply(w, cap: cap) }
            if let caps = m.sectorCaps {
                w = try Capping.applySectors(
                    w, sectorOf: market.assets.mapValues(\.sector), caps: caps, cap: m.cap)
            }
        } catch let e as Capping.InfeasibleCap {
            throw MethodologyError(index: spec.slug, e.description)
        } catch let e as Capping.InfeasibleSectorCaps {
            throw MethodologyError(index: spec.slug, e.description)
        }
        return w.filter { $0.value > 0 }
    }
}

/// A market as arrays aligned with its assets in symbol order (NaN = none/unknown): what the target
/// rules read, whether from a `MarketView` or a step of the backtest's matrix.
public struct MarketColumns: Sendable {
    public var assets: [Asset]
    public var column: [String: Int]
    public var price: [Double]
    public var marketCap: [Double]
    public var volume: [Double]

    public init(assets: [Asset], column: [String: Int], price: [Double], marketCap: [Double], volume: [Double]) {
        self.assets = assets
        self.column = column
        self.price = price
        self.marketCap = marketCap
        self.volume = volume
    }

    /// The columns of a market view.
    public init(_ market: MarketView) {
        let symbols = market.assets.keys.sorted()
        assets = symbols.map { market.assets[$0]! }
        column = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        price = symbols.map { market.prices[$0] ?? .nan }
        marketCap = symbols.map { market.marketCaps[$0] ?? .nan }
        volume = symbols.map { market.volumes[$0] ?? .nan }
    }
}
