/// What an executed trade did to a holding.
public enum TradeKind: String, Sendable, Codable, CaseIterable {
    /// Bought `quantity` at `price`.
    case buy
    /// Sold `quantity` at `price`.
    case sell
    /// A correction: the holding is set to `quantity` with a total cost basis of `costBasis` (no P&L).
    case adjust
}

/// A trade the user really executed (on an exchange), the input of lot accounting (DESIGN §3,
/// "Model and tracked indices"). Amounts are in the index's base currency.
///
/// Quantities: `quantity` is the gross quantity of the trade as the exchange reports it. A fee paid in
/// the traded asset itself (`feeQuantity` units) means a buy receives `quantity − feeQuantity` and a sell
/// delivers `quantity + feeQuantity`. `feeValue` is the whole fee valued in the base currency at the
/// trade's time (a fee in another coin at that coin's price then, a fee in the traded asset at `price`).
/// So a buy adds `net × price + feeValue` (= `quantity × price` + the fee in other currencies) to the
/// cost basis, and a sell's proceeds are `net × price − feeValue`.
public struct Trade: Sendable, Equatable {
    /// Unix seconds (UTC).
    public var time: Int64
    /// The traded asset.
    public var symbol: String
    /// Buy, sell or adjustment.
    public var kind: TradeKind
    /// Gross quantity traded (> 0); for `adjust`, the quantity held afterwards (≥ 0).
    public var quantity: Double
    /// Price per unit in the base currency (≥ 0).
    public var price: Double
    /// The fee valued in the base currency at the trade's time (≥ 0).
    public var feeValue: Double
    /// The part of the fee paid in the traded asset itself, in its units (≥ 0).
    public var feeQuantity: Double
    /// For `adjust`: the total cost basis of the holding afterwards. Ignored otherwise.
    public var costBasis: Double

    /// A trade; see the type's documentation for the meaning of each amount.
    public init(
        time: Int64, symbol: String, kind: TradeKind, quantity: Double, price: Double, feeValue: Double = 0,
        feeQuantity: Double = 0, costBasis: Double = 0
    ) {
        self.time = time
        self.symbol = symbol
        self.kind = kind
        self.quantity = quantity
        self.price = price
        self.feeValue = feeValue
        self.feeQuantity = feeQuantity
        self.costBasis = costBasis
    }

    /// The quantity that enters (buy) or leaves (sell) the holding: the gross quantity less (buy) or
    /// plus (sell) the fee paid in the asset itself.
    public var netQuantity: Double {
        switch kind {
        case .buy: return quantity - feeQuantity
        case .sell: return quantity + feeQuantity
        case .adjust: return quantity
        }
    }

    /// `quantity × price`, the trade's notional.
    public var notional: Double { quantity * price }
}
