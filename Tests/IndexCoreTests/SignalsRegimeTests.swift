import Foundation
import IndexCore
import Testing

/// The market regime: breadth thresholds and BTC's trend.
@Suite struct SignalsRegimeTests {
    static func labels(bearish: Int, of n: Int) -> [SignalLabel] {
        (0..<n).map { $0 < bearish ? .bearish : ($0 % 2 == 0 ? .bullish : .neutral) }
    }

    /// BTC above both averages with a rising SMA50: no BTC condition fires.
    static func calmBTC() -> IndicatorSnapshot {
        var s = IndicatorSnapshot(bars: 400)
        s.close = 120
        s.sma50 = 110
        s.previousSMA50 = 109
        s.sma200 = 100
        return s
    }

    @Test(arguments: [(7, RiskLevel.high), (6, .medium), (5, .medium), (4, .low), (0, .low)])
    func breadth(bearish: Int, risk: RiskLevel) {
        let r = Regime.assess(labels: Self.labels(bearish: bearish, of: 10), btc: Self.calmBTC())
        #expect(r.risk == risk)
        expectNear(r.breadth, Double(bearish) / 10)
        #expect(r.bearishCount == bearish && r.assetCount == 10)
        #expect(r.btcTrend == "above SMA50, above SMA200, SMA50 rising")
    }

    @Test func btcBelowSMA200WithFallingSMA50IsHigh() {
        var btc = IndicatorSnapshot(bars: 400)
        btc.close = 90
        btc.sma50 = 95
        btc.previousSMA50 = 96
        btc.sma200 = 100
        let r = Regime.assess(labels: Self.labels(bearish: 0, of: 10), btc: btc)
        #expect(r.risk == .high)
        #expect(r.btcTrend == "below SMA50, below SMA200, SMA50 falling")
    }

    @Test func btcBelowSMA200WithRisingSMA50IsNotHigh() {
        var btc = IndicatorSnapshot(bars: 400)
        btc.close = 97
        btc.sma50 = 95
        btc.previousSMA50 = 94
        btc.sma200 = 100
        #expect(Regime.assess(labels: [.bullish], btc: btc).risk == .low)
        btc.close = 93  // now also below SMA50: medium
        #expect(Regime.assess(labels: [.bullish], btc: btc).risk == .medium)
    }

    @Test func missingBTCDataDoesNotFire() {
        let r = Regime.assess(labels: [.bullish, .bearish, .neutral], btc: nil)
        #expect(r.risk == .low)  // 1/3 bearish is not more than 40 %
        #expect(r.btcTrend == "unknown")
        var young = IndicatorSnapshot(bars: 60)
        young.close = 80
        young.sma50 = 90
        young.previousSMA50 = 91
        #expect(Regime.assess(labels: [], btc: young).risk == .medium)  // below SMA50; no SMA200 yet
        #expect(Regime.assess(labels: [], btc: young).breadth == 0)
    }

    @Test func engineBuildsTheRegimeFromSignals() {
        let candles = SignalsTestData.longCloses.enumerated().map { i, c in
            Candle(day: 19_000 + i, open: c, high: c, low: c, close: c, volume: SignalsTestData.longVolumes[i])
        }
        let up = (0..<60).map { i in
            Candle(day: 19_200 + i, open: 0, high: 0, low: 0, close: 100 + Double(i))
        }
        let signals = SignalEngine.evaluate(["BTC": candles, "UP": up, "USDC": up])
        #expect(signals.map(\.symbol) == ["BTC", "UP", "USDC"])
        #expect(signals[0].rating.label == .bearish)
        #expect(signals[0].day == 19_259 && signals[0].close == 226.75)
        #expect(signals[1].rating.label == .bullish)
        let regime = SignalEngine.regime(signals, stablecoins: ["USDC"])
        // 1 of 2 bearish (50 % > 40 %): medium. BTC: 226.75 < SMA50 235.165 also says medium;
        // SMA50 rose (235.115 → 235.165) so the SMA200 condition does not fire.
        #expect(regime.risk == .medium)
        #expect(regime.assetCount == 2 && regime.bearishCount == 1)
        #expect(regime.btcTrend == "below SMA50, above SMA200, SMA50 rising")
    }

    @Test func riskLevelsAreOrdered() {
        #expect(RiskLevel.low < .medium && RiskLevel.medium < .high)
        #expect(SignalStrategy.RiskOff().share(at: .low) == 0)
    }
}
