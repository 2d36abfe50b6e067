/// How the cost of what is sold is chosen among the lots held.
public enum CostMethod: String, Sendable, CaseIterable, Codable {
    /// First in, first out: a sale consumes the oldest lots first.
    case fifo
    /// Average cost: every unit held costs (total basis / total quantity).
    case average
}

/// One asset's holding after a sequence of trades, and the P&L its sales realised.
public struct LotPosition: Sendable, Equatable {
    /// The asset.
    public var symbol: String
    /// Quantity held (≥ 0).
    public var quantity: Double
    /// Total cost basis of what is held (fees included), base currency.
    public var costBasis: Double
    /// Realised P&L of every sale, base currency.
    public var realised: Double
    /// Realised P&L by the UTC calendar year of the sale.
    public var realisedByYear: [Int: Double]
    /// Fees paid (valued in the base currency), every trade.
    public var fees: Double
    /// Number of trades of this asset.
    public var trades: Int
    /// The open lots, oldest first, as (quantity, cost basis). Average cost keeps one pooled lot.
    public var lots: [(quantity: Double, costBasis: Double)]

    /// Cost basis per unit held, nil when nothing is held.
    public var averageCost: Double? { quantity > 0 ? costBasis / quantity : nil }

    /// Unrealised P&L at `price`: value − cost basis.
    public func unrealised(at price: Double) -> Double { quantity * price - costBasis }

    public static func == (a: LotPosition, b: LotPosition) -> Bool {
        a.symbol == b.symbol && a.quantity == b.quantity && a.costBasis == b.costBasis && a.realised == b.realised
            && a.realisedByYear == b.realisedByYear && a.fees == b.fees && a.trades == b.trades
            && a.lots.map(\.quantity) == b.lots.map(\.quantity) && a.lots.map(\.costBasis) == b.lots.map(\.costBasis)
    }
}

/// A trade lot accounting cannot take (a sale of more than is held, a negative amount).
public struct LotError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Position of the offending trade in the list given to `Lots.positions`.
    public var index: Int
    /// The field at fault (`quantity`, `price`, `fee`, `cost_basis`).
    public var field: String
    /// What is wrong.
    public var message: String
    public var description: String { "\(field): \(message)" }
}

/// Lot accounting (FIFO or average cost) over executed trades: pure and deterministic.
///
/// Rules, written once:
/// - A buy opens a lot of `netQuantity` units costing `netQuantity × price + feeValue`.
/// - A sell of `netQuantity` units realises `netQuantity × price − feeValue − released`, where
///   `released` is the basis of the units sold: FIFO takes it from the oldest lots (a lot partly sold
///   keeps the basis of its remaining units pro rata); average cost takes `units × basis / quantity`.
///   Selling more than is held (beyond a relative 1e-9 for rounding) is an error.
/// - An adjustment sets the holding to its quantity and cost basis (one lot), realising nothing.
/// - Trades apply in time order; trades at the same time keep the order given.
public enum Lots {
    /// Relative tolerance when a sale empties a holding (rounding of exchange quantities).
    public static let tolerance = 1e-9

    /// The positions, by symbol, after applying `trades` with `method`.
    /// - Throws: `LotError` naming the first trade (by its index in `trades`) that cannot apply.
    public static func positions(_ trades: [Trade], method: CostMethod) throws -> [LotPosition] {
        var order = Array(trades.indices)
        var sorted = true
        for i in 1..<max(1, trades.count) where trades[i].time < trades[i - 1].time {
            sorted = false
            break
        }
        if !sorted {
            order.sort { trades[$0].time != trades[$1].time ? trades[$0].time < trades[$1].time : $0 < $1 }
        }
        var slot: [String: Int] = [:]
        var books: [Book] = []
        for i in order {
            let t = trades[i]
            let k: Int
            if let s = slot[t.symbol] {
                k = s
            } else {
                k = books.count
                slot[t.symbol] = k
                books.append(Book(symbol: t.symbol))
            }
            try books[k].apply(t, index: i, method: method)
        }
        return books.map { $0.position }.sorted { $0.symbol < $1.symbol }
    }

    /// Per-asset state while trades apply. Lots are a queue: `head` is the oldest open lot.
    struct Book {
        let symbol: String
        var lotQuantity: [Double] = []
        var lotBasis: [Double] = []
        var head = 0
        var quantity = 0.0
        var basis = 0.0
        var realised = 0.0
        var byYear: [Int: Double] = [:]
        var fees = 0.0
        var trades = 0

        init(symbol: String) { self.symbol = symbol }

        mutating func apply(_ t: Trade, index: Int, method: CostMethod) throws {
            guard t.quantity.isFinite, t.quantity >= 0, t.kind == .adjust || t.quantity > 0 else {
                throw LotError(index: index, field: "quantity", message: "\(t.quantity) must be > 0")
            }
            guard t.price.isFinite, t.price >= 0 else {
                throw LotError(index: index, field: "price", message: "\(t.price) must be ≥ 0")
            }
            guard t.feeValue.isFinite, t.feeValue >= 0, t.feeQuantity.isFinite, t.feeQuantity >= 0 else {
                throw LotError(index: index, field: "fee", message: "must be ≥ 0")
            }
            trades += 1
            fees += t.feeValue
            switch t.kind {
            case .buy:
                let q = t.netQuantity
                guard q > 0 else {
                    throw LotError(index: index, field: "fee", message: "a fee in \(symbol) of the whole quantity")
                }
                let cost = q * t.price + t.feeValue
                quantity += q
                basis += cost
                if method == .fifo {
                    lotQuantity.append(q)
                    lotBasis.append(cost)
                }
            case .sell:
                let q = t.netQuantity
                if q > quantity * (1 + Lots.tolerance) + 1e-12 {
                    throw LotError(
                        index: index, field: "quantity",
                        message: "sells \(q) \(symbol) but only \(quantity) is held at that time")
                }
                let released = method == .fifo ? consume(q) : releaseAverage(q)
                let pnl = q * t.price - t.feeValue - released
                realised += pnl
                byYear[UTCCalendar.civil(day: UTCCalendar.dayNumber(t.time)).year, default: 0] += pnl
            case .adjust:
                guard t.costBasis.isFinite, t.costBasis >= 0 else {
                    throw LotError(index: index, field: "cost_basis", message: "\(t.costBasis) must be ≥ 0")
                }
                quantity = t.quantity
                basis = t.quantity > 0 ? t.costBasis + t.feeValue : 0
                if method == .fifo {
                    lotQuantity = t.quantity > 0 ? [quantity] : []
                    lotBasis = t.quantity > 0 ? [basis] : []
                    head = 0
                }
            }
        }

        /// FIFO: takes `q` units from the oldest lots; returns their basis.
        mutating func consume(_ q: Double) -> Double {
            if q >= quantity * (1 - Lots.tolerance) {
                // The whole holding (up to rounding): everything left goes.
                let all = basis
                quantity = 0
                basis = 0
                lotQuantity.removeAll(keepingCapacity: true)
                lotBasis.removeAll(keepingCapacity: true)
                head = 0
                return all
            }
            var left = q
            var released = 0.0
            while left > 0, head < lotQuantity.count {
                let lq = lotQuantity[head]
                if lq <= left {
                    released += lotBasis[head]
                    left -= lq
                    head += 1
                } else {
                    let part = lotBasis[head] * left / lq
                    released += part
                    lotBasis[head] -= part
                    lotQuantity[head] = lq - left
                    left = 0
                }
            }
            quantity -= q
            basis -= released
            if head > 64, head * 2 > lotQuantity.count {
                lotQuantity.removeFirst(head)
                lotBasis.removeFirst(head)
                head = 0
            }
            return released
        }

        /// Average cost: `q` units at the pool's average cost.
        mutating func releaseAverage(_ q: Double) -> Double {
            if q >= quantity * (1 - Lots.tolerance) {
                let all = basis
                quantity = 0
                basis = 0
                return all
            }
            let released = basis * q / quantity
            quantity -= q
            basis -= released
            return released
        }

        var position: LotPosition {
            let lots: [(quantity: Double, costBasis: Double)]
            if !lotQuantity.isEmpty, head < lotQuantity.count {
                lots = (head..<lotQuantity.count).map { (lotQuantity[$0], lotBasis[$0]) }
            } else if lotQuantity.isEmpty, quantity > 0 {
                lots = [(quantity, basis)]
            } else {
                lots = []
            }
            return LotPosition(
                symbol: symbol, quantity: quantity, costBasis: basis, realised: realised, realisedByYear: byYear,
                fees: fees, trades: trades, lots: lots)
        }
    }
}
