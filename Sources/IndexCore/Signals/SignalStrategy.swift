import Foundation

/// Target weights of the `signal` methodology (DESIGN §4–§5).
///
/// Holds the bullish tokens (and the neutral ones with `includeNeutral`), weight ∝ conviction × √market cap,
/// capped with ``Capping/apply(_:cap:)``, then scaled by (1 − riskOff[regime]) with riskOff[regime] in the
/// stablecoin (0 at `low` risk). Nothing eligible → 100 % stablecoin.
///
/// Choices written down here:
/// - A token with conviction 0 (a neutral score of exactly 0) has weight 0 and is not held; if every
///   eligible token has conviction 0, the index holds only the stablecoin.
/// - A token without a positive market cap is left out, unless no eligible token has one, in which case the
///   weights are ∝ conviction alone (a feed without market caps still gives a usable index).
/// - When fewer tokens are eligible than the cap allows (cap × n < 1), each gets the cap and the rest goes to
///   the stablecoin: the cap is never breached and the stablecoin is not capped.
/// - The stablecoin itself is never a candidate.
public enum SignalStrategy {
    /// One candidate token with its latest signal.
    public struct Candidate: Sendable, Hashable {
        /// Asset symbol (upper-case ticker).
        public var symbol: String
        /// bullish / neutral / bearish from the score and thresholds.
        public var label: SignalLabel
        /// |score|, in [0, 1].
        public var conviction: Double
        /// USD; nil when unknown.
        public var marketCap: Double?

        /// A candidate token.
        public init(symbol: String, label: SignalLabel, conviction: Double, marketCap: Double?) {
            self.symbol = symbol
            self.label = label
            self.conviction = conviction
            self.marketCap = marketCap
        }
    }

    /// The share moved into the stablecoin at each risk level.
    public struct RiskOff: Sendable, Hashable, Codable {
        /// Fraction in [0, 1] at `medium` risk (default 0.3).
        public var medium: Double
        /// Fraction in [0, 1] at `high` risk (default 0.6).
        public var high: Double

        /// Shares at medium and high risk (low risk is always 0).
        public init(medium: Double = 0.3, high: Double = 0.6) {
            self.medium = medium
            self.high = high
        }

        /// The stablecoin share at `risk`.
        public func share(at risk: RiskLevel) -> Double {
            switch risk {
            case .low: return 0
            case .medium: return medium
            case .high: return high
            }
        }
    }

    /// The methodology's parameters (spec fields `cap`, `include_neutral`, `stablecoin`, `risk_off`).
    public struct Parameters: Sendable, Hashable {
        /// Maximum weight of one token before the risk-off scaling, in (0, 1].
        public var cap: Double
        /// Hold neutral tokens too (spec `include_neutral`).
        public var includeNeutral: Bool
        /// Symbol of the stablecoin that receives the risk-off share (e.g. `USDC`).
        public var stablecoin: String
        /// Stablecoin shares per risk level (spec `risk_off`).
        public var riskOff: RiskOff

        /// Parameters; validated by ``targetWeights(_:regime:parameters:)``.
        public init(cap: Double, includeNeutral: Bool = false, stablecoin: String, riskOff: RiskOff = RiskOff()) {
            self.cap = cap
            self.includeNeutral = includeNeutral
            self.stablecoin = stablecoin
            self.riskOff = riskOff
        }
    }

    /// Target weights (fractions summing to 1, zero weights omitted) for `candidates` at `regime`.
    /// - Throws: ``StrategyError`` when the cap is outside (0, 1], a risk-off share outside [0, 1], or the
    ///   stablecoin symbol is empty; rethrows ``Capping/apply(_:cap:)``'s error.
    public static func targetWeights(
        _ candidates: [Candidate], regime: RiskLevel, parameters: Parameters
    ) throws -> [String: Double] {
        try validate(parameters)
        let stable = parameters.stablecoin
        let eligible = candidates.filter { c in
            c.symbol != stable && c.conviction.isFinite && c.conviction > 0
                && (c.label == .bullish || (parameters.includeNeutral && c.label == .neutral))
        }
        let capped = eligible.compactMap { c -> (String, Double)? in
            guard let m = c.marketCap, m.isFinite, m > 0 else { return nil }
            return (c.symbol, c.conviction * m.squareRoot())
        }
        var raw: [String: Double] = [:]
        for (symbol, w) in capped.isEmpty ? eligible.map({ ($0.symbol, $0.conviction) }) : capped {
            raw[symbol, default: 0] += w
        }
        let total = raw.keys.sorted().reduce(0) { $0 + raw[$1]! }  // in key order: bit-reproducible
        guard total > 0 else { return [stable: 1] }

        var invested: [String: Double]
        var parked = 0.0
        if parameters.cap * Double(raw.count) >= 1 - 1e-12 {
            invested = try Capping.apply(raw.mapValues { $0 / total }, cap: parameters.cap)
        } else {
            invested = raw.mapValues { _ in parameters.cap }
            parked = 1 - parameters.cap * Double(raw.count)
        }
        let share = parameters.riskOff.share(at: regime)
        for key in invested.keys { invested[key]! *= 1 - share }
        let stableWeight = share + (1 - share) * parked
        if stableWeight > 0 { invested[stable] = stableWeight }
        return invested
    }

    private static func validate(_ p: Parameters) throws {
        func fail(_ field: String, _ message: String) -> StrategyError {
            StrategyError(methodology: "signal", field: field, message: message)
        }
        guard p.cap.isFinite, p.cap > 0, p.cap <= 1 else { throw fail("cap", "must be in (0, 1], got \(p.cap)") }
        for (name, v) in [("risk_off.medium", p.riskOff.medium), ("risk_off.high", p.riskOff.high)] {
            guard v.isFinite, v >= 0, v <= 1 else { throw fail(name, "must be in [0, 1], got \(v)") }
        }
        guard !p.stablecoin.isEmpty else { throw fail("stablecoin", "is required") }
    }
}
