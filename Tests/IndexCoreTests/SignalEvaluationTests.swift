import Foundation
import IndexCore
import Testing

/// Walk-forward hit rates on series whose outcome is known in advance.
@Suite struct SignalEvaluationTests {
    static func candles(_ growth: Double, days: Int = 300) -> [Candle] {
        (0..<days).map { i in
            let p = 100 * pow(growth, Double(i))
            return Candle(day: 20_000 + i, open: p, high: p, low: p, close: p, volume: nil)
        }
    }

    @Test func aSteadyRiseIsAlwaysCalledRightByTheTrendRules() {
        let r = SignalEvaluation.evaluate(["UP": Self.candles(1.01)], horizon: 7)
        let sma20 = r.rules.first { $0.rule == "close_sma20" }
        // SMA20 exists from bar 19; a 7-day forward return exists up to bar 292: 274 bullish days, all hits.
        #expect(sma20?.observations == 274)
        #expect(sma20?.hits == 274)
        #expect(sma20?.hitRate == 1)
        // Each forward return is 1.01^7 − 1.
        #expect(abs((sma20?.meanReturn(.bullish) ?? 0) - (pow(1.01, 7) - 1)) < 1e-12)
        #expect(r.composite.hitRate == 1)
        #expect(r.composite.meanReturn(.bearish) == nil)
    }

    @Test func aSteadyFallIsCalledRightByBearishVotesAndWrongByBullishOnes() {
        let r = SignalEvaluation.evaluate(["DOWN": Self.candles(0.99)], horizon: 7)
        #expect(r.rules.first { $0.rule == "close_sma50" }?.hitRate == 1)
        // The MACD line rises toward 0 on a steady fall: a bullish vote, wrong every time.
        #expect(r.rules.first { $0.rule == "macd_signal" }?.hitRate == 0)
        #expect(r.composite.days[.bearish] ?? 0 > 0)
    }

    @Test func aForwardReturnNeedsTheCandleExactlyHorizonDaysLater() {
        var list = Self.candles(1.01, days: 40)
        list.removeLast(8)  // 32 candles: with a gap-free series, bars 19…24 have a 7-day-later candle
        let r = SignalEvaluation.evaluate(["UP": list], horizon: 7)
        #expect(r.rules.first { $0.rule == "close_sma20" }?.observations == 6)
    }
}

/// A flat close equals its own SMA exactly (no running-sum rounding), and counts as above it.
@Suite struct SMAEqualityTests {
    @Test(arguments: [5.1, 0.1, 1234.567, 3e-7])
    func aFlatSeriesIsAtItsSMAAndVotesAbove(price: Double) {
        // 0.1 × 20 summed one by one is 2.0000000000000004 in binary floating point, so the running sum
        // alone would put the average above the close.
        let closes = [Double](repeating: price, count: 250)
        let s = IndicatorSnapshot.latest(closes: closes)
        #expect(s.sma20 == price)
        #expect(s.sma50 == price)
        #expect(s.sma200 == price)
        let votes = SignalRating.votes(s).filter { $0.rule.hasPrefix("close_sma") }
        #expect(votes.count == 3)
        #expect(votes.allSatisfy { $0.vote == 1 })
        let series = IndicatorSeries(
            candles: closes.enumerated().map {
                Candle(
                    day: 20_000 + $0.offset, open: $0.element, high: $0.element, low: $0.element, close: $0.element,
                    volume: nil)
            })
        #expect(series.sma20.last! == price)
    }
}
