/// One asset's line of a P&L report.
public struct AssetPnL: Sendable, Equatable {
    public var symbol: String
    public var quantity: Double
    /// Cost basis of what is held, fees included.
    public var costBasis: Double
    /// Cost basis per unit, nil when nothing is held.
    public var averageCost: Double?
    /// The price used for the unrealised P&L, nil when the asset has none.
    public var price: Double?
    /// quantity × price (0 without a price).
    public var value: Double
    /// Realised P&L: of the report's year when it has one, else of every sale.
    public var realised: Double
    /// value − cost basis; nil without a price.
    public var unrealised: Double?
    /// Fees paid on this asset's trades (base currency).
    public var fees: Double
}

/// Realised and unrealised P&L per asset and in total (`indextop pnl`).
public struct PnLReport: Sendable, Equatable {
    public var method: CostMethod
    /// The year realised P&L is restricted to, nil for all years.
    public var year: Int?
    /// By symbol.
    public var assets: [AssetPnL]
    /// Realised P&L of every year with a sale, by year.
    public var realisedByYear: [(year: Int, realised: Double)]
    public var costBasis: Double
    public var value: Double
    public var realised: Double
    /// Sum over assets with a price.
    public var unrealised: Double
    public var fees: Double

    /// The report of `positions` valued at `prices` (an asset without a price has no unrealised P&L);
    /// `year` restricts realised P&L to sales in that UTC calendar year. Sums run in symbol order.
    public init(positions: [LotPosition], prices: [String: Double], method: CostMethod, year: Int? = nil) {
        self.method = method
        self.year = year
        var rows: [AssetPnL] = []
        var years: [Int: Double] = [:]
        for p in positions.sorted(by: { $0.symbol < $1.symbol }) {
            let price = prices[p.symbol]
            let realised = year.map { p.realisedByYear[$0] ?? 0 } ?? p.realised
            for (y, v) in p.realisedByYear.sorted(by: { $0.key < $1.key }) { years[y, default: 0] += v }
            rows.append(
                AssetPnL(
                    symbol: p.symbol, quantity: p.quantity, costBasis: p.costBasis, averageCost: p.averageCost,
                    price: price, value: price.map { p.quantity * $0 } ?? 0, realised: realised,
                    unrealised: price.map { p.unrealised(at: $0) }, fees: p.fees))
        }
        assets = rows
        realisedByYear = years.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        costBasis = rows.reduce(0) { $0 + $1.costBasis }
        value = rows.reduce(0) { $0 + $1.value }
        realised = rows.reduce(0) { $0 + $1.realised }
        unrealised = rows.reduce(0) { $0 + ($1.unrealised ?? 0) }
        fees = rows.reduce(0) { $0 + $1.fees }
    }

    public static func == (a: PnLReport, b: PnLReport) -> Bool {
        a.method == b.method && a.year == b.year && a.assets == b.assets
            && a.realisedByYear.map(\.year) == b.realisedByYear.map(\.year)
            && a.realisedByYear.map(\.realised) == b.realisedByYear.map(\.realised) && a.costBasis == b.costBasis
            && a.value == b.value && a.realised == b.realised && a.unrealised == b.unrealised && a.fees == b.fees
    }
}
