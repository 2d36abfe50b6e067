import Foundation
import IndexCore
import Testing

/// Daily UTC candles from ticks.
@Suite struct SignalsCandleTests {
    /// 2024-03-01T00:00:00Z = 1 709 251 200 = day 19 783.
    let day0: Int64 = 1_709_251_200

    @Test func dayNumbers() {
        #expect(Candle.day(of: day0) == 19_783)
        #expect(Candle.day(of: day0 + 86_399) == 19_783)
        #expect(Candle.day(of: day0 + 86_400) == 19_784)
        #expect(Candle.day(of: 0) == 0)
        #expect(Candle.day(of: -1) == -1)  // 1969-12-31T23:59:59Z
        #expect(Candle(day: 19_783, open: 1, high: 1, low: 1, close: 1).startTime == day0)
    }

    @Test func ticksAggregateIntoUTCDays() {
        // Given out of order, two symbols, two days for BTC.
        let points = [
            PricePoint(symbol: "BTC", time: day0 + 3_600 * 23, price: 105, marketCap: 2_050, volume: 30),
            PricePoint(symbol: "ETH", time: day0 + 60, price: 10, marketCap: 100, volume: nil),
            PricePoint(symbol: "BTC", time: day0 + 10, price: 100, marketCap: 2_000, volume: 10),
            PricePoint(symbol: "BTC", time: day0 + 3_600 * 12, price: 110, marketCap: nil, volume: 20),
            PricePoint(symbol: "BTC", time: day0 + 3_600 * 6, price: 95),
            PricePoint(symbol: "BTC", time: day0 + 86_400, price: 107, marketCap: 2_070, volume: 5),
            PricePoint(symbol: "ETH", time: day0 + 120, price: .nan),
        ]
        let candles = CandleBuilder.daily(points)
        #expect(Set(candles.keys) == ["BTC", "ETH"])
        #expect(
            candles["BTC"] == [
                Candle(day: 19_783, open: 100, high: 110, low: 95, close: 105, volume: 30, marketCap: 2_050),
                Candle(day: 19_784, open: 107, high: 107, low: 107, close: 107, volume: 5, marketCap: 2_070),
            ])
        #expect(candles["ETH"] == [Candle(day: 19_783, open: 10, high: 10, low: 10, close: 10, marketCap: 100)])
    }

    @Test func volumeIsTheLastReportNotASum() {
        let points = [
            PricePoint(symbol: "X", time: day0 + 100, price: 1, volume: 500),
            PricePoint(symbol: "X", time: day0 + 200, price: 2, volume: 700),
            PricePoint(symbol: "X", time: day0 + 300, price: 3, volume: nil),  // no report: keep the last one
        ]
        let c = CandleBuilder.daily(points)["X"]!
        #expect(c.count == 1 && c[0].volume == 700 && c[0].close == 3)
    }

    @Test func equalTimesKeepInputOrder() {
        let points = [
            PricePoint(symbol: "X", time: day0 + 5, price: 1),
            PricePoint(symbol: "X", time: day0 + 5, price: 2),
            PricePoint(symbol: "X", time: day0 + 1, price: 3),
        ]
        let c = CandleBuilder.daily(points)["X"]!
        #expect(c[0].open == 3 && c[0].close == 2)
    }

    @Test func engineUsesTheLastCandle() {
        let closes = SignalsTestData.closes
        let candles = closes.enumerated().map { i, c in
            Candle(day: 20_000 + i, open: c, high: c, low: c, close: c, volume: SignalsTestData.volumes[i])
        }
        let s = SignalEngine.evaluate(symbol: "AAA", candles: candles)
        #expect(s?.day == 20_044 && s?.close == 125.0)
        expectNear(s?.indicators.rsi14, 70.05140544271543)
        #expect(SignalEngine.evaluate(symbol: "AAA", candles: []) == nil)
        let history = SignalEngine.history(symbol: "AAA", candles: candles)
        #expect(history.count == 45)
        #expect(history.last == s)
        #expect(history[20] == SignalEngine.evaluate(symbol: "AAA", candles: Array(candles.prefix(21))))
        #expect(history[0].rating.votes.isEmpty)
    }

    @Test func riskOffTriggerOnAnyRegimeChange() {
        #expect(!SignalEngine.isRiskOffTrigger(previous: nil, current: .high))
        #expect(!SignalEngine.isRiskOffTrigger(previous: .medium, current: .medium))
        #expect(SignalEngine.isRiskOffTrigger(previous: .low, current: .medium))
        #expect(SignalEngine.isRiskOffTrigger(previous: .high, current: .low))
    }
}
