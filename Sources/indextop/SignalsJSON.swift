import Foundation
import IndexCore
import PortfolioStore

/// `signals [SLUG]`: `{regime: {risk, breadth, btc_trend, bearish, assets} | null, assets: [...]}` (DESIGN §12).
struct SignalsJSON: Encodable {
    struct RegimeJSON: Encodable {
        let risk: String
        let breadth: JSONNumber
        let btcTrend: String
        let bearish, assets: Int
        enum CodingKeys: String, CodingKey {
            case risk, breadth, bearish, assets
            case btcTrend = "btc_trend"
        }
    }

    /// The 17 indicators of §12, each a number or `null` (not enough history).
    struct IndicatorsJSON: Encodable {
        let sma20, sma50, sma200, ema12, ema26, rsi14, macd, macdSignal, macdHist: JSONNumber
        let bbUpper, bbMiddle, bbLower, roc7, roc30, volatility30, volumeTrend, drawdown90: JSONNumber
        enum CodingKeys: String, CodingKey {
            case sma20, sma50, sma200, ema12, ema26, rsi14, macd, roc7, roc30, volatility30, drawdown90
            case macdSignal = "macd_signal"
            case macdHist = "macd_hist"
            case bbUpper = "bb_upper"
            case bbMiddle = "bb_middle"
            case bbLower = "bb_lower"
            case volumeTrend = "volume_trend"
        }

        init(_ s: IndicatorSnapshot) {
            sma20 = .init(s.sma20)
            sma50 = .init(s.sma50)
            sma200 = .init(s.sma200)
            ema12 = .init(s.ema12)
            ema26 = .init(s.ema26)
            rsi14 = .init(s.rsi14)
            macd = .init(s.macd)
            macdSignal = .init(s.macdSignal)
            macdHist = .init(s.macdHist)
            bbUpper = .init(s.bbUpper)
            bbMiddle = .init(s.bbMiddle)
            bbLower = .init(s.bbLower)
            roc7 = .init(s.roc7)
            roc30 = .init(s.roc30)
            volatility30 = .init(s.volatility30)
            volumeTrend = .init(s.volumeTrend)
            drawdown90 = .init(s.drawdown90)
        }
    }

    struct VoteJSON: Encodable {
        let rule: String
        let vote: Int
        let text: String
        let group: String
    }

    struct AssetJSON: Encodable {
        let symbol, time: String
        let close: JSONNumber
        let indicators: IndicatorsJSON
        let votes: [VoteJSON]
        let trendMean, oscillatorMean, score: JSONNumber
        let label: String
        let conviction: JSONNumber
        let source: String
        enum CodingKeys: String, CodingKey {
            case symbol, time, close, indicators, votes, score, label, conviction, source
            case trendMean = "trend_mean"
            case oscillatorMean = "oscillator_mean"
        }
    }

    @Nullable var regime: RegimeJSON?
    let assets: [AssetJSON]

    init(regime r: Regime?, views: [SignalView]) {
        regime = r.map {
            RegimeJSON(
                risk: $0.risk.rawValue, breadth: .init($0.breadth), btcTrend: $0.btcTrend, bearish: $0.bearishCount,
                assets: $0.assetCount)
        }
        assets = views.map { v in
            AssetJSON(
                symbol: v.symbol, time: UTCCalendar.iso(v.time), close: .init(v.close),
                // Always the object of §12: an asset with only an imported signal has every indicator null.
                indicators: IndicatorsJSON(v.indicators ?? IndicatorSnapshot()),
                votes: v.votes.map { VoteJSON(rule: $0.rule, vote: $0.vote, text: $0.text, group: $0.group.rawValue) },
                trendMean: .init(v.trendMean), oscillatorMean: .init(v.oscillatorMean), score: .init(v.score),
                label: v.label, conviction: .init(v.conviction), source: v.source)
        }
    }
}
