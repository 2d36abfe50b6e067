import Foundation
import IndexCore
import Testing

/// The all-in-one paths (latest value and full series) against TA-Lib on the 260-bar formula series.
@Suite struct IndicatorSnapshotTests {
    let closes = SignalsTestData.longCloses
    let volumes: [Double?] = SignalsTestData.longVolumes.map { $0 }

    @Test func latestMatchesTALib() {
        let s = IndicatorSnapshot.latest(closes: closes, volumes: volumes)
        #expect(s.bars == 260)
        #expect(s.close == 226.75)
        expectNear(s.sma20, 237.525)
        expectNear(s.sma50, 235.165)
        expectNear(s.sma200, 223.89)
        expectNear(s.ema12, 234.27968865974614)
        expectNear(s.ema26, 235.67896993784666)
        expectNear(s.rsi14, 43.82427266007346)
        expectNear(s.previousRSI14, 47.0062161951088)
        expectNear(s.macd, -1.399281278100517)
        expectNear(s.macdSignal, 0.004716804468963412, relative: 1e-7)
        expectNear(s.macdHist, -1.4039980825694804)
        expectNear(s.bbUpper, 248.0355898978126)
        expectNear(s.bbMiddle, 237.525)
        expectNear(s.bbLower, 227.0144101021874)
        expectNear(s.roc7, -5.71725571725572)
        expectNear(s.roc30, -6.01036269430052)
        expectNear(s.volatility30, 0.4541299574528589)
        expectNear(s.volumeTrend, 0.9995206136145734)
        expectNear(s.drawdown90, -0.09209209209209213)
        expectNear(s.previousSMA50, 235.115)
    }

    @Test func seriesAndLatestAgreeAtEveryBar() {
        let series = IndicatorSeries(closes: closes, volumes: volumes)
        #expect(series.count == 260)
        for t in [0, 1, 13, 14, 19, 25, 29, 30, 33, 89, 199, 200, 259] {
            let latest = IndicatorSnapshot.latest(closes: Array(closes.prefix(t + 1)), volumes: volumes)
            #expect(series.snapshot(at: t) == latest, "bar \(t)")
        }
    }

    @Test func seriesMatchesTheSingleIndicators() {
        let series = IndicatorSeries(closes: closes, volumes: volumes)
        #expect(series.sma200 == Indicators.sma(closes, period: 200))
        #expect(series.rsi14 == Indicators.rsi(closes))
        #expect(series.macdHist == Indicators.macd(closes).histogram)
        #expect(series.bbLower == Indicators.bollinger(closes).lower)
        #expect(series.drawdown90 == Indicators.drawdown(closes, period: 90))
        #expect(series.volatility30 == Indicators.realizedVolatility(closes))
        #expect(series.sma200[198] == nil)
        expectNear(series.sma200[199], 221.0775)
    }

    @Test func tooLittleHistoryGivesNoValues() {
        let s = IndicatorSnapshot.latest(closes: Array(closes.prefix(10)))
        #expect(s.close == closes[9])
        #expect(s.sma20 == nil && s.ema12 == nil && s.rsi14 == nil && s.macd == nil && s.bbUpper == nil)
        #expect(s.roc7 != nil && s.roc30 == nil && s.volatility30 == nil && s.volumeTrend == nil)
        #expect(s.drawdown90 == nil)
        let empty = IndicatorSnapshot.latest(closes: [])
        #expect(empty.bars == 0 && empty.close == nil)
        #expect(IndicatorSeries(closes: []).count == 0)
    }

    @Test func missingVolumesGiveNoVolumeTrend() {
        let s = IndicatorSnapshot.latest(closes: closes)
        #expect(s.volumeTrend == nil)
        #expect(s.volatility30 != nil)
    }
}

/// The snapshot's JSON follows DESIGN §12's field names and writes `null` for missing values.
@Suite struct IndicatorSnapshotJSONTests {
    @Test func contractFieldNamesAndNulls() throws {
        let s = IndicatorSnapshot.latest(closes: Array(SignalsTestData.closes.prefix(21)))
        let data = try JSONEncoder().encode(s)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let contract = [
            "sma20", "sma50", "sma200", "ema12", "ema26", "rsi14", "macd", "macd_signal", "macd_hist",
            "bb_upper", "bb_middle", "bb_lower", "roc7", "roc30", "volatility30", "volume_trend", "drawdown90",
        ]
        for key in contract { #expect(object[key] != nil, "\(key) missing") }
        #expect(object["sma50"] is NSNull)
        #expect(object["macd_signal"] is NSNull)
        expectNear(object["sma20"] as? Double, 107.06000000000002)
        #expect((object["bars"] as? Int) == 21)
        #expect(try JSONDecoder().decode(IndicatorSnapshot.self, from: data) == s)
    }
}
