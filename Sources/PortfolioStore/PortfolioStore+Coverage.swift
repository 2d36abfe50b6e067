import Foundation
import IndexCore
import SQLiteKit

extension PortfolioStore {
    /// The UTC day numbers on which `symbol` has at least one stored price, from `from` (Unix s) on:
    /// what a history backfill skips.
    public func coveredDays(_ symbol: String, from: Int64) throws -> Set<Int64> {
        Set(
            try db.query(
                "SELECT DISTINCT time / 86400 FROM prices WHERE symbol = ? AND time >= ?", [symbol, from],
                { $0.int64(0) }))
    }

    /// Of `symbols`, those whose latest stored price has no known market cap (NULL: the feed gave
    /// `null` or `0`, or it gives none, like Binance), sorted. Assets without any price are left out.
    public func unknownMarketCaps(_ symbols: [String]) throws -> [String] {
        var out: [String] = []
        for s in Set(symbols).sorted() {
            if let p = try price(s), p.marketCap == nil { out.append(s) }
        }
        return out
    }

    /// Token Metrics ids by symbol (`assets add SYMBOL --tokenmetrics-id ID`).
    public func tokenMetricsIds() throws -> [String: String] {
        var out: [String: String] = [:]
        for (s, id) in try db.query(
            "SELECT symbol, tokenmetrics_id FROM assets WHERE tokenmetrics_id IS NOT NULL AND tokenmetrics_id != ''",
            [],
            { ($0.string(0), $0.string(1)) })
        {
            out[s] = id
        }
        return out
    }

    /// Sets (or clears, with nil) the Token Metrics id of an existing asset.
    /// - Throws: ``StoreError`` when the asset does not exist or another asset has that id.
    public func setTokenMetricsId(_ symbol: String, _ id: String?) throws {
        if let id,
            let other = try db.scalarString(
                "SELECT symbol FROM assets WHERE tokenmetrics_id = ? AND symbol != ?", [id, symbol])
        {
            throw StoreError("Token Metrics id \(id) already belongs to \(other)")
        }
        try db.run("UPDATE assets SET tokenmetrics_id = ? WHERE symbol = ?", [id, symbol])
        guard try db.scalarInt("SELECT COUNT(*) FROM assets WHERE symbol = ?", [symbol]) == 1 else {
            throw StoreError("no asset \(symbol)")
        }
    }

    /// The label (−1, 0, 1) of the newest signal imported from `source`, by symbol.
    public func lastImportedLabels(source: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for (symbol, label) in try db.query(
            "SELECT symbol, label FROM signals WHERE source = ? ORDER BY time", [source],
            { ($0.string(0), $0.string(1)) })
        {
            out[symbol] = label == "bullish" ? 1 : label == "bearish" ? -1 : 0
        }
        return out
    }

    /// The assets `spec` would weigh or rank by market cap (`market-cap`, `sqrt-market-cap`,
    /// `signal`, a `top` universe or `top` field) whose latest price has no known cap: they are
    /// not eligible for cap weighting or `top` (DESIGN §4), so commands name them in a warning.
    public func unknownCapMembers(_ spec: IndexSpec) throws -> [String] {
        let m = spec.methodology
        var usesCaps = [.marketCap, .sqrtMarketCap, .signal].contains(m.kind) || m.top != nil
        let assets = try assets()
        var candidates: [Asset]
        switch spec.universe {
        case .symbols(let list):
            let set = Set(list)
            candidates = assets.filter { set.contains($0.symbol) }
        case .top:
            usesCaps = true
            candidates = assets
        case .sector(let sector):
            candidates = assets.filter { $0.sector.caseInsensitiveCompare(sector) == .orderedSame }
        }
        guard usesCaps else { return [] }
        candidates.removeAll {
            (spec.excludeStablecoins && $0.isStablecoin) || (m.usesStablecoin && $0.symbol == m.stablecoin)
        }
        return try unknownMarketCaps(candidates.map(\.symbol))
    }

    /// Adds (or updates) `list` with their latest `prices` in one transaction, and sets the Token
    /// Metrics id of `tokenMetrics.symbol` when given (`assets add`).
    /// - Throws: ``StoreError``; nothing is written then.
    public func addAssets(_ list: [Asset], prices: [PricePoint], tokenMetrics: (symbol: String, id: String?)? = nil)
        throws
    {
        try db.transaction {
            for a in list { try upsertAsset(a) }
            if let tokenMetrics { try setTokenMetricsId(tokenMetrics.symbol, tokenMetrics.id) }
            try insertPrices(prices, source: "coingecko")
        }
    }
}
