import Foundation
import IndexCore
import Testing

/// The composite rating on constructed indicator values whose votes are known in advance.
@Suite struct SignalsRatingTests {
    /// Every rule has inputs; trend all +1, oscillators RSI 0, Bollinger 0, ROC7 +1, ROC30 +1, volume +1.
    static func bullishSnapshot() -> IndicatorSnapshot {
        var s = IndicatorSnapshot(bars: 300)
        s.close = 110
        s.sma20 = 100
        s.sma50 = 90
        s.sma200 = 80
        s.macd = 2
        s.macdSignal = 1
        s.rsi14 = 50
        s.previousRSI14 = 45
        s.bbLower = 95
        s.bbUpper = 115
        s.roc7 = 5
        s.roc30 = 10
        s.volumeTrend = 1.5
        return s
    }

    @Test func allRulesVote() {
        let r = SignalRating.rate(Self.bullishSnapshot())
        #expect(
            r.votes.map(\.rule) == [
                "close_sma20", "close_sma50", "close_sma200", "sma50_sma200", "macd_signal",
                "rsi14", "bollinger", "roc7", "roc30", "volume",
            ])
        #expect(r.votes.map(\.vote) == [1, 1, 1, 1, 1, 0, 0, 1, 1, 1])
        #expect(r.trendMean == 1)
        expectNear(r.oscillatorMean, 0.6)
        expectNear(r.score, 0.8)
        #expect(r.label == .bullish)
        expectNear(r.conviction, 0.8)
        #expect(r.votes[1].text == "close above SMA50")
        #expect(r.votes[3].text == "SMA50 above SMA200")
        #expect(r.votes[3].group == .trend && r.votes[5].group == .oscillator)
    }

    @Test func missingInputsDoNotVote() {
        var s = IndicatorSnapshot(bars: 8)
        s.close = 90
        s.roc7 = -2
        let r = SignalRating.rate(s)
        #expect(r.votes.map(\.rule) == ["roc7"])
        #expect(r.trendMean == nil)
        #expect(r.oscillatorMean == -1)
        #expect(r.score == -1)  // the group without votes is left out, not counted as 0
        #expect(r.label == .bearish)
        let none = SignalRating.rate(IndicatorSnapshot(bars: 1))
        #expect(none.votes.isEmpty && none.score == 0 && none.label == .neutral && none.conviction == 0)
    }

    @Test(arguments: [
        (25.0, 20.0, 1), (25.0, 28.0, 0), (25.0, 25.0, 0), (75.0, 80.0, -1), (75.0, 70.0, 0), (50.0, 40.0, 0),
        (29.9, 10.0, 1), (70.1, 90.0, -1),
    ])
    func rsiRule(rsi: Double, previous: Double, expected: Int) {
        var s = IndicatorSnapshot(bars: 20)
        s.rsi14 = rsi
        s.previousRSI14 = previous
        let vote = SignalRating.votes(s).first { $0.rule == "rsi14" }
        #expect(vote?.vote == expected)
    }

    @Test func rsiRuleNeedsThePreviousValue() {
        var s = IndicatorSnapshot(bars: 15)
        s.rsi14 = 20
        #expect(SignalRating.votes(s).isEmpty)
    }

    @Test func bollingerVolumeAndEqualityVotes() {
        var s = IndicatorSnapshot(bars: 100)
        s.close = 90
        s.bbLower = 95
        s.bbUpper = 115
        s.sma20 = 90
        s.roc7 = -3
        s.volumeTrend = 1.2
        var votes = Dictionary(uniqueKeysWithValues: SignalRating.votes(s).map { ($0.rule, $0.vote) })
        // A close exactly at its SMA counts as above (DESIGN §5).
        #expect(votes == ["close_sma20": 1, "bollinger": 1, "roc7": -1, "volume": -1])
        s.close = 120
        s.volumeTrend = 1.0  // not above 1: no volume confirmation
        s.roc7 = 4
        votes = Dictionary(uniqueKeysWithValues: SignalRating.votes(s).map { ($0.rule, $0.vote) })
        #expect(votes == ["close_sma20": 1, "bollinger": -1, "roc7": 1, "volume": 0])
    }

    @Test func thresholdsAreStrictAndConfigurable() {
        // Trend votes +1 +1 +1 −1 −1 (mean 0.2), oscillators all 0 (mean 0): score exactly 0.1.
        var s = IndicatorSnapshot(bars: 300)
        s.close = 100
        s.sma20 = 90
        s.sma50 = 90
        s.sma200 = 95
        s.macd = 1
        s.macdSignal = 2
        s.roc7 = 0
        s.roc30 = 0
        let r = SignalRating.rate(s)
        #expect(r.votes.map(\.vote) == [1, 1, 1, -1, -1, 0, 0])
        expectNear(r.score, 0.1)
        #expect(r.label == .neutral)
        #expect(SignalRating.rate(s, thresholds: SignalThresholds(bullishAbove: 0.05)).label == .bullish)
        #expect(SignalThresholds.standard.label(for: -0.11) == .bearish)
        #expect(SignalThresholds(bullishAbove: 0.5, bearishBelow: -0.5).label(for: -0.4) == .neutral)
    }

    @Test func ratingOfTheFormulaSeries() {
        // Bar 259 of the formula series (values checked against TA-Lib in IndicatorSnapshotTests):
        // close 226.75 < SMA20 237.5, < SMA50 235.2, > SMA200 223.9; SMA50 > SMA200; MACD < signal;
        // RSI 43.8 → 0; close < lower band 227.01 → +1; ROC7 < 0; ROC30 < 0; volume trend 0.9995 → 0.
        let s = IndicatorSnapshot.latest(
            closes: SignalsTestData.longCloses, volumes: SignalsTestData.longVolumes.map { $0 })
        let r = SignalRating.rate(s)
        #expect(r.votes.map(\.vote) == [-1, -1, 1, 1, -1, 0, 1, -1, -1, 0])
        expectNear(r.trendMean, -0.2)
        expectNear(r.oscillatorMean, -0.2)
        expectNear(r.score, -0.2)
        #expect(r.label == .bearish)
        expectNear(r.conviction, 0.2)
    }

    @Test(arguments: [
        ("bullish", SignalLabel.bullish), ("BEARISH", .bearish), (" neutral ", .neutral), ("1", .bullish),
        ("0", .neutral), ("-1", .bearish), ("\u{2212}1", .bearish), ("+1", .bullish),
    ])
    func labelParsing(text: String, label: SignalLabel) {
        #expect(SignalLabel(parsing: text) == label)
    }

    @Test(arguments: ["", "buy", "2", "bull", "-2"])
    func badLabelsAreRejected(text: String) {
        #expect(SignalLabel(parsing: text) == nil)
    }
}
