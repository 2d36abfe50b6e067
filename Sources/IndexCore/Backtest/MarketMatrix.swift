/// A dense days × assets market for the backtest engine: at each step time, the newest stored row
/// (price, market cap, 24h volume) of every asset at or before it, exactly what the live path reads
/// with "the latest price at or before t". Row-major: `price[step * assetCount + asset]`.
public struct MarketMatrix: Sendable {
    /// Step times (Unix seconds), ascending.
    public let times: [Int64]
    /// Every asset, sorted by symbol (the columns).
    public let assets: [Asset]
    /// `assets`' symbols.
    public let symbols: [String]
    /// Column of each symbol.
    public let column: [String: Int]
    /// Price per step and asset; NaN before the asset's first row.
    public internal(set) var price: [Double]
    /// Market cap per step and asset; NaN when the row has none (unknown).
    public internal(set) var marketCap: [Double]
    /// 24h volume per step and asset; NaN when the row has none.
    public internal(set) var volume: [Double]
    /// Time of the row each cell carries (0 before the first row).
    public internal(set) var rowTime: [Int64]

    /// Number of assets (columns).
    public var assetCount: Int { assets.count }

    /// An empty matrix over `times` and `assets` (sorted here by symbol).
    public init(times: [Int64], assets: [Asset]) {
        let sorted = assets.sorted { $0.symbol < $1.symbol }
        self.times = times
        self.assets = sorted
        self.symbols = sorted.map(\.symbol)
        var column: [String: Int] = [:]
        for (j, s) in symbols.enumerated() { column[s] = j }
        self.column = column
        let cells = times.count * sorted.count
        price = [Double](repeating: .nan, count: cells)
        marketCap = [Double](repeating: .nan, count: cells)
        volume = [Double](repeating: .nan, count: cells)
        rowTime = [Int64](repeating: 0, count: cells)
    }

    /// One stored row of an asset.
    public struct Row: Sendable {
        public var time: Int64
        public var price: Double
        public var marketCap: Double?
        public var volume: Double?
        public init(time: Int64, price: Double, marketCap: Double?, volume: Double?) {
            self.time = time
            self.price = price
            self.marketCap = marketCap
            self.volume = volume
        }
    }

    /// Fills the column of `symbol` from its rows (ascending by time): each step carries the newest row
    /// at or before its time. Unknown symbols are ignored.
    public mutating func fill(_ symbol: String, rows: [Row]) {
        guard let j = column[symbol], !rows.isEmpty else { return }
        let n = assetCount
        var r = -1
        for k in times.indices {
            let t = times[k]
            while r + 1 < rows.count, rows[r + 1].time <= t { r += 1 }
            guard r >= 0 else { continue }
            let row = rows[r]
            let cell = k * n + j
            price[cell] = row.price
            marketCap[cell] = row.marketCap ?? .nan
            volume[cell] = row.volume ?? .nan
            rowTime[cell] = row.time
        }
    }

    /// Sets one cell directly (benchmarks and tests that build a market by hand).
    public mutating func set(step k: Int, asset j: Int, price p: Double, marketCap c: Double?, volume v: Double?) {
        let cell = k * assetCount + j
        price[cell] = p
        marketCap[cell] = c ?? .nan
        volume[cell] = v ?? .nan
        rowTime[cell] = times[k]
    }

    /// The price of column `j` at step `k`, nil when there is none yet.
    @inline(__always)
    public func priceAt(_ k: Int, _ j: Int) -> Double? {
        let p = price[k * assetCount + j]
        return p.isNaN ? nil : p
    }

    /// What a methodology sees at step `k` (the same view the live path builds from the store).
    public func marketView(at k: Int) -> MarketView {
        let n = assetCount
        var assetMap: [String: Asset] = [:]
        var prices: [String: Double] = [:]
        var caps: [String: Double] = [:]
        var vols: [String: Double] = [:]
        assetMap.reserveCapacity(n)
        prices.reserveCapacity(n)
        for j in 0..<n {
            let s = symbols[j]
            assetMap[s] = assets[j]
            let cell = k * n + j
            guard !price[cell].isNaN else { continue }
            prices[s] = price[cell]
            if !marketCap[cell].isNaN { caps[s] = marketCap[cell] }
            if !volume[cell].isNaN { vols[s] = volume[cell] }
        }
        return MarketView(assets: assetMap, prices: prices, marketCaps: caps, volumes: vols)
    }
}
