import Foundation

/// Technical indicators over a series of daily closes, following TA-Lib's conventions exactly.
///
/// Every function returns an array aligned with its input: element `t` is the indicator at bar `t`, and nil
/// while there is too little history (never zero or a guess). Periods must be ≥ 1 (≥ 2 where noted).
/// Bars are candles, not calendar days: a gap in the data is not filled.
public enum Indicators {
    /// Simple moving average; first defined at bar `period − 1`.
    public static func sma(_ closes: [Double], period: Int) -> [Double?] {
        precondition(period >= 1, "SMA period must be at least 1")
        return closes.withUnsafeBufferPointer { p in
            var k = SMAKernel(period: period)
            return (0..<p.count).map { k.next(p, $0).definedValue }
        }
    }

    /// Exponential moving average, k = 2/(period+1), seeded with the SMA of the first `period` closes;
    /// first defined at bar `period − 1`.
    public static func ema(_ closes: [Double], period: Int) -> [Double?] {
        precondition(period >= 1, "EMA period must be at least 1")
        var k = EMAKernel(period: period)
        return closes.map { k.next($0).definedValue }
    }

    /// Relative strength index (Wilder), 0–100; first defined at bar `period`.
    ///
    /// The first averages are plain means of the first `period` gains and losses, then
    /// avg = (avg·(period−1) + current)/period. RSI = 100·gain/(gain+loss): 100 when the average loss is
    /// 0, and 0 when both averages are 0 (a flat series), as TA-Lib answers.
    public static func rsi(_ closes: [Double], period: Int = 14) -> [Double?] {
        precondition(period >= 2, "RSI period must be at least 2")
        var k = RSIKernel(period: period)
        return closes.map { k.next($0).definedValue }
    }

    /// MACD line, signal line and histogram, aligned as TA-Lib computes them.
    public struct MACD: Sendable, Hashable {
        /// EMA(fast) − EMA(slow); first defined at bar `slow − 1` (25 for 12/26).
        public var line: [Double?]
        /// EMA(signal) of the line, seeded with the mean of its first `signal` values; first defined at
        /// bar `slow + signal − 2` (33 for 12/26/9).
        public var signal: [Double?]
        /// line − signal; defined where the signal is.
        public var histogram: [Double?]
    }

    /// MACD(fast, slow, signal), by default (12, 26, 9).
    ///
    /// As in TA-Lib, both EMAs start at bar `slow − 1`: the slow one is seeded with the SMA of the first
    /// `slow` closes, the fast one with the SMA of the `fast` closes ending at bar `slow − 1` (closes 14–25
    /// for 12/26). TA-Lib's `MACD` function reports the line only from the signal's first bar (33); the line
    /// values it computes from bar 25 on are the ones given here.
    public static func macd(_ closes: [Double], fast: Int = 12, slow: Int = 26, signal: Int = 9) -> MACD {
        precondition(fast >= 2 && slow >= 2 && signal >= 1, "MACD periods too small")
        var line: [Double?] = []
        var sig: [Double?] = []
        var hist: [Double?] = []
        line.reserveCapacity(closes.count)
        sig.reserveCapacity(closes.count)
        hist.reserveCapacity(closes.count)
        closes.withUnsafeBufferPointer { p in
            var k = MACDKernel(fast: fast, slow: slow, signal: signal)
            for t in 0..<p.count {
                let v = k.next(p, t)
                line.append(v.line.definedValue)
                sig.append(v.signal.definedValue)
                hist.append(v.hist.definedValue)
            }
        }
        return MACD(line: line, signal: sig, histogram: hist)
    }

    /// Bollinger bands: middle = SMA(period), upper/lower = middle ± deviations·σ.
    public struct Bollinger: Sendable, Hashable {
        /// middle + deviations·σ.
        public var upper: [Double?]
        /// SMA(period).
        public var middle: [Double?]
        /// middle − deviations·σ.
        public var lower: [Double?]
    }

    /// Bollinger bands with the *population* standard deviation (÷ period) of the window, as TA-Lib's
    /// BBANDS with an SMA; first defined at bar `period − 1`.
    public static func bollinger(_ closes: [Double], period: Int = 20, deviations: Double = 2) -> Bollinger {
        precondition(period >= 2, "Bollinger period must be at least 2")
        var result = Bollinger(upper: [], middle: [], lower: [])
        closes.withUnsafeBufferPointer { p in
            var sma = SMAKernel(period: period)
            for t in 0..<p.count {
                let mid = sma.next(p, t)
                let band = WindowIndicators.populationStdDev(p, t, period, mean: mid) * deviations
                result.middle.append(mid.definedValue)
                result.upper.append((mid + band).definedValue)
                result.lower.append((mid - band).definedValue)
            }
        }
        return result
    }

    /// Rate of change in percent, 100·(C_t/C_{t−n} − 1); first defined at bar n. When C_{t−n} is 0 the
    /// answer is 0, as TA-Lib's (prices are positive in practice; this keeps values checkable against it).
    public static func roc(_ closes: [Double], period: Int) -> [Double?] {
        precondition(period >= 1, "ROC period must be at least 1")
        return closes.withUnsafeBufferPointer { p in
            (0..<p.count).map { WindowIndicators.roc(p, $0, period).definedValue }
        }
    }

    /// Realised volatility: sample standard deviation (n − 1) of the last `period` daily log returns
    /// ln(C_t/C_{t−1}), times √`annualization` (365: crypto trades every day). A fraction (0.6 = 60 %);
    /// first defined at bar `period` (30 returns need 31 closes); nil when a close in the window is ≤ 0.
    public static func realizedVolatility(_ closes: [Double], period: Int = 30, annualization: Double = 365)
        -> [Double?]
    {
        precondition(period >= 2, "volatility period must be at least 2")
        let returns = logReturns(closes)
        return returns.withUnsafeBufferPointer { r in
            (0..<r.count).map {
                WindowIndicators.realizedVolatility(r, $0, period, annualization: annualization).definedValue
            }
        }
    }

    /// Volume trend: mean volume of the last `short` bars over the mean of the last `long` bars (> 1 means
    /// volume is rising); first defined at bar `long − 1`; nil when a volume in the window is missing or the
    /// long mean is 0.
    public static func volumeTrend(_ volumes: [Double?], short: Int = 7, long: Int = 30) -> [Double?] {
        precondition(short >= 1 && long >= 1, "volume trend periods must be at least 1")
        let v = volumes.map { $0 ?? .nan }
        return v.withUnsafeBufferPointer { p in
            (0..<p.count).map { WindowIndicators.volumeTrend(p, $0, short: short, long: long).definedValue }
        }
    }

    /// Drawdown from the highest close of the last `period` bars, today included: C_t / max − 1, in
    /// [−1, 0]; first defined at bar `period − 1`.
    public static func drawdown(_ closes: [Double], period: Int = 90) -> [Double?] {
        precondition(period >= 1, "drawdown period must be at least 1")
        return closes.withUnsafeBufferPointer { p in
            var k = SlidingMaxKernel(period: period)
            return (0..<p.count).map { t in
                let high = k.next(p, t)
                return high > 0 ? p[t] / high - 1.0 : nil
            }
        }
    }

    /// SMA(period) at the last bar only, without allocating; nil when there are fewer than `period` closes.
    public static func latestSMA(_ closes: [Double], period: Int) -> Double? {
        precondition(period >= 1, "SMA period must be at least 1")
        guard closes.count >= period else { return nil }
        return closes.withUnsafeBufferPointer { p in
            var k = SMAKernel(period: period)
            var value = Double.nan
            for t in 0..<p.count { value = k.next(p, t) }
            return value.definedValue
        }
    }

    /// ln(C_t/C_{t−1}) per bar (element 0 is NaN); NaN where either close is not positive.
    static func logReturns(_ closes: [Double]) -> [Double] {
        var out = [Double](repeating: .nan, count: closes.count)
        if closes.count > 1 {
            for t in 1..<closes.count {
                let a = closes[t - 1]
                let b = closes[t]
                out[t] = a > 0 && b > 0 ? Foundation.log(b / a) : .nan
            }
        }
        return out
    }
}
