/// How well each rule of the composite rating (DESIGN §5), and the composite itself, foretold the price,
/// walk-forward: the signal of each day uses only the candles up to that day (the indicators are causal
/// and the rules have nothing fitted), and is scored against the return over the next `horizon` days,
/// which it never saw. A bullish day is a hit when that return is positive, a bearish day when it is
/// negative; neutral days are not counted in the hit rate.
public enum SignalEvaluation {
    /// The record of one rule (or the composite, rule `composite`).
    public struct Record: Sendable, Equatable {
        public var rule: String
        /// `trend`, `oscillator` or `composite`.
        public var group: String
        /// Bullish and bearish days with a known forward return.
        public var observations: Int
        public var hits: Int
        /// Days and Σ forward return per label (bullish, neutral, bearish).
        public var days: [SignalLabel: Int] = [:]
        public var sumReturn: [SignalLabel: Double] = [:]

        /// hits / observations, nil without observations.
        public var hitRate: Double? { observations > 0 ? Double(hits) / Double(observations) : nil }
        /// Mean forward return of the days labelled `label`, nil without any.
        public func meanReturn(_ label: SignalLabel) -> Double? {
            guard let n = days[label], n > 0 else { return nil }
            return (sumReturn[label] ?? 0) / Double(n)
        }

        mutating func add(_ label: SignalLabel, forward r: Double) {
            days[label, default: 0] += 1
            sumReturn[label, default: 0] += r
            guard label != .neutral else { return }
            observations += 1
            if (label == .bullish && r > 0) || (label == .bearish && r < 0) { hits += 1 }
        }
    }

    /// Every rule's record (in the order the rating lists its rules) and the composite's, over the
    /// candles of every asset (symbols in sorted order, so the sums are the same in every process).
    public static func evaluate(
        _ candles: [String: [Candle]], horizon: Int, thresholds: SignalThresholds = .standard
    ) -> (rules: [Record], composite: Record) {
        var rules: [String: Record] = [:]
        var order: [String] = []
        var composite = Record(rule: "composite", group: "composite", observations: 0, hits: 0)
        for symbol in candles.keys.sorted() {
            let list = candles[symbol]!
            guard list.count > horizon else { continue }
            let series = IndicatorSeries(candles: list)
            for i in 0..<(list.count - horizon) {
                // The forward return over `horizon` calendar days (the candle `horizon` days later).
                let later = i + horizon
                guard list[later].day - list[i].day == horizon, list[i].close > 0 else { continue }
                let r = list[later].close / list[i].close - 1
                let rating = SignalRating.rate(series.snapshot(at: i), thresholds: thresholds)
                guard !rating.votes.isEmpty else { continue }
                for v in rating.votes {
                    if rules[v.rule] == nil {
                        rules[v.rule] = Record(rule: v.rule, group: v.group.rawValue, observations: 0, hits: 0)
                        order.append(v.rule)
                    }
                    rules[v.rule]!.add(v.vote > 0 ? .bullish : (v.vote < 0 ? .bearish : .neutral), forward: r)
                }
                composite.add(rating.label, forward: r)
            }
        }
        return (order.map { rules[$0]! }, composite)
    }
}
