import Foundation

// Streaming kernels shared by the series and latest-value paths, so both give bit-identical values.
// Each kernel is fed bar 0, 1, 2... in order and answers NaN while the indicator is undefined.
// The floating-point operations follow TA-Lib's C code order (ta_SMA.c, ta_EMA.c, ta_RSI.c, ta_MACD.c),
// so values agree with TA-Lib to the last bit or within a few ulps.

/// TA-Lib's running-sum SMA: add the new value, divide, then drop the value leaving the window. A window
/// of equal values gives exactly that value (the running sum's rounding would otherwise put a flat close a
/// few ulps below or above its own average, and flip the close-vs-SMA vote).
struct SMAKernel {
    let period: Int
    private var total = 0.0
    /// Consecutive bars equal to the newest one.
    private var run = 0

    init(period: Int) { self.period = period }

    mutating func next(_ p: UnsafeBufferPointer<Double>, _ t: Int) -> Double {
        total += p[t]
        run = t > 0 && p[t] == p[t - 1] ? run + 1 : 1
        if t < period - 1 { return .nan }
        let value = run >= period ? p[t] : total / Double(period)
        total -= p[t - period + 1]
        return value
    }
}

/// TA-Lib's EMA (default compatibility): k = 2/(n+1), seeded with the plain mean of the first n values.
struct EMAKernel {
    let period: Int
    let k: Double
    private var count = 0
    private var sum = 0.0
    private(set) var value = Double.nan

    init(period: Int) {
        self.period = period
        self.k = 2.0 / Double(period + 1)
    }

    mutating func next(_ x: Double) -> Double {
        count += 1
        if count < period {
            sum += x
            return .nan
        }
        if count == period {
            sum += x
            value = sum / Double(period)
            return value
        }
        value = ((x - value) * k) + value
        return value
    }

    /// Starts the recursion from a given seed as if it were the value of the current bar.
    mutating func seed(_ seedValue: Double) {
        count = period
        value = seedValue
    }
}

/// TA-Lib's RSI: Wilder smoothing, first averages are the plain means of the first n changes,
/// RSI = 100·gain/(gain+loss), and 0 when both averages are zero (TA-Lib's flat-series answer).
struct RSIKernel {
    let period: Int
    private var count = 0
    private var previous = 0.0
    private var gain = 0.0
    private var loss = 0.0

    init(period: Int) { self.period = period }

    mutating func next(_ x: Double) -> Double {
        count += 1
        if count == 1 {
            previous = x
            return .nan
        }
        let change = x - previous
        previous = x
        let n = Double(period)
        if count <= period + 1 {
            if change < 0 { loss -= change } else { gain += change }
            if count < period + 1 { return .nan }
            loss /= n
            gain /= n
        } else {
            loss *= Double(period - 1)
            gain *= Double(period - 1)
            if change < 0 { loss -= change } else { gain += change }
            loss /= n
            gain /= n
        }
        let total = gain + loss
        return total != 0 ? 100.0 * (gain / total) : 0.0
    }
}

/// TA-Lib's MACD: both EMAs start at bar slow−1, the fast one seeded with the mean of the `fast` closes
/// ending there; the signal is an EMA of the line seeded with the mean of its first `signal` values.
struct MACDKernel {
    let fast: Int
    let slow: Int
    private var slowEMA: EMAKernel
    private var fastEMA: EMAKernel
    private var signalEMA: EMAKernel

    /// Periods as TA-Lib takes them; like TA-Lib, a fast period above the slow one is swapped.
    init(fast: Int, slow: Int, signal: Int) {
        self.fast = min(fast, slow)
        self.slow = max(fast, slow)
        slowEMA = EMAKernel(period: self.slow)
        fastEMA = EMAKernel(period: self.fast)
        signalEMA = EMAKernel(period: signal)
    }

    /// Line, signal and histogram at bar `t` (NaN while undefined).
    mutating func next(_ p: UnsafeBufferPointer<Double>, _ t: Int) -> (line: Double, signal: Double, hist: Double) {
        let slowValue = slowEMA.next(p[t])
        if t < slow - 1 { return (.nan, .nan, .nan) }
        let fastValue: Double
        if t == slow - 1 {
            var sum = 0.0
            for i in (t - fast + 1)...t { sum += p[i] }
            fastValue = sum / Double(fast)
            fastEMA.seed(fastValue)
        } else {
            fastValue = fastEMA.next(p[t])
        }
        let line = fastValue - slowValue
        let signal = signalEMA.next(line)
        return (line, signal, signal.isNaN ? .nan : line - signal)
    }
}

/// Sum of `p[from...to]` with four accumulators (the window loops are latency-bound otherwise).
@inline(__always) func windowSum(_ p: UnsafeBufferPointer<Double>, _ from: Int, _ to: Int) -> Double {
    var a = 0.0
    var b = 0.0
    var c = 0.0
    var d = 0.0
    var i = from
    while i + 3 <= to {
        a += p[i]
        b += p[i + 1]
        c += p[i + 2]
        d += p[i + 3]
        i += 4
    }
    while i <= to {
        a += p[i]
        i += 1
    }
    return (a + b) + (c + d)
}

/// Sum of `(p[i] − mean)²` over `from...to` with four accumulators.
@inline(__always) func windowSquaredDeviations(_ p: UnsafeBufferPointer<Double>, _ from: Int, _ to: Int, _ mean: Double)
    -> Double
{
    var a = 0.0
    var b = 0.0
    var c = 0.0
    var d = 0.0
    var i = from
    while i + 3 <= to {
        let x0 = p[i] - mean
        let x1 = p[i + 1] - mean
        let x2 = p[i + 2] - mean
        let x3 = p[i + 3] - mean
        a += x0 * x0
        b += x1 * x1
        c += x2 * x2
        d += x3 * x3
        i += 4
    }
    while i <= to {
        let x = p[i] - mean
        a += x * x
        i += 1
    }
    return (a + b) + (c + d)
}

/// Window indicators evaluated at one bar. O(window) each; used at every bar by the series path and at
/// the last bar by the latest-value path.
enum WindowIndicators {
    /// Population standard deviation of `p[t−n+1...t]` around `mean` (TA-Lib's Bollinger σ), NaN if t < n−1.
    static func populationStdDev(_ p: UnsafeBufferPointer<Double>, _ t: Int, _ n: Int, mean: Double) -> Double {
        if t < n - 1 || mean.isNaN { return .nan }
        return (windowSquaredDeviations(p, t - n + 1, t, mean) / Double(n)).squareRoot()
    }

    /// ROC(n) = (C_t / C_{t−n} − 1)·100 as TA-Lib computes it; NaN before bar n; 0 when C_{t−n} is 0
    /// (TA-Lib's answer, kept so values can be checked against it).
    static func roc(_ p: UnsafeBufferPointer<Double>, _ t: Int, _ n: Int) -> Double {
        if t < n { return .nan }
        let base = p[t - n]
        return base != 0 ? ((p[t] / base) - 1.0) * 100.0 : 0
    }

    /// Sample (n−1) standard deviation of the n log returns ending at bar t, times √annualization.
    /// `r[i]` is the log return from bar i−1 to bar i (r[0] unused); NaN when any is not finite.
    static func realizedVolatility(_ r: UnsafeBufferPointer<Double>, _ t: Int, _ n: Int, annualization: Double)
        -> Double
    {
        if t < n || n < 2 { return .nan }
        let sum = windowSum(r, t - n + 1, t)
        if !sum.isFinite { return .nan }
        let mean = sum / Double(n)
        let squares = windowSquaredDeviations(r, t - n + 1, t, mean)
        return (squares / Double(n - 1)).squareRoot() * annualization.squareRoot()
    }

    /// Mean of the `short` volumes ending at t over the mean of the `long` ones; NaN when a volume in the
    /// long window is missing (NaN) or the long mean is not positive.
    static func volumeTrend(_ v: UnsafeBufferPointer<Double>, _ t: Int, short: Int, long: Int) -> Double {
        if t < long - 1 || t < short - 1 { return .nan }
        let shortSum = windowSum(v, t - short + 1, t)
        let longSum = windowSum(v, t - long + 1, t)
        let longMean = longSum / Double(long)
        if !(longMean > 0) || shortSum.isNaN { return .nan }
        return (shortSum / Double(short)) / longMean
    }

    /// Close over the highest close of the n bars ending at t (today included), minus 1; NaN before bar n−1.
    static func drawdown(_ p: UnsafeBufferPointer<Double>, _ t: Int, _ n: Int) -> Double {
        if t < n - 1 { return .nan }
        var high = -Double.infinity
        for i in (t - n + 1)...t where p[i] > high { high = p[i] }
        return high > 0 ? p[t] / high - 1.0 : .nan
    }
}

/// Sliding maximum over the last n bars in O(1) amortised (monotonic deque of indices in a ring).
struct SlidingMaxKernel {
    let period: Int
    private var ring: [Int]
    private var head = 0
    private var count = 0

    init(period: Int) {
        self.period = period
        ring = Array(repeating: 0, count: period)
    }

    /// Highest of p[t−n+1...t]; NaN before bar n−1.
    mutating func next(_ p: UnsafeBufferPointer<Double>, _ t: Int) -> Double {
        while count > 0, p[ring[(head + count - 1) % period]] <= p[t] { count -= 1 }
        if count > 0, ring[head] <= t - period {
            head = (head + 1) % period
            count -= 1
        }
        ring[(head + count) % period] = t
        count += 1
        return t < period - 1 ? .nan : p[ring[head]]
    }
}

extension Double {
    /// nil for NaN, the value otherwise: kernels use NaN internally for "not enough history".
    @inline(__always) var definedValue: Double? { isNaN ? nil : self }
}
