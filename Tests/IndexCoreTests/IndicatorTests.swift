import Foundation
import IndexCore
import Testing

/// Each indicator against TA-Lib / numpy reference values on ``SignalsTestData/closes``, including the
/// first defined bar (warm-up boundary).
@Suite struct IndicatorTests {
    let closes = SignalsTestData.closes

    @Test func smaWarmUpAndValues() {
        let sma5 = Indicators.sma(closes, period: 5)
        #expect(sma5.count == closes.count)
        #expect(sma5[3] == nil)
        expectNear(sma5[4], 101.54)
        expectNear(sma5[5], 102.14000000000001)
        expectNear(sma5[44], 122.4200000000001)
        let sma20 = Indicators.sma(closes, period: 20)
        #expect(sma20[18] == nil)
        expectNear(sma20[19], 106.85000000000002)
        expectNear(sma20[20], 107.06000000000002)
        expectNear(sma20[44], 116.69500000000008)
    }

    @Test func emaIsSeededWithTheSMA() {
        let ema5 = Indicators.ema(closes, period: 5)
        #expect(ema5[3] == nil)
        expectNear(ema5[4], 101.54)
        expectNear(ema5[5], 102.02666666666667)
        expectNear(ema5[44], 122.45351803580675)
        let ema12 = Indicators.ema(closes, period: 12)
        #expect(ema12[10] == nil)
        expectNear(ema12[11], 104.82500000000003)
        expectNear(ema12[12], 105.88269230769234)
        expectNear(ema12[44], 119.62630644929716)
        let ema26 = Indicators.ema(closes, period: 26)
        #expect(ema26[24] == nil)
        expectNear(ema26[25], 107.08846153846154)
        expectNear(ema26[44], 115.85336776726015)
    }

    @Test func rsiWilder() {
        let rsi = Indicators.rsi(closes)
        #expect(rsi[13] == nil)
        expectNear(rsi[14], 75.51020408163262)
        expectNear(rsi[15], 68.30445896052254)
        expectNear(rsi[44], 70.05140544271543)
    }

    @Test func rsiEdgeCasesFollowTALib() {
        // No losses: 100. A flat series (no gains, no losses): TA-Lib answers 0.
        let rising = (0..<20).map { 100.0 + Double($0) }
        #expect(Indicators.rsi(rising)[14] == 100)
        let flat = [Double](repeating: 50, count: 20)
        #expect(Indicators.rsi(flat)[14] == 0)
        #expect(Indicators.rsi(flat)[19] == 0)
        let flatThenUp = [Double](repeating: 50, count: 15) + [51, 51, 51]
        #expect(Indicators.rsi(flatThenUp)[14] == 0)
        #expect(Indicators.rsi(flatThenUp)[15] == 100)
        #expect(Indicators.rsi(Array(rising.prefix(14))).allSatisfy { $0 == nil })
    }

    @Test func macdAlignedAsTALib() {
        let m = Indicators.macd(closes)
        #expect(m.line[24] == nil)
        // Line from bar 25: fast EMA seeded with the mean of closes 14–25, slow with closes 0–25.
        expectNear(m.line[25], 1.3698717948717842)
        expectNear(m.line[26], 1.6626068376068304)
        expectNear(m.line[32], 2.2323729514568242)
        expectNear(m.line[33], 1.9128635362707769)
        expectNear(m.line[34], 1.8481440396290338)
        expectNear(m.line[44], 3.779560662345105)
        #expect(m.signal[32] == nil)
        #expect(m.histogram[32] == nil)
        expectNear(m.signal[33], 2.024407170955941)
        expectNear(m.signal[44], 3.1358049743352843)
        expectNear(m.histogram[33], -0.11154363468516415)
        expectNear(m.histogram[44], 0.6437556880098207)
    }

    @Test func bollingerPopulationSigma() {
        let bb = Indicators.bollinger(closes)
        #expect(bb.upper[18] == nil && bb.middle[18] == nil && bb.lower[18] == nil)
        expectNear(bb.upper[19], 114.74949365465916)
        expectNear(bb.middle[19], 106.85000000000002)
        expectNear(bb.lower[19], 98.95050634534088)
        expectNear(bb.upper[44], 125.27042418775896)
        expectNear(bb.middle[44], 116.69500000000008)
        expectNear(bb.lower[44], 108.1195758122412)
    }

    @Test func rateOfChange() {
        let roc7 = Indicators.roc(closes, period: 7)
        #expect(roc7[6] == nil)
        expectNear(roc7[7], 7.200000000000006)  // 107.2 / 100 − 1
        expectNear(roc7[44], 4.865771812080544)
        let roc30 = Indicators.roc(closes, period: 30)
        #expect(roc30[29] == nil)
        expectNear(roc30[30], 15.100000000000001)
        expectNear(roc30[44], 11.111111111111116)
        #expect(Indicators.roc([0, 1, 2], period: 1)[1] == 0)  // base 0: TA-Lib answers 0
    }

    @Test func realizedVolatilityNeedsThirtyReturns() {
        let vol = Indicators.realizedVolatility(closes)
        #expect(vol[29] == nil)
        expectNear(vol[30], 0.32674498461027013)
        expectNear(vol[44], 0.3335813245635276)
        let withBadClose = Indicators.realizedVolatility([1, 2, -1, 2] + closes)
        #expect(withBadClose[32] == nil)  // returns 3...32 include ln(2 / −1)
        #expect(withBadClose[33] != nil)  // returns 4...33 do not
        expectNear(withBadClose[34], 0.32674498461027013)  // same window as bar 30 of the plain series
    }

    @Test func volumeTrendSevenOverThirty() {
        let vt = Indicators.volumeTrend(SignalsTestData.volumes.map { $0 })
        #expect(vt[28] == nil)
        expectNear(vt[29], 0.9822393822393821)
        expectNear(vt[44], 0.9750812567713977)
        var gappy: [Double?] = SignalsTestData.volumes.map { $0 }
        gappy[20] = nil
        let withGap = Indicators.volumeTrend(gappy)
        #expect(withGap[29] == nil)  // bar 20 is in the 30-bar window 0...29
        #expect(withGap[44] == nil)  // and in 15...44
        gappy[20] = SignalsTestData.volumes[20]
        gappy[5] = nil
        expectNear(Indicators.volumeTrend(gappy)[44], 0.9750812567713977)  // 5 is outside 15...44
    }

    @Test func drawdownIncludesToday() {
        let dd5 = Indicators.drawdown(closes, period: 5)
        #expect(dd5[3] == nil)
        #expect(dd5[4] == 0)  // 104.1 is the high of bars 0–4
        expectNear(dd5[19], -0.03905540417802)  // 105.8 / 110.1 − 1
        #expect(dd5[44] == 0)
        let dd90 = Indicators.drawdown(SignalsTestData.longCloses, period: 90)
        #expect(dd90[88] == nil)
        expectNear(dd90[89], -0.09412955465587047)
        expectNear(dd90[259], -0.09209209209209213)
    }

    @Test func latestSMAMatchesTheSeries() {
        let long = SignalsTestData.longCloses
        #expect(Indicators.latestSMA(Array(long.prefix(199)), period: 200) == nil)
        expectNear(Indicators.latestSMA(Array(long.prefix(200)), period: 200), 221.0775)
        #expect(Indicators.latestSMA(long, period: 200) == Indicators.sma(long, period: 200)[259])
        expectNear(Indicators.latestSMA(long, period: 200), 223.89)
    }
}
