import Foundation
import IndexCore
import SQLiteKit

/// Daily candles and indicator series of every asset. Built once from the whole prices table, then
/// brought up to date by re-reading only the newest UTC day(s) when only they changed (the usual case:
/// a feed appending ticks), so a live feed does not make every use re-read the whole history.
public final class SignalCache {
    /// (row count, newest time) of the prices the cache reflects.
    var key: [Int64]
    /// Start (Unix seconds) of the newest candle day when the cache was last read in full or advanced:
    /// rows from there on are re-read by `refreshTail`.
    var tailStart: Int64
    /// Rows before `tailStart` when it was set; a different count means older history changed.
    var headCount: Int64
    /// Candles per symbol, oldest first.
    public private(set) var candles: [String: [Candle]]
    /// Indicator series aligned with `candles`.
    public private(set) var series: [String: IndicatorSeries]
    /// Stablecoin symbols (left out of breadth).
    public let stablecoins: Set<String>
    private var regimeMemo: [Int: Regime] = [:]
    private var signalMemo: [String: [Int: AssetSignal]] = [:]
    let thresholds: SignalThresholds

    init(db: Database, key: [Int64], stablecoins: Set<String>, thresholds: SignalThresholds = .standard) throws {
        self.key = key
        self.stablecoins = stablecoins
        self.thresholds = thresholds
        let st = try db.prepare("SELECT symbol, time, price, market_cap, volume FROM prices ORDER BY symbol, time")
        candles = try Self.aggregate(st, into: [:])
        series = candles.mapValues { IndicatorSeries(candles: $0) }
        tailStart = Int64(candles.values.compactMap { $0.last?.day }.max() ?? 0) * UTCCalendar.day
        headCount = try db.scalarInt("SELECT COUNT(*) FROM prices WHERE time < ?", [tailStart]) ?? 0
    }

    /// Folds rows `(symbol, time, price, market_cap, volume)` ordered by symbol and time into daily
    /// candles, appending to (or extending the last candle of) `base`.
    static func aggregate(_ st: Statement, into base: [String: [Candle]]) throws -> [String: [Candle]] {
        var candles = base
        var current: [Candle] = []
        var currentSymbol = ""
        var lastTime = Int64.min
        while try st.step() {
            let row = RowReader(st)
            let sym = row.string(0)
            if sym != currentSymbol {
                if !currentSymbol.isEmpty { candles[currentSymbol] = current }
                current = candles[sym] ?? []
                currentSymbol = sym
                lastTime = Int64.min
            }
            let t = row.int64(1)
            let price = row.double(2)
            let day = Candle.day(of: t)
            if let last = current.last, last.day == day, t >= lastTime {
                current[current.count - 1].close = price
                current[current.count - 1].high = max(last.high, price)
                current[current.count - 1].low = min(last.low, price)
                if let v = row.optionalDouble(4) { current[current.count - 1].volume = v }
                if let c = row.optionalDouble(3) { current[current.count - 1].marketCap = c }
            } else {
                current.append(
                    Candle(
                        day: day, open: price, high: price, low: price, close: price, volume: row.optionalDouble(4),
                        marketCap: row.optionalDouble(3)))
            }
            lastTime = t
        }
        if !currentSymbol.isEmpty { candles[currentSymbol] = current }
        return candles
    }

    /// Brings the cache to `key` by re-reading the rows from `tailStart` on. Returns false (and changes
    /// nothing) when rows before `tailStart` changed too: the caller then rebuilds the cache in full.
    func refreshTail(db: Database, key newKey: [Int64]) throws -> Bool {
        guard try db.scalarInt("SELECT COUNT(*) FROM prices WHERE time < ?", [tailStart]) == headCount else {
            return false
        }
        let tailDay = Int(UTCCalendar.dayNumber(tailStart))
        var trimmed = candles
        for (symbol, list) in candles where list.last.map({ $0.day >= tailDay }) == true {
            trimmed[symbol] = list.filter { $0.day < tailDay }
        }
        let st = try db.prepare(
            "SELECT symbol, time, price, market_cap, volume FROM prices WHERE time >= ? ORDER BY symbol, time")
        try st.bind(.integer(tailStart), at: 1)
        let updated = try Self.aggregate(st, into: trimmed)
        for (symbol, list) in updated where list != candles[symbol] {
            series[symbol] = IndicatorSeries(candles: list)
            signalMemo[symbol] = nil
        }
        candles = updated
        regimeMemo = [:]
        key = newKey
        // Advance the tail to the newest day so that the next refresh re-reads as little as possible.
        let newest = Int64(candles.values.compactMap { $0.last?.day }.max() ?? 0) * UTCCalendar.day
        if newest > tailStart {
            tailStart = newest
            headCount = try db.scalarInt("SELECT COUNT(*) FROM prices WHERE time < ?", [tailStart]) ?? 0
        }
        return true
    }

    /// Index of the last candle of `symbol` on or before `day`.
    public func index(_ symbol: String, day: Int) -> Int? {
        guard let c = candles[symbol], !c.isEmpty, c[0].day <= day else { return nil }
        var lo = 0
        var hi = c.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if c[mid].day <= day { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The computed signal of `symbol` at the last candle on or before `day`.
    public func signal(_ symbol: String, day: Int) -> AssetSignal? {
        guard let i = index(symbol, day: day), let s = series[symbol], let c = candles[symbol] else { return nil }
        if let hit = signalMemo[symbol]?[c[i].day] { return hit }
        let snap = s.snapshot(at: i)
        let sig = AssetSignal(
            symbol: symbol, day: c[i].day, close: c[i].close, indicators: snap,
            rating: SignalRating.rate(snap, thresholds: thresholds))
        signalMemo[symbol, default: [:]][c[i].day] = sig
        return sig
    }

    /// The market regime on `day`: breadth over every non-stablecoin asset, BTC's trend.
    public func regime(day: Int, imported: [String: SignalLabel] = [:]) -> Regime {
        if imported.isEmpty, let r = regimeMemo[day] { return r }
        var labels: [SignalLabel] = []
        for symbol in candles.keys.sorted() where !stablecoins.contains(symbol) {
            // An imported signal for the asset and day takes precedence over the computed rating.
            if let label = imported[symbol] {
                labels.append(label)
            } else if let s = signal(symbol, day: day), day - s.day <= 3 {
                labels.append(s.rating.label)
            }
        }
        let btc = signal("BTC", day: day).flatMap { day - $0.day <= 3 ? $0.indicators : nil }
        let r = Regime.assess(labels: labels, btc: btc)
        if imported.isEmpty { regimeMemo[day] = r }
        return r
    }

    /// Closes of `symbol` up to and including `day`.
    public func closes(_ symbol: String, through day: Int) -> [Double] {
        guard let i = index(symbol, day: day), let c = candles[symbol] else { return [] }
        return c[0...i].map(\.close)
    }
}

/// Reads the current row of a statement (SQLiteKit's `Row` is created by its query helpers).
struct RowReader {
    let st: Statement
    init(_ st: Statement) { self.st = st }
    func string(_ i: Int32) -> String { st.columnString(i) }
    func int64(_ i: Int32) -> Int64 { st.columnInt64(i) }
    func double(_ i: Int32) -> Double { st.columnDouble(i) }
    func optionalDouble(_ i: Int32) -> Double? { st.columnIsNull(i) ? nil : st.columnDouble(i) }
}
