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
    /// less assets without a price or under `min_volume`, then the `top` N by market cap.
    public static func constituents(_ spec: IndexSpec, market: MarketView) -> [String] {
        let m = spec.methodology
        func eligible(_ s: String) -> Bool {
            guard let a = market.assets[s], let p = market.prices[s], p > 0 else { return false }
            if spec.excludeStablecoins, a.isStablecoin, !(m.usesStablecoin && s == m.stablecoin) { return false }
            if m.minVolume > 0, (market.volumes[s] ?? 0) < m.minVolume { return false }
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
            pool = Array(
                market.assets.keys.filter {
                    eligible($0) && !(market.assets[$0]!.isStablecoin && spec.excludeStablecoins)
                }
                .sorted(by: byCap).prefix(n))
        case .sector(let sec):
            pool = market.assets.values.filter { $0.sector.caseInsensitiveCompare(sec) == .orderedSame }.map(\.symbol)
                .filter(eligible)
        }
        if m.usesStablecoin { pool.removeAll { $0 == m.stablecoin } }
        if let top = m.top { pool = Array(pool.sorted(by: byCap).prefix(top)) }
        return pool.sorted(by: byCap)
    }

    /// Targets for `market-cap`, `sqrt-market-cap`, `equal` and `fixed`.
    /// - Throws: `MethodologyError` for an infeasible cap, an empty index or a signal methodology.
    public static func passive(_ spec: IndexSpec, market: MarketView) throws -> [String: Double] {
        let m = spec.methodology
        var raw: [String: Double] = [:]
        switch m.kind {
        case .fixed:
            for (s, w) in m.weights ?? [:] where w > 0 {
                guard market.prices[s].map({ $0 > 0 }) == true else {
                    throw MethodologyError(index: spec.slug, "no price for \(s)")
                }
                raw[s] = w
            }
        case .marketCap, .sqrtMarketCap, .equal:
            let members = constituents(spec, market: market)
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
        let total = raw.values.reduce(0, +)
        var w = raw.mapValues { $0 / total }
        if let cap = m.cap {
            do {
                w = try Capping.apply(w, cap: cap)
            } catch let e as Capping.InfeasibleCap {
                throw MethodologyError(index: spec.slug, e.description)
            }
        }
        return w.filter { $0.value > 0 }
    }
}
