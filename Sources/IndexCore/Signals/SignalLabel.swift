import Foundation

/// The label of a signal: the composite's verdict, or an imported provider's.
public enum SignalLabel: String, Sendable, Hashable, Codable, CaseIterable {
    case bullish
    case neutral
    case bearish

    /// +1, 0 or −1.
    public var direction: Int {
        switch self {
        case .bullish: return 1
        case .neutral: return 0
        case .bearish: return -1
        }
    }

    /// The one label parser (signal files, providers): `bullish|neutral|bearish` (any case) or `1|0|-1`
    /// (also `+1`, `1.0`, `-0` and the Unicode minus `−1`); surrounding spaces are ignored. nil otherwise.
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch s {
        case "bullish", "1", "+1", "1.0", "+1.0": self = .bullish
        case "neutral", "0", "+0", "-0", "0.0": self = .neutral
        case "bearish", "-1", "\u{2212}1", "-1.0", "\u{2212}1.0": self = .bearish
        default: return nil
        }
    }
}

/// Score thresholds of the composite rating (configurable per index spec).
public struct SignalThresholds: Sendable, Hashable, Codable {
    /// A score strictly above this is `bullish` (default +0.1).
    public var bullishAbove: Double
    /// A score strictly below this is `bearish` (default −0.1).
    public var bearishBelow: Double

    /// The defaults of DESIGN §5 (±0.1).
    public static let standard = SignalThresholds(bullishAbove: 0.1, bearishBelow: -0.1)

    /// Thresholds on the score scale [−1, 1]; `bearishBelow` should not exceed `bullishAbove` (if it does,
    /// a score between them is labelled bullish, since that test is made first).
    public init(bullishAbove: Double = 0.1, bearishBelow: Double = -0.1) {
        self.bullishAbove = bullishAbove
        self.bearishBelow = bearishBelow
    }

    /// The label of a score. Comparisons allow 1e-9 of rounding, so a score that is mathematically equal
    /// to a threshold (e.g. (0.6 − 0.4)/2) counts as equal, hence `neutral` at ±0.1.
    public func label(for score: Double) -> SignalLabel {
        let tolerance = 1e-9
        if score > bullishAbove + tolerance { return .bullish }
        if score < bearishBelow - tolerance { return .bearish }
        return .neutral
    }
}
