import Foundation

/// An invalid parameter or input of a signal-driven methodology (`signal`, `trend`, `rsi`).
public struct StrategyError: Error, Hashable, CustomStringConvertible {
    /// The methodology type (`signal`, `trend`, `rsi`).
    public var methodology: String
    /// The offending field (`cap`, `risk_off.medium`, `sma`, `weights`...).
    public var field: String
    /// What is wrong, for people (never a secret).
    public var message: String

    /// An error about `field` of `methodology`.
    public init(methodology: String, field: String, message: String) {
        self.methodology = methodology
        self.field = field
        self.message = message
    }

    /// "<methodology> methodology: <field>: <message>".
    public var description: String { "\(methodology) methodology: \(field): \(message)" }
}

/// Base weights shared by the `trend` and `rsi` methodologies.
enum BaseWeights {
    /// Equal weights when no asset gives one, else the given weights normalised to sum 1.
    /// Throws when only some assets give a weight, or a weight is negative or not finite, or they sum to 0.
    static func resolve(_ given: [(symbol: String, weight: Double?)], methodology: String) throws -> [Double] {
        if given.allSatisfy({ $0.weight == nil }) {
            return Array(repeating: 1.0 / Double(max(given.count, 1)), count: given.count)
        }
        var weights: [Double] = []
        for g in given {
            guard let w = g.weight else {
                throw StrategyError(
                    methodology: methodology, field: "weights", message: "no base weight for \(g.symbol)")
            }
            guard w.isFinite, w >= 0 else {
                throw StrategyError(
                    methodology: methodology, field: "weights", message: "invalid base weight for \(g.symbol)")
            }
            weights.append(w)
        }
        let total = weights.reduce(0, +)
        guard total > 0 else {
            throw StrategyError(methodology: methodology, field: "weights", message: "base weights sum to 0")
        }
        return weights.map { $0 / total }
    }
}
