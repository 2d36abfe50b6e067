import Foundation
import IndexCore
import SQLiteKit

/// A signal as shown to people and scripts: computed rating, or an imported one that takes precedence.
public struct SignalView: Sendable {
    public var symbol: String
    /// Start of the UTC day of the signal.
    public var time: Int64
    public var close: Double?
    public var indicators: IndicatorSnapshot?
    public var votes: [SignalVote]
    public var trendMean: Double?
    public var oscillatorMean: Double?
    public var score: Double
    public var label: String
    public var conviction: Double
    /// `rating` (computed here) or the provider/file it was imported from.
    public var source: String
}

extension PortfolioStore {
    /// The signal cache for the current prices (rebuilt when prices were added or changed).
    public func currentSignalCache() throws -> SignalCache {
        let count = try db.scalarInt("SELECT COUNT(*) FROM prices") ?? 0
        let latest = try db.scalarInt("SELECT MAX(time) FROM prices") ?? 0
        if let c = signalCache {
            if c.key == [count, latest] { return c }
            if try c.refreshTail(db: db, key: [count, latest]) { return c }
        }
        let stables = Set(try assets().filter(\.isStablecoin).map(\.symbol))
        let c = try SignalCache(db: db, key: [count, latest], stablecoins: stables)
        signalCache = c
        return c
    }

    /// Forgets the cached candles and indicator series (they are rebuilt on demand), to give the memory back.
    public func dropSignalCache() { signalCache = nil }

    /// Lets this store compute `signal`, `trend` and `rsi` targets and `risk-off` triggers.
    public func enableSignals() {
        signalTargets = { spec, market, time, store in
            try store.signalTargetWeights(spec, market: market, at: time)
        }
    }

    /// The imported signal in force for `symbol` on UTC day number `day`: the newest one dated
    /// that day or up to ``SignalPrecedence/maxAgeDays`` before (DESIGN §5). When several sources
    /// have one for that day, the first by source name wins (rows carry no import time).
    public func importedSignal(_ symbol: String, day: Int64) throws -> (label: String, score: Double, source: String)? {
        try db.queryOne(
            """
            SELECT label, score, source FROM signals WHERE symbol = ? AND time <= ? AND time >= ? AND source != 'rating'
            ORDER BY time DESC, source LIMIT 1
            """,
            [symbol, day * UTCCalendar.day, (day - SignalPrecedence.maxAgeDays) * UTCCalendar.day]
        ) { ($0.string(0), $0.double(1), $0.string(2)) }
    }

    /// Targets of a signal-driven spec at `time`.
    public func signalTargetWeights(_ spec: IndexSpec, market: MarketView, at time: Int64) throws -> [String: Double] {
        let cache = try currentSignalCache()
        let day = Int(UTCCalendar.dayNumber(time))
        let m = spec.methodology
        let members = TargetWeights.constituents(spec, market: market)
        do {
            switch m.kind {
            case .signal:
                let thresholds = SignalThresholds(bullishAbove: m.bullishAbove, bearishBelow: m.bearishBelow)
                var candidates: [SignalStrategy.Candidate] = []
                for s in members {
                    if let imp = try importedSignal(s, day: Int64(day)) {
                        candidates.append(
                            .init(
                                symbol: s, label: SignalLabel(rawValue: imp.label) ?? .neutral,
                                conviction: abs(imp.score), marketCap: market.marketCaps[s]))
                    } else if let sig = cache.signal(s, day: day), day - sig.day <= 3 {
                        let rating = SignalRating(votes: sig.rating.votes, thresholds: thresholds)
                        candidates.append(
                            .init(
                                symbol: s, label: rating.label, conviction: rating.conviction,
                                marketCap: market.marketCaps[s]))
                    }
                }
                // The regime in force for this index (its universe, confirmed over risk_off.confirm_days).
                let risk = try regimeInForce(spec, at: time)
                return try SignalStrategy.targetWeights(
                    candidates, regime: risk,
                    parameters: .init(
                        cap: m.cap ?? 1, includeNeutral: m.includeNeutral, stablecoin: m.stablecoin,
                        riskOff: .init(medium: m.riskOffMedium, high: m.riskOffHigh)))
            case .trend:
                let assets = members.map { TrendStrategy.Asset(symbol: $0, closes: cache.closes($0, through: day)) }
                return try TrendStrategy.targetWeights(assets, parameters: .init(sma: m.sma, stablecoin: m.stablecoin))
            case .rsi:
                let assets = members.map { RSIStrategy.Asset(symbol: $0, closes: cache.closes($0, through: day)) }
                return try RSIStrategy.targetWeights(
                    assets, parameters: .init(enter: m.enter, exit: m.exit, stablecoin: m.stablecoin))
            default:
                return try TargetWeights.passive(spec, market: market)
            }
        } catch let e as StrategyError {
            throw MethodologyError(index: spec.slug, "\(e)")
        } catch let e as Capping.InfeasibleCap {
            throw MethodologyError(index: spec.slug, e.description)
        }
    }

    /// The regime on the UTC day of `time` (imported signals of that day take precedence).
    public func regime(at time: Int64) throws -> Regime {
        let day = UTCCalendar.dayNumber(time)
        return try currentSignalCache().regime(day: Int(day), imported: importedLabels(day: day))
    }

    /// The labels of the imported signals in force on UTC day `day`, by symbol (the same rule as
    /// ``importedSignal(_:day:)``).
    func importedLabels(day: Int64) throws -> [String: SignalLabel] {
        var out: [String: SignalLabel] = [:]
        // Oldest first and, within a day, sources in reverse: the last assignment is the one in force.
        for (symbol, label) in try db.query(
            "SELECT symbol, label FROM signals WHERE time <= ? AND time >= ? AND source != 'rating' ORDER BY time, source DESC",
            [day * UTCCalendar.day, (day - SignalPrecedence.maxAgeDays) * UTCCalendar.day],
            { ($0.string(0), $0.string(1)) })
        {
            if let l = SignalLabel(rawValue: label) { out[symbol] = l }
        }
        return out
    }

    /// Computes the latest signal of every asset and the regime, and stores them (one transaction).
    /// Returns the number of signals written.
    @discardableResult
    public func refreshSignals() throws -> Int {
        let cache = try currentSignalCache()
        guard let latest = try latestPriceTime() else { return 0 }
        let day = Int(UTCCalendar.dayNumber(latest))
        var written = 0
        try db.transaction {
            for symbol in cache.candles.keys.sorted() {
                guard let sig = cache.signal(symbol, day: day) else { continue }
                let components: [String: Any] = [
                    "indicators": Self.indicatorJSON(sig.indicators),
                    "votes": sig.rating.votes.map {
                        ["rule": $0.rule, "text": $0.text, "group": $0.group.rawValue, "vote": $0.vote]
                    },
                    "trend_mean": sig.rating.trendMean ?? NSNull(),
                    "oscillator_mean": sig.rating.oscillatorMean ?? NSNull(),
                    "close": sig.close,
                ]
                let json = try JSONSerialization.data(withJSONObject: components, options: [.sortedKeys])
                try db.run(
                    """
                    INSERT INTO signals(symbol, time, score, label, components, source) VALUES (?, ?, ?, ?, ?, 'rating')
                    ON CONFLICT(symbol, time, source) DO UPDATE SET score = excluded.score, label = excluded.label,
                        components = excluded.components
                    """,
                    [
                        symbol, Int64(sig.day) * UTCCalendar.day, sig.rating.score, sig.rating.label.rawValue,
                        String(decoding: json, as: UTF8.self),
                    ])
                written += 1
            }
            let r = try regime(at: latest)
            try db.run(
                """
                INSERT INTO regimes(time, risk, breadth, btc_trend) VALUES (?, ?, ?, ?)
                ON CONFLICT(time) DO UPDATE SET risk = excluded.risk, breadth = excluded.breadth, btc_trend = excluded.btc_trend
                """, [Int64(day) * UTCCalendar.day, r.risk.rawValue, r.breadth, r.btcTrend])
        }
        return written
    }

    /// Indicator values by their contract names (nil → JSON null).
    public static func indicatorJSON(_ s: IndicatorSnapshot) -> [String: Any] {
        func v(_ x: Double?) -> Any { x.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
        return [
            "sma20": v(s.sma20), "sma50": v(s.sma50), "sma200": v(s.sma200), "ema12": v(s.ema12), "ema26": v(s.ema26),
            "rsi14": v(s.rsi14), "macd": v(s.macd), "macd_signal": v(s.macdSignal), "macd_hist": v(s.macdHist),
            "bb_upper": v(s.bbUpper), "bb_middle": v(s.bbMiddle), "bb_lower": v(s.bbLower), "roc7": v(s.roc7),
            "roc30": v(s.roc30), "volatility30": v(s.volatility30), "volume_trend": v(s.volumeTrend),
            "drawdown90": v(s.drawdown90),
        ]
    }

    /// The latest signal per asset: the computed rating at the newest candle, replaced by an imported
    /// signal for the same asset and day when there is one.
    public func signalViews(symbols: [String]? = nil) throws -> [SignalView] {
        let cache = try currentSignalCache()
        guard let latest = try latestPriceTime() else { return [] }
        let day = Int(UTCCalendar.dayNumber(latest))
        var out: [SignalView] = []
        for symbol in (symbols ?? cache.candles.keys.sorted()) {
            let sig = cache.signal(symbol, day: day)
            let sigDay = Int64(sig?.day ?? day)
            if let imp = try importedSignal(symbol, day: sigDay) {
                out.append(
                    SignalView(
                        symbol: symbol, time: sigDay * UTCCalendar.day, close: sig?.close, indicators: sig?.indicators,
                        votes: sig?.rating.votes ?? [], trendMean: sig?.rating.trendMean,
                        oscillatorMean: sig?.rating.oscillatorMean, score: imp.score, label: imp.label,
                        conviction: abs(imp.score), source: imp.source))
            } else if let sig {
                out.append(
                    SignalView(
                        symbol: symbol, time: sigDay * UTCCalendar.day, close: sig.close, indicators: sig.indicators,
                        votes: sig.rating.votes, trendMean: sig.rating.trendMean,
                        oscillatorMean: sig.rating.oscillatorMean,
                        score: sig.rating.score, label: sig.rating.label.rawValue, conviction: sig.rating.conviction,
                        source: "rating"))
            }
        }
        return out
    }
}
