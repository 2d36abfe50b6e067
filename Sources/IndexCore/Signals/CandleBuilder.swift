import Foundation

/// Aggregates price points (ticks or daily closes) into daily UTC candles.
public enum CandleBuilder {
    /// Groups `points` by symbol and UTC day into candles sorted by day.
    ///
    /// `points` may be in any order. Within a day, points are taken in time order (points with equal times
    /// keep their input order): open is the first price, close the last, high/low the extremes.
    /// `volume` is the *last* reported volume of the day, not a sum: feeds report a rolling 24 h volume,
    /// so the last report of a UTC day is that day's volume, and summing ticks would count it many times.
    /// `marketCap` is likewise the last reported value. Points whose price is not finite are ignored.
    /// - Returns: symbol → candles in ascending day order, one per day that has at least one point
    ///   (days without prices are absent, not filled).
    public static func daily(_ points: [PricePoint]) -> [String: [Candle]] {
        var bySymbol: [String: [Int]] = [:]
        for (i, p) in points.enumerated() where p.price.isFinite {
            bySymbol[p.symbol, default: []].append(i)
        }
        var result: [String: [Candle]] = [:]
        result.reserveCapacity(bySymbol.count)
        for (symbol, indices) in bySymbol {
            let ordered = isSortedByTime(indices, points) ? indices : sortedByTime(indices, points)
            result[symbol] = candles(ordered, points)
        }
        return result
    }

    private static func isSortedByTime(_ indices: [Int], _ points: [PricePoint]) -> Bool {
        var previous = Int64.min
        for i in indices {
            if points[i].time < previous { return false }
            previous = points[i].time
        }
        return true
    }

    private static func sortedByTime(_ indices: [Int], _ points: [PricePoint]) -> [Int] {
        // Index as tie-breaker keeps the input order of equal times (Swift's sort is not guaranteed stable).
        indices.sorted { a, b in
            points[a].time != points[b].time ? points[a].time < points[b].time : a < b
        }
    }

    private static func candles(_ ordered: [Int], _ points: [PricePoint]) -> [Candle] {
        var out: [Candle] = []
        var current: Candle?
        for i in ordered {
            let p = points[i]
            let day = Candle.day(of: p.time)
            if var c = current, c.day == day {
                c.high = max(c.high, p.price)
                c.low = min(c.low, p.price)
                c.close = p.price
                if let v = p.volume { c.volume = v }
                if let m = p.marketCap { c.marketCap = m }
                current = c
            } else {
                if let c = current { out.append(c) }
                current = Candle(
                    day: day, open: p.price, high: p.price, low: p.price, close: p.price, volume: p.volume,
                    marketCap: p.marketCap)
            }
        }
        if let c = current { out.append(c) }
        return out
    }
}
