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
    /// `top` universe while ranked within N + `buffer`.
    public static func constituents(_ spec: IndexSpec, market: MarketView, incumbents: Set<String> = [])
        -> [String]
    {
        let m = spec.methodology
        func capKnown(_ s: String) -> Bool { (market.marketCaps[s] ?? 0) > 0 }
        func eligible(_ s: String) -> Bool {
            guard let a = market.assets[s], let p = market.prices[s], p > 0 else { return false }
            if spec.excludeStablecoins, a.isStablecoin, !(m.usesStablecoin && s == m.stablecoin) { return false }
            if m.minVolume > 0, (market.volumes[s] ?? 0) < m.minVolume { return false }
            if m.minMarketCap > 0, (market.marketCaps[s] ?? 0) < m.minMarketCap { return false }
            return true
        }
        let byCap: (String, String) -> Bool = { a, b in
            let ca = market.marketCaps[a] ?? 0
            let cb = market.marketCaps[b] ?? 0
            return ca != cb ? ca > cb : a < b
        }
        var pool: [String]
        switch spec.universe {
        case .symbols(let s): pool = s.filter(eligible)
        case .top(let n):
            let ranked = market.assets.keys.filter {
                eligible($0) && capKnown($0) && !(market.assets[$0]!.isStablecoin && spec.excludeStablecoins)
            }
            .sorted(by: byCap)
            pool = buffered(ranked, n: n, buffer: spec.rankBuffer, incumbents: incumbents)
        case .sector(let sec):
            pool = market.assets.values.filter { $0.sector.caseInsensitiveCompare(sec) == .orderedSame }.map(\.symbol)
                .filter(eligible)
        }
        if m.usesStablecoin { pool.removeAll { $0 == m.stablecoin } }
        if m.kind == .marketCap || m.kind == .sqrtMarketCap { pool = pool.filter(capKnown) }
        if let top = m.top { pool = Array(pool.filter(capKnown).sorted(by: byCap).prefix(top)) }
        return pool.sorted(by: byCap)
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
            let members = constituents(spec, market: market, incumbents: incumbents)
            guard !members.isEmpty else { throw MethodologyError(index: spec.slug, "no eligible constituents") }
            for s in members {
                let cap = max(0, market.marketCaps[s] ?? 0)
                switch m.kind {
                case .marketCap: raw[s] = cap
                case .sqrtMarketCap: raw[s] = cap.squareRoot()
                default: raw[s] = 1
                }
            }
            if raw.values.allSatisfy({ $0 <= 0 }) {
                throw MethodologyError(index: spec.slug, "no market caps for its constituents")
            }
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
