import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    func signalsCommand(_ args: inout Args) throws -> Int32 {
        let refresh = args.flag("--refresh")
        let evaluate = args.flag("--evaluate")
        let horizon = try args.int("--horizon")
        let slug = args.optionalPositional()
        try args.finish()
        if horizon != nil && !evaluate { throw UsageError("--horizon needs --evaluate") }
        if let horizon, !(1...365).contains(horizon) { throw UsageError("--horizon must be 1–365 days") }
        let store = try openStore()
        if evaluate { return try evaluateSignals(store, slug: slug, horizon: horizon ?? 7) }
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

extension CLI {
    /// `signals --evaluate [SLUG] [--horizon DAYS]`: each rule's and the composite's walk-forward hit rate.
    func evaluateSignals(_ store: PortfolioStore, slug: String?, horizon: Int) throws -> Int32 {
        let cache = try store.currentSignalCache()
        var candles = cache.candles.filter { !cache.stablecoins.contains($0.key) }
        if let slug {
            let idx = try wrap { try store.index(slug) }
            let members = Set(TargetWeights.constituents(idx.spec, market: try store.marketView()))
            candles = candles.filter { members.contains($0.key) }
        }
        let result = SignalEvaluation.evaluate(candles, horizon: horizon)
        let days = candles.values.flatMap { [$0.first?.day, $0.last?.day].compactMap { $0 } }
        let report = SignalEvaluationJSON(
            horizon: horizon, assets: candles.count,
            from: days.min().map { UTCCalendar.isoDate(Int64($0) * UTCCalendar.day) },
            to: days.max().map { UTCCalendar.isoDate(Int64($0) * UTCCalendar.day) },
            rules: result.rules.map(SignalEvaluationJSON.Rule.init), composite: .init(result.composite))
        if json {
            Output.json(report)
            return ExitCode.success
        }
        Output.line(
            "walk-forward over \(candles.count) assets, \(report.from ?? "—") → \(report.to ?? "—"), \(horizon)-day forward returns"
        )
        func pct(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        Output.table(
            ["RULE", "GROUP", "HIT RATE", "OBS", "BULLISH", "NEUTRAL", "BEARISH"],
            (report.rules + [report.composite]).map { r in
                [
                    r.rule, r.group, pct(r.hitRate), String(r.observations), Output.pct(r.meanForwardReturn.bullish),
                    Output.pct(r.meanForwardReturn.neutral), Output.pct(r.meanForwardReturn.bearish),
                ]
            }, right: [2, 3, 4, 5, 6])
        Output.line("BULLISH/NEUTRAL/BEARISH: mean forward return of the days with that label")
        return ExitCode.success
    }
}

/// `signals --evaluate --json` (DESIGN §12).
struct SignalEvaluationJSON: Encodable {
    struct ByLabel: Encodable {
        let bullish: Double?
        let neutral: Double?
        let bearish: Double?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(bullish, forKey: .bullish)
            try c.encode(neutral, forKey: .neutral)
            try c.encode(bearish, forKey: .bearish)
        }
        enum CodingKeys: String, CodingKey { case bullish, neutral, bearish }
    }

    struct Rule: Encodable {
        let rule: String
        let group: String
        let observations: Int
        let hits: Int
        let hitRate: Double?
        let meanForwardReturn: ByLabel
        let days: [String: Int]

        enum CodingKeys: String, CodingKey {
            case rule, group, observations, hits, days
            case hitRate = "hit_rate"
            case meanForwardReturn = "mean_forward_return"
        }

        init(_ r: SignalEvaluation.Record) {
            rule = r.rule
            group = r.group
            observations = r.observations
            hits = r.hits
            hitRate = r.hitRate
            meanForwardReturn = ByLabel(
                bullish: r.meanReturn(.bullish), neutral: r.meanReturn(.neutral), bearish: r.meanReturn(.bearish))
            days = [
                "bullish": r.days[.bullish] ?? 0, "neutral": r.days[.neutral] ?? 0, "bearish": r.days[.bearish] ?? 0,
            ]
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(group, forKey: .group)
            try c.encode(observations, forKey: .observations)
            try c.encode(hits, forKey: .hits)
            try c.encode(hitRate, forKey: .hitRate)
            try c.encode(meanForwardReturn, forKey: .meanForwardReturn)
            try c.encode(days, forKey: .days)
        }
    }

    let horizon: Int
    let assets: Int
    let from: String?
    let to: String?
    let rules: [Rule]
    let composite: Rule

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(horizon, forKey: .horizon)
        try c.encode(assets, forKey: .assets)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(rules, forKey: .rules)
        try c.encode(composite, forKey: .composite)
    }
    enum CodingKeys: String, CodingKey { case horizon, assets, from, to, rules, composite }
}
