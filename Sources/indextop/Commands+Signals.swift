import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    func signalsCommand(_ args: inout Args) throws -> Int32 {
        let refresh = args.flag("--refresh")
        let slug = args.optionalPositional()
        try args.finish()
        let store = try openStore()
        if refresh { try store.refreshSignals() }
        var symbols: [String]?
        if let slug {
            let idx = try wrap { try store.index(slug) }
            let market = try store.marketView()
            var list = TargetWeights.constituents(idx.spec, market: market)
            for s in try store.positions(idx.id).keys where !list.contains(s) { list.append(s) }
            if idx.spec.methodology.usesStablecoin, !list.contains(idx.spec.methodology.stablecoin) {
                list.append(idx.spec.methodology.stablecoin)
            }
            symbols = list.sorted()
        }
        let views = try store.signalViews(symbols: symbols)
        let latest = try store.latestPriceTime()
        let regime = try latest.map { try store.regime(at: $0) }
        if json {
            Output.json([
                "regime": regime.map { r -> Any in
                    [
                        "risk": r.risk.rawValue, "breadth": r.breadth, "btc_trend": r.btcTrend,
                        "bearish": r.bearishCount, "assets": r.assetCount,
                    ]
                } ?? NSNull(),
                "assets": views.map { v -> [String: Any] in
                    [
                        "symbol": v.symbol, "time": UTCCalendar.iso(v.time), "close": Output.num(v.close),
                        // Always the object of §12: an asset with no computed signal (only an imported
                        // one) has every indicator null.
                        "indicators": PortfolioStore.indicatorJSON(v.indicators ?? IndicatorSnapshot()),
                        "votes": v.votes.map {
                            ["rule": $0.rule, "vote": $0.vote, "text": $0.text, "group": $0.group.rawValue]
                                as [String: Any]
                        },
                        "trend_mean": Output.num(v.trendMean), "oscillator_mean": Output.num(v.oscillatorMean),
                        "score": Output.num(v.score), "label": v.label, "conviction": Output.num(v.conviction),
                        "source": v.source,
                    ]
                },
            ])
            return ExitCode.success
        }
        if let r = regime {
            Output.line(
                "regime: \(r.risk.rawValue) risk — \(r.bearishCount)/\(r.assetCount) bearish (\(Output.pct(r.breadth, signed: false))), BTC \(r.btcTrend)"
            )
        }
        func f(_ v: Double?, _ fmt: String = "%.2f") -> String { v.map { String(format: fmt, $0) } ?? "—" }
        Output.table(
            ["SYMBOL", "LABEL", "SCORE", "CONV", "CLOSE", "RSI14", "MACD HIST", "ROC7", "ROC30", "VOL30", "SOURCE"],
            views.map { v in
                let i = v.indicators
                return [
                    v.symbol, v.label, String(format: "%+.2f", v.score), String(format: "%.2f", v.conviction),
                    Output.price(v.close), f(i?.rsi14, "%.1f"), f(i?.macdHist, "%.4g"), f(i?.roc7, "%+.1f%%"),
                    f(i?.roc30, "%+.1f%%"), i?.volatility30.map { Output.pct($0, signed: false) } ?? "—", v.source,
                ]
            }, right: [2, 3, 4, 5, 6, 7, 8, 9])
        return ExitCode.success
    }
}
