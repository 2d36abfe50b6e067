import Foundation

/// The demo market: about 28 real-named assets with sectors, CoinGecko ids and simulator
/// parameters (prices and supplies of the order seen in 2024, so market caps rank realistically).
public enum DemoUniverse {
    /// Simulator parameters of every demo asset, largest market cap first.
    public static let simAssets: [SimAsset] = rows.sorted { $0.price * $0.supply > $1.price * $1.supply }.map { row in
        SimAsset(
            asset: Asset(
                symbol: row.symbol, name: row.name, sector: row.sector,
                isStablecoin: row.sector == stablecoinSector, coingeckoId: row.coingeckoId),
            startPrice: row.price, circulatingSupply: row.supply, annualVolatility: row.vol,
            beta: row.beta, sectorLoading: row.sector == "Layer-1" ? 0.25 : 0.35,
            baseDailyVolume: row.volume)
    }

    /// The demo assets, largest market cap first.
    public static let assets: [Asset] = simAssets.map(\.asset)

    /// The sector name of stablecoins.
    public static let stablecoinSector = "Stablecoin"

    private struct Row {
        var symbol: String
        var name: String
        var sector: String
        var coingeckoId: String
        var price: Double
        var supply: Double
        var vol: Double
        var beta: Double
        var volume: Double
    }

    // swift-format-ignore
    private static let rows: [Row] = [
        Row(symbol: "BTC", name: "Bitcoin", sector: "Layer-1", coingeckoId: "bitcoin",
            price: 65_000, supply: 19.7e6, vol: 0.55, beta: 0.85, volume: 30e9),
        Row(symbol: "ETH", name: "Ethereum", sector: "Layer-1", coingeckoId: "ethereum",
            price: 3_200, supply: 120.2e6, vol: 0.70, beta: 0.85, volume: 15e9),
        Row(symbol: "USDT", name: "Tether", sector: "Stablecoin", coingeckoId: "tether",
            price: 1.0, supply: 110e9, vol: 0.005, beta: 0, volume: 45e9),
        Row(symbol: "BNB", name: "BNB", sector: "Layer-1", coingeckoId: "binancecoin",
            price: 580, supply: 146e6, vol: 0.65, beta: 0.70, volume: 1.5e9),
        Row(symbol: "SOL", name: "Solana", sector: "Layer-1", coingeckoId: "solana",
            price: 150, supply: 465e6, vol: 0.95, beta: 0.75, volume: 3e9),
        Row(symbol: "USDC", name: "USD Coin", sector: "Stablecoin", coingeckoId: "usd-coin",
            price: 1.0, supply: 34e9, vol: 0.005, beta: 0, volume: 6e9),
        Row(symbol: "XRP", name: "XRP", sector: "Layer-1", coingeckoId: "ripple",
            price: 0.55, supply: 56e9, vol: 0.85, beta: 0.60, volume: 1.2e9),
        Row(symbol: "DOGE", name: "Dogecoin", sector: "Memecoins", coingeckoId: "dogecoin",
            price: 0.13, supply: 145e9, vol: 1.20, beta: 0.65, volume: 1e9),
        Row(symbol: "ADA", name: "Cardano", sector: "Layer-1", coingeckoId: "cardano",
            price: 0.45, supply: 35.5e9, vol: 0.90, beta: 0.70, volume: 400e6),
        Row(symbol: "AVAX", name: "Avalanche", sector: "Layer-1", coingeckoId: "avalanche-2",
            price: 28, supply: 395e6, vol: 1.00, beta: 0.75, volume: 350e6),
        Row(symbol: "SHIB", name: "Shiba Inu", sector: "Memecoins", coingeckoId: "shiba-inu",
            price: 0.000018, supply: 589e12, vol: 1.30, beta: 0.60, volume: 400e6),
        Row(symbol: "DOT", name: "Polkadot", sector: "Layer-1", coingeckoId: "polkadot",
            price: 6.5, supply: 1.45e9, vol: 0.90, beta: 0.75, volume: 200e6),
        Row(symbol: "LINK", name: "Chainlink", sector: "Infrastructure", coingeckoId: "chainlink",
            price: 14, supply: 608e6, vol: 0.95, beta: 0.75, volume: 350e6),
        Row(symbol: "UNI", name: "Uniswap", sector: "DeFi", coingeckoId: "uniswap",
            price: 8, supply: 600e6, vol: 1.00, beta: 0.70, volume: 150e6),
        Row(symbol: "PEPE", name: "Pepe", sector: "Memecoins", coingeckoId: "pepe",
            price: 0.000010, supply: 420.69e12, vol: 1.45, beta: 0.55, volume: 700e6),
        Row(symbol: "FET", name: "Fetch.ai", sector: "AI", coingeckoId: "fetch-ai",
            price: 1.4, supply: 2.52e9, vol: 1.10, beta: 0.65, volume: 200e6),
        Row(symbol: "TAO", name: "Bittensor", sector: "AI", coingeckoId: "bittensor",
            price: 350, supply: 7.2e6, vol: 1.10, beta: 0.60, volume: 80e6),
        Row(symbol: "RNDR", name: "Render", sector: "AI", coingeckoId: "render-token",
            price: 7, supply: 388e6, vol: 1.10, beta: 0.65, volume: 150e6),
        Row(symbol: "AAVE", name: "Aave", sector: "DeFi", coingeckoId: "aave",
            price: 140, supply: 14.9e6, vol: 1.00, beta: 0.70, volume: 200e6),
        Row(symbol: "WIF", name: "dogwifhat", sector: "Memecoins", coingeckoId: "dogwifcoin",
            price: 2.0, supply: 999e6, vol: 1.50, beta: 0.55, volume: 400e6),
        Row(symbol: "MKR", name: "Maker", sector: "DeFi", coingeckoId: "maker",
            price: 2_000, supply: 0.92e6, vol: 0.95, beta: 0.65, volume: 80e6),
        Row(symbol: "LDO", name: "Lido DAO", sector: "DeFi", coingeckoId: "lido-dao",
            price: 1.8, supply: 895e6, vol: 1.05, beta: 0.70, volume: 80e6),
        Row(symbol: "BONK", name: "Bonk", sector: "Memecoins", coingeckoId: "bonk",
            price: 0.000022, supply: 69e12, vol: 1.40, beta: 0.55, volume: 150e6),
        Row(symbol: "RUNE", name: "THORChain", sector: "DeFi", coingeckoId: "thorchain",
            price: 4.5, supply: 340e6, vol: 1.10, beta: 0.65, volume: 150e6),
        Row(symbol: "ONDO", name: "Ondo", sector: "RWA", coingeckoId: "ondo-finance",
            price: 0.9, supply: 1.44e9, vol: 1.00, beta: 0.55, volume: 100e6),
        Row(symbol: "WLD", name: "Worldcoin", sector: "AI", coingeckoId: "worldcoin-wld",
            price: 2.3, supply: 500e6, vol: 1.20, beta: 0.55, volume: 150e6),
        Row(symbol: "CRV", name: "Curve DAO", sector: "DeFi", coingeckoId: "curve-dao-token",
            price: 0.35, supply: 1.25e9, vol: 1.10, beta: 0.65, volume: 60e6),
        Row(symbol: "GMX", name: "GMX", sector: "DeFi", coingeckoId: "gmx",
            price: 25, supply: 9.8e6, vol: 1.00, beta: 0.60, volume: 20e6),
    ]
}

extension DemoUniverse {
    /// Simulator parameters for any asset: the demo parameters when its symbol is a demo
    /// asset, else generic alt-coin ones (90 % volatility, beta 0.6; stablecoins pinned to 1).
    /// - Parameters:
    ///   - asset: the asset (its sector and stablecoin flag are kept).
    ///   - price: its latest price, USD, used as the start price when given and > 0.
    ///   - marketCap: its latest market cap, USD, used to derive the supply when given and > 0.
    public static func simAsset(for asset: Asset, price: Double? = nil, marketCap: Double? = nil) -> SimAsset {
        let validPrice = price.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        if var known = simAssets.first(where: { $0.asset.symbol == asset.symbol }) {
            known.asset = asset
            if let validPrice, !asset.isStablecoin {
                known.circulatingSupply = known.startMarketCap / validPrice
                known.startPrice = validPrice
            }
            return known
        }
        if asset.isStablecoin {
            return SimAsset(
                asset: asset, startPrice: 1, circulatingSupply: (marketCap ?? 1e9) > 0 ? (marketCap ?? 1e9) : 1e9,
                annualVolatility: 0.005, beta: 0, sectorLoading: 0, baseDailyVolume: 1e8)
        }
        let start = validPrice ?? 1
        let cap = marketCap.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 1e9
        return SimAsset(
            asset: asset, startPrice: start, circulatingSupply: cap / start, annualVolatility: 0.9, beta: 0.6,
            sectorLoading: 0.35, baseDailyVolume: cap * 0.05)
    }
}
