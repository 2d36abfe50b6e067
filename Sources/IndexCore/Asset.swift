import Foundation

/// A tradable asset (token) as the portfolio model knows it.
public struct Asset: Sendable, Hashable, Codable {
    /// Upper-case ticker, unique (e.g. `BTC`).
    public var symbol: String
    public var name: String
    /// Narrative/sector (`Layer-1`, `DeFi`, `AI`, `Memecoins`, `RWA`, `Stablecoin`...).
    public var sector: String
    public var isStablecoin: Bool
    /// CoinGecko's id (e.g. `bitcoin`), used by the coingecko feed.
    public var coingeckoId: String?

    public init(symbol: String, name: String, sector: String, isStablecoin: Bool = false, coingeckoId: String? = nil) {
        self.symbol = symbol
        self.name = name
        self.sector = sector
        self.isStablecoin = isStablecoin
        self.coingeckoId = coingeckoId
    }
}

/// One observed price of an asset, with optional market cap and 24h volume (USD).
public struct PricePoint: Sendable, Hashable, Codable {
    public var symbol: String
    /// Unix seconds, UTC.
    public var time: Int64
    public var price: Double
    public var marketCap: Double?
    public var volume: Double?

    public init(symbol: String, time: Int64, price: Double, marketCap: Double? = nil, volume: Double? = nil) {
        self.symbol = symbol
        self.time = time
        self.price = price
        self.marketCap = marketCap
        self.volume = volume
    }
}
