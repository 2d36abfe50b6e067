import Foundation
import IndexCore
import PortfolioStore

/// The JSON shapes of DESIGN §12.
enum Printers {
    static func trade(_ t: TradeRecord) -> [String: Any] {
        [
            "symbol": t.symbol, "side": t.side.rawValue, "quantity": Output.num(t.quantity),
            "price": Output.num(t.price), "notional": Output.num(t.notional), "fee": Output.num(t.fee),
            "slippage": Output.num(t.slippage),
        ]
    }

    static func trade(_ t: PlannedTrade) -> [String: Any] {
        [
            "symbol": t.symbol, "side": t.side.rawValue, "quantity": Output.num(t.quantity),
            "price": Output.num(t.price), "notional": Output.num(t.notional), "fee": Output.num(t.fee),
            "slippage": Output.num(t.slippage), "execution_price": Output.num(t.executionPrice),
        ]
    }

    static func weights(_ w: [WeightChange]) -> [[String: Any]] {
        w.map {
            [
                "symbol": $0.symbol, "before": Output.num($0.before), "target": Output.num($0.target),
                "after": Output.num($0.after),
            ]
        }
    }

    /// Trades left out of a plan (under the minimum trade, or no cash for them).
    static func skipped(_ s: [SkippedTrade]) -> [[String: Any]] {
        s.map { ["symbol": $0.symbol, "notional": Output.num($0.notional), "reason": $0.reason] }
    }

    /// `rebalance SLUG` for a plan (preview) or its applied record.
    static func plan(_ p: StoredPlan, status: String, id: Int64? = nil, reason: String? = nil) -> [String: Any] {
        var o: [String: Any] = [
            "index": p.slug, "status": status, "trigger": p.trigger.rawValue, "time": UTCCalendar.iso(p.time),
            "nav_before": Output.num(p.plan.navBefore), "nav_after": Output.num(p.plan.navAfter),
            "turnover": Output.num(p.plan.turnover), "fees": Output.num(p.plan.fees),
            "slippage": Output.num(p.plan.slippage), "cash_after": Output.num(p.plan.cashAfter),
            "prices_time": UTCCalendar.iso(p.pricesTime),
            "trades": p.plan.trades.map(trade), "weights": weights(p.plan.weights),
            "skipped": skipped(p.plan.skipped),
        ]
        if let id { o["id"] = id }
        if let reason { o["reason"] = reason }
        return o
    }

    static func rebalance(_ r: RebalanceRecord, status: String? = nil) -> [String: Any] {
        [
            "id": r.id, "index": r.indexSlug, "time": UTCCalendar.iso(r.time), "trigger": r.trigger,
            "status": status ?? r.status, "nav_before": Output.num(r.navBefore), "nav_after": Output.num(r.navAfter),
            "turnover": Output.num(r.turnover), "fees": Output.num(r.fees), "slippage": Output.num(r.slippage),
            "cash_after": Output.num(r.cashAfter), "reason": r.reason, "trades": r.trades.map(trade),
            "weights": weights(r.weights),
        ]
    }

    static func holdings(_ v: IndexValuation, labels: [String: String]) -> [String: Any] {
        [
            "index": v.index.slug, "time": UTCCalendar.iso(v.time), "nav": Output.num(v.nav),
            "nav_per_unit": Output.num(v.navPerUnit), "units": Output.num(v.index.units),
            "cash": Output.num(v.index.cash), "change_24h": Output.num(v.change24h),
            "holdings": v.holdings.map { h -> [String: Any] in
                [
                    "symbol": h.symbol, "quantity": Output.num(h.quantity), "price": Output.num(h.price),
                    "value": Output.num(h.value), "weight": Output.num(h.weight), "target": Output.num(h.target),
                    "drift": Output.num(h.drift), "change_24h": Output.num(h.change24h),
                    "signal": labels[h.symbol] ?? NSNull(), "pnl": Output.num(h.pnl),
                    "cost_basis": Output.num(h.costBasis),
                ]
            },
        ]
    }

    static func figures(_ f: PerformanceFigures) -> [String: Any] {
        [
            "from": UTCCalendar.iso(f.from), "to": UTCCalendar.iso(f.to),
            "returns": [
                "24h": Output.num(f.return24h), "7d": Output.num(f.return7d), "30d": Output.num(f.return30d),
                "all": Output.num(f.returnAll),
            ],
            "volatility": Output.num(f.volatility), "sharpe": Output.num(f.sharpe), "sortino": Output.num(f.sortino),
            "max_drawdown": Output.num(f.maxDrawdown), "cagr": Output.num(f.cagr),
        ]
    }
}
