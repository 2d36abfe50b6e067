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
            Output.json(SignalsJSON(regime: regime, views: views))
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
