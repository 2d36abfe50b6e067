import Foundation

/// One point of a value series (Unix seconds, value).
public struct ValuePoint: Sendable, Equatable {
    public var time: Int64
    public var value: Double
    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}

/// The performance figures of DESIGN §7, from a value-per-unit series.
public struct PerformanceFigures: Sendable, Equatable {
    public var from: Int64
    public var to: Int64
    public var return24h: Double?
    public var return7d: Double?
    public var return30d: Double?
    public var returnAll: Double?
    /// Stdev (n − 1) of daily simple returns × √365.
    public var volatility: Double?
    /// Mean / stdev of daily returns × √365 (risk-free 0).
    public var sharpe: Double?
    /// Mean × 365 / (√(mean of min(r, 0)²) × √365).
    public var sortino: Double?
    /// min_t V_t / max_{s≤t} V_s − 1 (≤ 0).
    public var maxDrawdown: Double?
    /// (V_T / V_0)^(365 / days) − 1.
    public var cagr: Double?
}

/// Performance analytics on daily closes (UTC), annualised with 365 days.
public enum Analytics {
    /// The last value of each UTC day, in time order.
    public static func dailyCloses(_ series: [ValuePoint]) -> [ValuePoint] {
        var out: [ValuePoint] = []
        for p in series.sorted(by: { $0.time < $1.time }) {
            let day = UTCCalendar.dayNumber(p.time)
            if let last = out.last, UTCCalendar.dayNumber(last.time) == day {
                out[out.count - 1] = p
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// Daily simple returns of consecutive closes.
    public static func dailyReturns(_ closes: [Double]) -> [Double] {
        guard closes.count > 1 else { return [] }
        return (1..<closes.count).map { closes[$0] / closes[$0 - 1] - 1 }
    }

    /// Every figure of DESIGN §7 for `series` (any sampling; reduced to daily closes).
    public static func figures(_ series: [ValuePoint]) -> PerformanceFigures {
        let daily = dailyCloses(series)
        var f = PerformanceFigures(
            from: series.map(\.time).min() ?? 0, to: daily.last?.time ?? 0)
        guard let first = daily.first, let last = daily.last, first.value > 0 else { return f }
        let raw = series.sorted { $0.time < $1.time }
        func back(_ seconds: Int64) -> Double? {
            let target = last.time - seconds
            guard raw.first!.time <= target else { return nil }
            var lo = 0
            var hi = raw.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if raw[mid].time <= target { lo = mid } else { hi = mid - 1 }
            }
            let v = raw[lo].value
            return v > 0 ? last.value / v - 1 : nil
        }
        f.return24h = back(UTCCalendar.day)
        f.return7d = back(7 * UTCCalendar.day)
        f.return30d = back(30 * UTCCalendar.day)
        // Since inception: from the first point of the series (the index's creation), not the first day's close.
        let origin = raw[0]
        f.returnAll = origin.value > 0 ? last.value / origin.value - 1 : nil
        let closes = daily.map(\.value)
        let r = dailyReturns(closes)
        if r.count >= 2 {
            let mean = r.reduce(0, +) / Double(r.count)
            let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)
            let sd = variance.squareRoot()
            f.volatility = sd * 365.0.squareRoot()
            f.sharpe = sd > 0 ? mean / sd * 365.0.squareRoot() : nil
            let downside = (r.reduce(0) { $0 + min($1, 0) * min($1, 0) } / Double(r.count)).squareRoot()
            f.sortino = downside > 0 ? mean * 365 / (downside * 365.0.squareRoot()) : nil
        }
        f.maxDrawdown = maxDrawdown(closes)
        let days = Double(last.time - origin.time) / Double(UTCCalendar.day)
        if days >= 1, origin.value > 0 { f.cagr = pow(last.value / origin.value, 365 / days) - 1 }
        return f
    }

    /// min over t of V_t / max_{s≤t} V_s − 1.
    public static func maxDrawdown(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var peak = values[0]
        var worst = 0.0
        for v in values {
            peak = max(peak, v)
            if peak > 0 { worst = min(worst, v / peak - 1) }
        }
        return worst
    }
}
