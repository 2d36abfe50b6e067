import Foundation
import IndexCore
import PortfolioStore

/// The JSON shapes of the tracked-index commands (README "Trades, lots and P&L" lists the fields).
enum TrackedJSON {
    struct Import: Encodable {
        let index: String
        let file: String
        let format: String
        let imported: Int
        let skipped: Int
    }

    struct PnLAsset: Encodable {
        let symbol: String
        let quantity: Double
        let costBasis: JSONNumber
        let averageCost: JSONNumber
        let price: JSONNumber
        let value: JSONNumber
        let realised: JSONNumber
        let unrealised: JSONNumber
        let fees: JSONNumber
        enum CodingKeys: String, CodingKey {
            case symbol, quantity, price, value, realised, unrealised, fees
            case costBasis = "cost_basis", averageCost = "average_cost"
        }
    }

    struct PnLTotal: Encodable {
        let costBasis: JSONNumber
        let value: JSONNumber
        let realised: JSONNumber
        let unrealised: JSONNumber
        let fees: JSONNumber
        enum CodingKeys: String, CodingKey {
            case value, realised, unrealised, fees
            case costBasis = "cost_basis"
        }
    }

    struct YearRealised: Encodable {
        let year: Int
        let realised: JSONNumber
    }

    struct PnL: Encodable {
        let index: String
        let method: String
        let year: Int?
        let time: String
        let assets: [PnLAsset]
        let total: PnLTotal
        let realisedByYear: [YearRealised]
        enum CodingKeys: String, CodingKey {
            case index, method, year, time, assets, total
            case realisedByYear = "realised_by_year"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(method, forKey: .method)
            try c.encode(year, forKey: .year)  // null when all years
            try c.encode(time, forKey: .time)
            try c.encode(assets, forKey: .assets)
            try c.encode(total, forKey: .total)
            try c.encode(realisedByYear, forKey: .realisedByYear)
        }
    }

    struct OrderRow: Encodable {
        let symbol: String
        let side: String
        let quantity: Double
        let limitPrice: Double
        let notional: Double
        enum CodingKeys: String, CodingKey {
            case symbol, side, quantity, notional
            case limitPrice = "limit_price"
        }
    }

    struct Orders: Encodable {
        let index: String
        let rebalanceId: Int64?
        let status: String
        let orders: [OrderRow]
        enum CodingKeys: String, CodingKey {
            case index, status, orders
            case rebalanceId = "rebalance_id"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(index, forKey: .index)
            try c.encode(rebalanceId, forKey: .rebalanceId)
            try c.encode(status, forKey: .status)
            try c.encode(orders, forKey: .orders)
        }
    }

    struct Fill: Encodable {
        let symbol: String
        let side: String
        let plannedQuantity: Double
        let plannedPrice: Double
        let quantity: Double
        let price: Double
        let fees: Double
        let shortfall: JSONNumber
        let shortfallBp: JSONNumber
        enum CodingKeys: String, CodingKey {
            case symbol, side, quantity, price, fees, shortfall
            case plannedQuantity = "planned_quantity", plannedPrice = "planned_price", shortfallBp = "shortfall_bp"
        }
        init(_ f: FillRecord) {
            symbol = f.symbol
            side = f.side.rawValue
            plannedQuantity = f.plannedQuantity
            plannedPrice = f.plannedPrice
            quantity = f.quantity
            price = f.price
            fees = f.fees
            shortfall = JSONNumber(f.shortfall)
            shortfallBp = JSONNumber(f.shortfallBp)
        }
    }

    struct Execution: Encodable {
        let index: String
        let rebalanceId: Int64
        let status: String
        let shortfall: JSONNumber
        let shortfallBp: JSONNumber
        let fills: [Fill]
        enum CodingKeys: String, CodingKey {
            case index, status, shortfall, fills
            case rebalanceId = "rebalance_id", shortfallBp = "shortfall_bp"
        }
    }

    struct Difference: Encodable {
        let symbol: String
        let model: Double
        let file: Double
        let difference: Double
    }

    struct Check: Encodable {
        let index: String
        let file: String
        let matches: Bool
        let differences: [Difference]
    }

    /// A `history` entry: the rebalance's shape plus `shortfall`, `shortfall_bp` (null unless executed)
    /// and, once executed, its `fills`.
    struct HistoryEntry: Encodable {
        let rebalance: RebalanceJSON
        let execution: ExecutionReport?
        enum CodingKeys: String, CodingKey {
            case shortfall, fills
            case shortfallBp = "shortfall_bp"
        }
        func encode(to encoder: any Encoder) throws {
            try rebalance.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(JSONNumber(execution?.shortfall), forKey: .shortfall)
            try c.encode(JSONNumber(execution?.shortfallBp), forKey: .shortfallBp)
            if let execution { try c.encode(execution.fills.map(Fill.init), forKey: .fills) }
        }
    }
}
