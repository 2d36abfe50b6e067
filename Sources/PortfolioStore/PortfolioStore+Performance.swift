import Foundation
import IndexCore
import SQLiteKit

/// Performance of an index with its comparisons (DESIGN §7).
public struct PerformanceReport: Sendable {
    public var index: String
    public var figures: PerformanceFigures
    /// BTC over the same period, nil when BTC has no prices.
    public var btc: PerformanceFigures?
    /// The starting holdings never rebalanced.
    public var buyAndHold: PerformanceFigures?
    /// Daily series (value per unit) of the index, BTC and buy-and-hold, rebased to the index's start.
    public var series: [ValuePoint]
    public var btcSeries: [ValuePoint]
    public var buyAndHoldSeries: [ValuePoint]
}

extension PortfolioStore {
    /// The figures of DESIGN §7 for `slug`, against BTC and its buy-and-hold twin.
    public func performance(_ slug: String) throws -> PerformanceReport {
        let idx = try index(slug)
        let raw = try navSeries(slug)
        let series = Analytics.dailyCloses(raw)
        let figures = Analytics.figures(raw)
        guard let first = series.first, let last = series.last else {
            return PerformanceReport(
                index: slug, figures: figures, btc: nil, buyAndHold: nil, series: [], btcSeries: [],
                buyAndHoldSeries: [])
        }
        var btcSeries: [ValuePoint] = []
        let btc = try dailyCloses("BTC", from: first.time - UTCCalendar.day + 1, to: last.time)
        if let b0 = btc.first?.price {
            btcSeries = btc.map { ValuePoint(time: $0.time, value: $0.price / b0 * first.value) }
        }
        // Buy and hold: the holdings right after the initial rebalance, never traded again.
        var bh: [ValuePoint] = []
        if let initialID = try db.scalarInt(
            "SELECT id FROM rebalances WHERE index_id = ? AND trigger = 'initial' ORDER BY time LIMIT 1", [idx.id])
        {
            let r = try rebalance(initialID)
            var qty: [String: Double] = [:]
            for t in r.trades where t.side == .buy { qty[t.symbol, default: 0] += t.quantity }
            let cash = r.cashAfter
            let units = idx.spec.initialCapital / Self.initialUnitValue
            var closes: [String: [PricePoint]] = [:]
            for s in qty.keys { closes[s] = try dailyCloses(s, from: r.time - UTCCalendar.day + 1, to: last.time) }
            for p in series {
                // Summed in symbol order, as the backtest engine does: the same bits in every process.
                var invested = 0.0
                var complete = true
                for s in qty.keys.sorted() {
                    guard let c = Self.lastAtOrBefore(closes[s] ?? [], p.time) else {
                        complete = false
                        break
                    }
                    invested += qty[s]! * c
                }
                if complete { bh.append(ValuePoint(time: p.time, value: (cash + invested) / units)) }
            }
        }
        return PerformanceReport(
            index: slug, figures: figures, btc: btcSeries.isEmpty ? nil : Analytics.figures(btcSeries),
            buyAndHold: bh.isEmpty ? nil : Analytics.figures(bh), series: series, btcSeries: btcSeries,
            buyAndHoldSeries: bh)
    }

    static func lastAtOrBefore(_ points: [PricePoint], _ time: Int64) -> Double? {
        var lo = 0
        var hi = points.count - 1
        var found: Double?
        while lo <= hi {
            let mid = (lo + hi) / 2
            if points[mid].time <= time {
                found = points[mid].price
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return found
    }

    /// What the index's performance and history depend on: its rebalance count and newest NAV time
    /// (a reader recomputes them only when this changes).
    public func historyKey(_ index: IndexRecord) throws -> [Int64] {
        [
            try db.scalarInt("SELECT COUNT(*) FROM rebalances WHERE index_id = ?", [index.id]) ?? 0,
            try db.scalarInt("SELECT MAX(time) FROM index_values WHERE index_id = ?", [index.id]) ?? 0,
        ]
    }
}
