import Foundation

/// Every indicator of DESIGN §5 at every bar of a series (for charts, backtests and replays).
///
/// Arrays are aligned with the input closes; nil where there is too little history. Bars are candles:
/// gaps in the data are not filled. O(n·w) with w ≤ 37 for the window indicators.
public struct IndicatorSeries: Sendable, Hashable {
    /// The input closes, oldest first.
    public private(set) var closes: [Double]
    /// SMA(20) per bar.
    public private(set) var sma20: [Double?] = []
    /// SMA(50) per bar.
    public private(set) var sma50: [Double?] = []
    /// SMA(200) per bar.
    public private(set) var sma200: [Double?] = []
    /// EMA(12) per bar.
    public private(set) var ema12: [Double?] = []
    /// EMA(26) per bar.
    public private(set) var ema26: [Double?] = []
    /// RSI(14) per bar.
    public private(set) var rsi14: [Double?] = []
    /// MACD line per bar (from bar 25).
    public private(set) var macd: [Double?] = []
    /// MACD signal per bar (from bar 33).
    public private(set) var macdSignal: [Double?] = []
    /// MACD histogram per bar (from bar 33).
    public private(set) var macdHist: [Double?] = []
    /// Bollinger upper band per bar.
    public private(set) var bbUpper: [Double?] = []
    /// Bollinger middle band per bar.
    public private(set) var bbMiddle: [Double?] = []
    /// Bollinger lower band per bar.
    public private(set) var bbLower: [Double?] = []
    /// ROC(7) per bar, percent.
    public private(set) var roc7: [Double?] = []
    /// ROC(30) per bar, percent.
    public private(set) var roc30: [Double?] = []
    /// Realised 30-day volatility per bar (fraction, annualised √365).
    public private(set) var volatility30: [Double?] = []
    /// 7-day over 30-day mean volume per bar.
    public private(set) var volumeTrend: [Double?] = []
    /// Drawdown from the 90-bar high per bar (≤ 0).
    public private(set) var drawdown90: [Double?] = []

    /// Number of bars.
    public var count: Int { closes.count }

    /// Computes every indicator over `closes` (oldest first) with `volumes` aligned to them (nil or absent
    /// entries are missing volumes).
    public init(closes: [Double], volumes: [Double?] = []) {
        self.closes = closes
        let n = closes.count
        var v = [Double](repeating: .nan, count: n)
        for i in 0..<min(n, volumes.count) { v[i] = volumes[i] ?? .nan }
        let returns = Indicators.logReturns(closes)
        for i in 0..<17 { reserve(i, n) }
        var snap = IndicatorSnapshot()
        closes.withUnsafeBufferPointer { p in
            returns.withUnsafeBufferPointer { r in
                v.withUnsafeBufferPointer { vp in
                    var cursor = IndicatorCursor()
                    var high = SlidingMaxKernel(period: IndicatorSnapshot.drawdownPeriod)
                    for t in 0..<n {
                        let values = cursor.advance(p, t)
                        values.store(into: &snap)
                        let high90 = high.next(p, t)
                        snap.fillWindowIndicators(p, t, sma20: values.sma20, high90: high90)
                        snap.volatility30 =
                            WindowIndicators.realizedVolatility(
                                r, t, IndicatorSnapshot.volatilityPeriod, annualization: 365
                            ).definedValue
                        snap.volumeTrend =
                            WindowIndicators.volumeTrend(
                                vp, t, short: IndicatorSnapshot.volumeShort, long: IndicatorSnapshot.volumeLong
                            ).definedValue
                        append(snap)
                    }
                }
            }
        }
    }

    /// Computes every indicator over the closes and volumes of `candles` (oldest first).
    public init(candles: [Candle]) {
        self.init(closes: candles.map(\.close), volumes: candles.map(\.volume))
    }

    /// All indicators at bar `index` (0 ≤ index < count), with the previous bar's RSI14 and SMA50.
    public func snapshot(at index: Int) -> IndicatorSnapshot {
        precondition(index >= 0 && index < count, "bar index out of range")
        var s = IndicatorSnapshot(bars: index + 1)
        s.close = closes[index]
        s.sma20 = sma20[index]
        s.sma50 = sma50[index]
        s.sma200 = sma200[index]
        s.ema12 = ema12[index]
        s.ema26 = ema26[index]
        s.rsi14 = rsi14[index]
        s.macd = macd[index]
        s.macdSignal = macdSignal[index]
        s.macdHist = macdHist[index]
        s.bbUpper = bbUpper[index]
        s.bbMiddle = bbMiddle[index]
        s.bbLower = bbLower[index]
        s.roc7 = roc7[index]
        s.roc30 = roc30[index]
        s.volatility30 = volatility30[index]
        s.volumeTrend = volumeTrend[index]
        s.drawdown90 = drawdown90[index]
        s.previousRSI14 = index > 0 ? rsi14[index - 1] : nil
        s.previousSMA50 = index > 0 ? sma50[index - 1] : nil
        return s
    }

    private mutating func reserve(_ which: Int, _ n: Int) {
        switch which {
        case 0: sma20.reserveCapacity(n)
        case 1: sma50.reserveCapacity(n)
        case 2: sma200.reserveCapacity(n)
        case 3: ema12.reserveCapacity(n)
        case 4: ema26.reserveCapacity(n)
        case 5: rsi14.reserveCapacity(n)
        case 6: macd.reserveCapacity(n)
        case 7: macdSignal.reserveCapacity(n)
        case 8: macdHist.reserveCapacity(n)
        case 9: bbUpper.reserveCapacity(n)
        case 10: bbMiddle.reserveCapacity(n)
        case 11: bbLower.reserveCapacity(n)
        case 12: roc7.reserveCapacity(n)
        case 13: roc30.reserveCapacity(n)
        case 14: volatility30.reserveCapacity(n)
        case 15: volumeTrend.reserveCapacity(n)
        default: drawdown90.reserveCapacity(n)
        }
    }

    private mutating func append(_ s: IndicatorSnapshot) {
        sma20.append(s.sma20)
        sma50.append(s.sma50)
        sma200.append(s.sma200)
        ema12.append(s.ema12)
        ema26.append(s.ema26)
        rsi14.append(s.rsi14)
        macd.append(s.macd)
        macdSignal.append(s.macdSignal)
        macdHist.append(s.macdHist)
        bbUpper.append(s.bbUpper)
        bbMiddle.append(s.bbMiddle)
        bbLower.append(s.bbLower)
        roc7.append(s.roc7)
        roc30.append(s.roc30)
        volatility30.append(s.volatility30)
        volumeTrend.append(s.volumeTrend)
        drawdown90.append(s.drawdown90)
    }
}
