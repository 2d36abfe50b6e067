import Foundation
import IndexCore
import PortfolioStore

/// A JSON number: `null` for nil and for non-finite values (JSON has no NaN or infinity).
struct JSONNumber: Encodable, Equatable {
    let value: Double?
    init(_ value: Double?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value, value.isFinite { try c.encode(value) } else { try c.encodeNil() }
    }
}

/// A value encoded as JSON `null` when nil (synthesised `Encodable` would leave the key out).
@propertyWrapper
struct Nullable<Value: Encodable>: Encodable {
    var wrappedValue: Value?
    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

/// A trade: `{symbol, side, quantity, price, notional, fee, slippage[, execution_price]}` (DESIGN §12).
struct TradeJSON: Encodable {
    let symbol: String
    let side: String
    let quantity, price, notional, fee, slippage: JSONNumber
    /// Planned trades only.
    let executionPrice: JSONNumber?

    enum CodingKeys: String, CodingKey {
        case symbol, side, quantity, price, notional, fee, slippage
        case executionPrice = "execution_price"
    }
}

/// A weight change: `{symbol, before, target, after}`.
struct WeightJSON: Encodable {
    let symbol: String
    let before, target, after: JSONNumber
}

/// A trade left out of a plan: `{symbol, notional, reason}`.
struct SkippedJSON: Encodable {
    let symbol: String
    let notional: JSONNumber
    let reason: String
}

/// `rebalance SLUG` (preview or applied), an entry of `rebalance --due` and of `history SLUG`:
/// `{index, status, trigger, time, nav_before, nav_after, turnover, fees, slippage, cash_after, trades,
/// weights, ...}`; keys that do not apply to the source (a plan has no id before it is applied) are left out.
struct RebalanceJSON: Encodable {
    var id: Int64?
    let index: String
    let status: String
    let trigger: String
    let time: String
    let navBefore, navAfter, turnover, fees, slippage, cashAfter: JSONNumber
    var pricesTime: String?
    let trades: [TradeJSON]
    let weights: [WeightJSON]
    var skipped: [SkippedJSON]?
    var reason: String?
    /// `rebalance --apply`: true when the plan went stale under a live feed and was planned again.
    var replanned: Bool?

    enum CodingKeys: String, CodingKey {
        case id, index, status, trigger, time, trades, weights, skipped, reason, replanned, turnover, fees, slippage
        case navBefore = "nav_before"
        case navAfter = "nav_after"
        case cashAfter = "cash_after"
        case pricesTime = "prices_time"
    }
}

/// One holding of `holdings SLUG`.
struct HoldingJSON: Encodable {
    let symbol: String
    let quantity, price, value, weight, target, drift, change24h: JSONNumber
    @Nullable var signal: String?
    let pnl, costBasis: JSONNumber

    enum CodingKeys: String, CodingKey {
        case symbol, quantity, price, value, weight, target, drift, signal, pnl
        case change24h = "change_24h"
        case costBasis = "cost_basis"
    }
}

/// `holdings SLUG`: `{index, time, nav, nav_per_unit, units, cash, change_24h, holdings: [...]}`.
struct HoldingsJSON: Encodable {
    let index: String
    let time: String
    let nav, navPerUnit, units, cash, change24h: JSONNumber
    let holdings: [HoldingJSON]
    /// `model` or `tracked`; a tracked index's cost basis and P&L are the FIFO figures of `pnl`.
    let kind: String

    enum CodingKeys: String, CodingKey {
        case index, time, nav, units, cash, holdings, kind
        case navPerUnit = "nav_per_unit"
        case change24h = "change_24h"
    }
}

/// The figures of `performance`: `{from, to, returns: {24h, 7d, 30d, all}, volatility, sharpe, sortino,
/// max_drawdown, cagr}`.
struct FiguresJSON: Encodable {
    struct Returns: Encodable {
        let day, week, month, all: JSONNumber
        enum CodingKeys: String, CodingKey {
            case all
            case day = "24h"
            case week = "7d"
            case month = "30d"
        }
    }
    let from, to: String
    let returns: Returns
    let volatility, sharpe, sortino, maxDrawdown, cagr: JSONNumber

    enum CodingKeys: String, CodingKey {
        case from, to, returns, volatility, sharpe, sortino, cagr
        case maxDrawdown = "max_drawdown"
    }
}

/// `performance SLUG`: the index's figures with `index`, `btc` and `buy_and_hold` (null when unknown).
struct PerformanceJSON: Encodable {
    let index: String
    let figures: FiguresJSON
    @Nullable var btc: FiguresJSON?
    @Nullable var buyAndHold: FiguresJSON?

    enum CodingKeys: String, CodingKey {
        case index, btc
        case buyAndHold = "buy_and_hold"
    }

    func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(_btc, forKey: .btc)
        try c.encode(_buyAndHold, forKey: .buyAndHold)
    }
}

/// An entry of `index list`.
struct IndexListJSON: Encodable {
    let slug, name, methodology: String
    let nav, navPerUnit, units, change24h, drift: JSONNumber
    @Nullable var nextRebalance: String?
    let cash: JSONNumber
    /// `model` or `tracked` (DESIGN §3).
    let kind: String

    enum CodingKeys: String, CodingKey {
        case slug, name, methodology, nav, units, drift, cash, kind
        case navPerUnit = "nav_per_unit"
        case change24h = "change_24h"
        case nextRebalance = "next_rebalance"
    }
}

/// `deposit|withdraw SLUG AMOUNT`: `{index, amount, units, nav_per_unit, nav, rebalance_id, fees, slippage,
/// trades}`.
struct CashFlowJSON: Encodable {
    let index: String
    let amount, units, navPerUnit, nav: JSONNumber
    let rebalanceId: Int64
    let fees, slippage: JSONNumber
    let trades: [TradeJSON]

    enum CodingKeys: String, CodingKey {
        case index, amount, units, nav, fees, slippage, trades
        case navPerUnit = "nav_per_unit"
        case rebalanceId = "rebalance_id"
    }
}

/// The JSON shapes of DESIGN §12, each built from the domain value it prints.
enum Printers {
    static func trade(_ t: TradeRecord) -> TradeJSON {
        TradeJSON(
            symbol: t.symbol, side: t.side.rawValue, quantity: .init(t.quantity), price: .init(t.price),
            notional: .init(t.notional), fee: .init(t.fee), slippage: .init(t.slippage), executionPrice: nil)
    }

    static func trade(_ t: PlannedTrade) -> TradeJSON {
        TradeJSON(
            symbol: t.symbol, side: t.side.rawValue, quantity: .init(t.quantity), price: .init(t.price),
            notional: .init(t.notional), fee: .init(t.fee), slippage: .init(t.slippage),
            executionPrice: .init(t.executionPrice))
    }

    static func weights(_ w: [WeightChange]) -> [WeightJSON] {
        w.map {
            WeightJSON(symbol: $0.symbol, before: .init($0.before), target: .init($0.target), after: .init($0.after))
        }
    }

    /// Trades left out of a plan (under the minimum trade, or no cash for them).
    static func skipped(_ s: [SkippedTrade]) -> [SkippedJSON] {
        s.map { SkippedJSON(symbol: $0.symbol, notional: .init($0.notional), reason: $0.reason) }
    }

    /// `rebalance SLUG` for a plan (preview) or its applied record.
    static func plan(_ p: StoredPlan, status: String, id: Int64? = nil, reason: String? = nil) -> RebalanceJSON {
        RebalanceJSON(
            id: id, index: p.slug, status: status, trigger: p.trigger.rawValue, time: UTCCalendar.iso(p.time),
            navBefore: .init(p.plan.navBefore), navAfter: .init(p.plan.navAfter), turnover: .init(p.plan.turnover),
            fees: .init(p.plan.fees), slippage: .init(p.plan.slippage), cashAfter: .init(p.plan.cashAfter),
            pricesTime: UTCCalendar.iso(p.pricesTime), trades: p.plan.trades.map(trade),
            weights: weights(p.plan.weights),
            skipped: skipped(p.plan.skipped), reason: reason)
    }

    /// A recorded rebalance (`history`, `index create`, `rebalance --due`).
    static func rebalance(_ r: RebalanceRecord, status: String? = nil) -> RebalanceJSON {
        RebalanceJSON(
            id: r.id, index: r.indexSlug, status: status ?? r.status, trigger: r.trigger, time: UTCCalendar.iso(r.time),
            navBefore: .init(r.navBefore), navAfter: .init(r.navAfter), turnover: .init(r.turnover),
            fees: .init(r.fees), slippage: .init(r.slippage), cashAfter: .init(r.cashAfter),
            trades: r.trades.map(trade),
            weights: weights(r.weights), reason: r.reason)
    }

    static func holdings(_ v: IndexValuation, labels: [String: String]) -> HoldingsJSON {
        HoldingsJSON(
            index: v.index.slug, time: UTCCalendar.iso(v.time), nav: .init(v.nav), navPerUnit: .init(v.navPerUnit),
            units: .init(v.index.units), cash: .init(v.index.cash), change24h: .init(v.change24h),
            holdings: v.holdings.map { h in
                HoldingJSON(
                    symbol: h.symbol, quantity: .init(h.quantity), price: .init(h.price), value: .init(h.value),
                    weight: .init(h.weight), target: .init(h.target), drift: .init(h.drift),
                    change24h: .init(h.change24h), signal: labels[h.symbol], pnl: .init(h.pnl),
                    costBasis: .init(h.costBasis))
            }, kind: v.index.kind.rawValue)
    }

    static func figures(_ f: PerformanceFigures) -> FiguresJSON {
        FiguresJSON(
            from: UTCCalendar.iso(f.from), to: UTCCalendar.iso(f.to),
            returns: .init(
                day: .init(f.return24h), week: .init(f.return7d), month: .init(f.return30d), all: .init(f.returnAll)),
            volatility: .init(f.volatility), sharpe: .init(f.sharpe), sortino: .init(f.sortino),
            maxDrawdown: .init(f.maxDrawdown), cagr: .init(f.cagr))
    }

    static func performance(_ slug: String, _ r: PerformanceReport) -> PerformanceJSON {
        PerformanceJSON(
            index: slug, figures: figures(r.figures), btc: r.btc.map(figures), buyAndHold: r.buyAndHold.map(figures))
    }

    /// An Encodable shape as a JSON object tree (for commands that still assemble dictionaries).
    static func object(_ value: some Encodable) -> Any {
        guard let data = try? JSONEncoder().encode(value),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return NSNull() }
        return object
    }
}
