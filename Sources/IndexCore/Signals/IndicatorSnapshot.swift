import Foundation

/// Every indicator of DESIGN §5 at one bar (the latest, or any bar of an ``IndicatorSeries``).
///
/// A value is nil when there is too little history for it (JSON `null`). Units: prices in the close's
/// currency, RSI 0–100, ROC in percent, volatility and drawdown as fractions, volume trend as a ratio.
public struct IndicatorSnapshot: Sendable, Hashable, Codable {
    /// Number of bars (daily candles) up to and including this one.
    public var bars: Int
    /// The bar's close; nil only for an empty series.
    public var close: Double?
    /// SMA(20).
    public var sma20: Double?
    /// SMA(50).
    public var sma50: Double?
    /// SMA(200).
    public var sma200: Double?
    /// EMA(12), seeded with the SMA of the first 12 closes.
    public var ema12: Double?
    /// EMA(26), seeded with the SMA of the first 26 closes.
    public var ema26: Double?
    /// RSI(14), Wilder, 0–100.
    public var rsi14: Double?
    /// MACD(12, 26, 9) line; defined from bar 25.
    public var macd: Double?
    /// MACD signal line; defined from bar 33.
    public var macdSignal: Double?
    /// MACD histogram (line − signal); defined from bar 33.
    public var macdHist: Double?
    /// Bollinger(20, 2) upper band: SMA20 + 2 population σ.
    public var bbUpper: Double?
    /// Bollinger(20, 2) middle band (SMA20).
    public var bbMiddle: Double?
    /// Bollinger(20, 2) lower band: SMA20 − 2 population σ.
    public var bbLower: Double?
    /// ROC(7), percent.
    public var roc7: Double?
    /// ROC(30), percent.
    public var roc30: Double?
    /// Realised volatility over 30 log returns, annualised with √365, as a fraction.
    public var volatility30: Double?
    /// Mean volume of 7 bars over the mean of 30 bars.
    public var volumeTrend: Double?
    /// Close over the highest close of the last 90 bars, minus 1 (≤ 0).
    public var drawdown90: Double?
    /// RSI14 of the previous bar (the RSI rule needs its direction).
    public var previousRSI14: Double?
    /// SMA50 of the previous bar (the regime needs to know whether BTC's SMA50 is falling).
    public var previousSMA50: Double?

    /// A snapshot with no values (an empty series).
    public init(bars: Int = 0) { self.bars = bars }

    /// The indicators at the last bar of `closes`, computed in one O(n) pass with no per-bar allocation.
    ///
    /// The recursive indicators (SMA running sums, EMA, RSI, MACD) are walked over the whole history; the
    /// window ones (Bollinger σ, ROC, volatility, volume trend, drawdown) are evaluated at the last bar only.
    /// Values are bit-identical to ``IndicatorSeries`` at the same bar.
    /// - Parameters:
    ///   - closes: daily closes, oldest first.
    ///   - volumes: daily volumes aligned with `closes` (nil or absent entries are missing volumes).
    public static func latest(closes: [Double], volumes: [Double?] = []) -> IndicatorSnapshot {
        var snap = IndicatorSnapshot(bars: closes.count)
        guard !closes.isEmpty else { return snap }
        closes.withUnsafeBufferPointer { p in
            var cursor = IndicatorCursor()
            var previousRSI = Double.nan
            var previousSMA50 = Double.nan
            var current = IndicatorCursor.Values()
            for t in 0..<p.count {
                previousRSI = current.rsi14
                previousSMA50 = current.sma50
                current = cursor.advance(p, t)
            }
            current.store(into: &snap)
            snap.previousRSI14 = previousRSI.definedValue
            snap.previousSMA50 = previousSMA50.definedValue
            let last = p.count - 1
            snap.fillWindowIndicators(p, last, sma20: current.sma20)
        }
        // The window indicators on returns and volumes need only the tail of the history.
        let tailStart = max(0, closes.count - (Self.volatilityPeriod + 1))
        let tailReturns = Indicators.logReturns(Array(closes[tailStart...]))
        tailReturns.withUnsafeBufferPointer { r in
            snap.volatility30 =
                WindowIndicators.realizedVolatility(
                    r, r.count - 1, Self.volatilityPeriod, annualization: 365
                ).definedValue
        }
        let volumeStart = max(0, closes.count - Self.volumeLong)
        var tailVolumes = [Double](repeating: .nan, count: closes.count - volumeStart)
        for i in volumeStart..<closes.count where i < volumes.count {
            tailVolumes[i - volumeStart] = volumes[i] ?? .nan
        }
        tailVolumes.withUnsafeBufferPointer { v in
            snap.volumeTrend =
                WindowIndicators.volumeTrend(
                    v, v.count - 1, short: Self.volumeShort, long: Self.volumeLong
                ).definedValue
        }
        return snap
    }

    /// The indicators at the last candle (closes and volumes of `candles`, oldest first).
    public static func latest(candles: [Candle]) -> IndicatorSnapshot {
        latest(closes: candles.map(\.close), volumes: candles.map(\.volume))
    }

    static let volatilityPeriod = 30
    static let volumeShort = 7
    static let volumeLong = 30
    static let drawdownPeriod = 90
    static let bollingerPeriod = 20
    static let bollingerDeviations = 2.0

    /// Sets the Bollinger bands, ROC7/30 and drawdown at bar t (the window indicators on closes).
    /// `high90` is the highest close of the 90 bars ending at t when the caller tracks it (the series path
    /// does, in O(1)); NaN means compute it here. Both give the same value: a maximum has no rounding.
    mutating func fillWindowIndicators(
        _ p: UnsafeBufferPointer<Double>, _ t: Int, sma20: Double, high90: Double = .nan
    ) {
        close = p[t]
        let sigma = WindowIndicators.populationStdDev(p, t, Self.bollingerPeriod, mean: sma20)
        let band = sigma * Self.bollingerDeviations
        bbMiddle = sma20.definedValue
        bbUpper = (sma20 + band).definedValue
        bbLower = (sma20 - band).definedValue
        roc7 = WindowIndicators.roc(p, t, 7).definedValue
        roc30 = WindowIndicators.roc(p, t, 30).definedValue
        if high90.isNaN {
            drawdown90 = WindowIndicators.drawdown(p, t, Self.drawdownPeriod).definedValue
        } else {
            drawdown90 = t >= Self.drawdownPeriod - 1 && high90 > 0 ? p[t] / high90 - 1.0 : nil
        }
    }
}

/// The recursive indicators, advanced one bar at a time (shared by the latest and series paths).
struct IndicatorCursor {
    struct Values {
        var sma20 = Double.nan
        var sma50 = Double.nan
        var sma200 = Double.nan
        var ema12 = Double.nan
        var ema26 = Double.nan
        var rsi14 = Double.nan
        var macd = Double.nan
        var macdSignal = Double.nan
        var macdHist = Double.nan

        func store(into s: inout IndicatorSnapshot) {
            s.sma20 = sma20.definedValue
            s.sma50 = sma50.definedValue
            s.sma200 = sma200.definedValue
            s.ema12 = ema12.definedValue
            s.ema26 = ema26.definedValue
            s.rsi14 = rsi14.definedValue
            s.macd = macd.definedValue
            s.macdSignal = macdSignal.definedValue
            s.macdHist = macdHist.definedValue
        }
    }

    private var sma20 = SMAKernel(period: 20)
    private var sma50 = SMAKernel(period: 50)
    private var sma200 = SMAKernel(period: 200)
    private var ema12 = EMAKernel(period: 12)
    private var ema26 = EMAKernel(period: 26)
    private var rsi14 = RSIKernel(period: 14)
    private var macd = MACDKernel(fast: 12, slow: 26, signal: 9)

    mutating func advance(_ p: UnsafeBufferPointer<Double>, _ t: Int) -> Values {
        let x = p[t]
        let m = macd.next(p, t)
        return Values(
            sma20: sma20.next(p, t), sma50: sma50.next(p, t), sma200: sma200.next(p, t), ema12: ema12.next(x),
            ema26: ema26.next(x), rsi14: rsi14.next(x), macd: m.line, macdSignal: m.signal, macdHist: m.hist)
    }
}
