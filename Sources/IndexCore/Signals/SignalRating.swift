import Foundation

/// One rule's vote in the composite rating, with the text that explains it.
public struct SignalVote: Sendable, Hashable, Codable {
    /// The rule groups of the composite.
    public enum Group: String, Sendable, Hashable, Codable {
        case trend
        case oscillator
    }

    /// Stable rule id (`close_sma20`, `close_sma50`, `close_sma200`, `sma50_sma200`, `macd_signal`,
    /// `rsi14`, `bollinger`, `roc7`, `roc30`, `volume`).
    public var rule: String
    /// What the rule saw, for people: "close above SMA50", "RSI 25.3 below 30 and rising"...
    public var text: String
    /// The group the rule belongs to.
    public var group: Group
    /// +1, 0 or −1.
    public var vote: Int

    /// A vote; `vote` must be −1, 0 or +1.
    public init(rule: String, text: String, group: Group, vote: Int) {
        self.rule = rule
        self.text = text
        self.group = group
        self.vote = vote
    }
}

/// The composite technical rating of DESIGN §5 (in the style of TradingView's published ratings).
///
/// Trend group: close vs SMA20, SMA50, SMA200 (+1 above, −1 below, 0 equal), SMA50 vs SMA200, MACD line vs
/// its signal. Oscillator group: RSI14 (+1 below 30 and rising from the previous bar, −1 above 70 and
/// falling, else 0), Bollinger (+1 close below the lower band, −1 above the upper, else 0), sign of ROC7,
/// sign of ROC30, volume (sign of ROC7 when the volume trend is above 1, else 0). A rule whose inputs are
/// missing does not vote (it is absent from `votes`, not a 0).
///
/// Score: the mean of the group means over the groups that have at least one vote. A group with no votes
/// is left out rather than counted as 0, consistent with rules that lack inputs (so a young asset is rated
/// on its oscillators alone); with no votes at all the score is 0, `neutral`, conviction 0.
public struct SignalRating: Sendable, Hashable, Codable {
    /// Every vote cast, trend group first, in the order listed above.
    public var votes: [SignalVote]
    /// Mean of the trend votes, nil when none voted.
    public var trendMean: Double?
    /// Mean of the oscillator votes, nil when none voted.
    public var oscillatorMean: Double?
    /// In [−1, 1].
    public var score: Double
    /// bullish / neutral / bearish from the score and thresholds.
    public var label: SignalLabel
    /// |score|, in [0, 1].
    public var conviction: Double

    /// Assembles a rating from votes; the score, label and conviction follow from them and `thresholds`.
    public init(votes: [SignalVote], thresholds: SignalThresholds = .standard) {
        self.votes = votes
        trendMean = Self.mean(votes, .trend)
        oscillatorMean = Self.mean(votes, .oscillator)
        let means = [trendMean, oscillatorMean].compactMap { $0 }
        score = means.isEmpty ? 0 : means.reduce(0, +) / Double(means.count)
        label = thresholds.label(for: score)
        conviction = abs(score)
    }

    /// Rates an asset from its indicators at one bar.
    public static func rate(_ s: IndicatorSnapshot, thresholds: SignalThresholds = .standard) -> SignalRating {
        SignalRating(votes: votes(s), thresholds: thresholds)
    }

    /// The votes the rules cast on `s` (rules lacking inputs are absent).
    public static func votes(_ s: IndicatorSnapshot) -> [SignalVote] {
        var v: [SignalVote] = []
        v.reserveCapacity(10)
        if let c = s.close {
            for (rule, name, value) in [
                ("close_sma20", "SMA20", s.sma20), ("close_sma50", "SMA50", s.sma50),
                ("close_sma200", "SMA200", s.sma200),
            ] {
                // DESIGN §5: a close exactly at its SMA counts as above.
                if let m = value { v.append(compare(rule, "close", c, name, m, tieVotes: 1)) }
            }
        }
        if let a = s.sma50, let b = s.sma200 { v.append(compare("sma50_sma200", "SMA50", a, "SMA200", b)) }
        if let a = s.macd, let b = s.macdSignal { v.append(compare("macd_signal", "MACD", a, "signal", b)) }
        if let r = s.rsi14, let p = s.previousRSI14 { v.append(rsiVote(r, previous: p)) }
        if let c = s.close, let lo = s.bbLower, let hi = s.bbUpper { v.append(bollingerVote(c, lo, hi)) }
        if let r = s.roc7 { v.append(signVote("roc7", "ROC7", r)) }
        if let r = s.roc30 { v.append(signVote("roc30", "ROC30", r)) }
        if let t = s.volumeTrend, let r = s.roc7 { v.append(volumeVote(t, roc7: r)) }
        return v
    }

    private static func mean(_ votes: [SignalVote], _ group: SignalVote.Group) -> Double? {
        var sum = 0
        var n = 0
        for v in votes where v.group == group {
            sum += v.vote
            n += 1
        }
        return n == 0 ? nil : Double(sum) / Double(n)
    }

    private static func compare(
        _ rule: String, _ a: String, _ x: Double, _ b: String, _ y: Double, tieVotes: Int = 0
    ) -> SignalVote {
        let vote = x > y ? 1 : (x < y ? -1 : tieVotes)
        let relation = x > y ? "above" : (x < y ? "below" : "at")
        return SignalVote(rule: rule, text: "\(a) \(relation) \(b)", group: .trend, vote: vote)
    }

    private static func rsiVote(_ r: Double, previous p: Double) -> SignalVote {
        let value = formatted(r)
        let (vote, text): (Int, String)
        if r < 30 {
            (vote, text) = r > p ? (1, "RSI \(value) below 30 and rising") : (0, "RSI \(value) below 30, not rising")
        } else if r > 70 {
            (vote, text) = r < p ? (-1, "RSI \(value) above 70 and falling") : (0, "RSI \(value) above 70, not falling")
        } else {
            (vote, text) = (0, "RSI \(value) between 30 and 70")
        }
        return SignalVote(rule: "rsi14", text: text, group: .oscillator, vote: vote)
    }

    private static func bollingerVote(_ c: Double, _ lower: Double, _ upper: Double) -> SignalVote {
        let (vote, text): (Int, String) =
            c < lower
            ? (1, "close below lower Bollinger band")
            : (c > upper ? (-1, "close above upper Bollinger band") : (0, "close within Bollinger bands"))
        return SignalVote(rule: "bollinger", text: text, group: .oscillator, vote: vote)
    }

    private static func signVote(_ rule: String, _ name: String, _ x: Double) -> SignalVote {
        let vote = x > 0 ? 1 : (x < 0 ? -1 : 0)
        let sign = vote > 0 ? "positive" : (vote < 0 ? "negative" : "zero")
        return SignalVote(rule: rule, text: "\(name) \(sign) (\(formatted(x)) %)", group: .oscillator, vote: vote)
    }

    private static func volumeVote(_ trend: Double, roc7: Double) -> SignalVote {
        let ratio = formatted(trend, digits: 2)
        guard trend > 1 else {
            return SignalVote(rule: "volume", text: "volume not rising (7/30 d \(ratio))", group: .oscillator, vote: 0)
        }
        let vote = roc7 > 0 ? 1 : (roc7 < 0 ? -1 : 0)
        let direction = vote > 0 ? "price up" : (vote < 0 ? "price down" : "price flat")
        return SignalVote(
            rule: "volume", text: "volume rising (7/30 d \(ratio)) with \(direction)", group: .oscillator, vote: vote)
    }

    /// Fixed-point text without locale (IndexCore must not depend on the user's locale).
    static func formatted(_ x: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f", locale: nil, x)
    }
}
