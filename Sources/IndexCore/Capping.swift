import Foundation

// Minimal stand-in so the signals branch compiles; the lead's Capping.swift replaces this file on merge.

/// Weight capping of DESIGN §4.
public enum Capping {
    /// Error of an impossible cap.
    public struct Infeasible: Error, CustomStringConvertible {
        public var cap: Double
        public var count: Int
        public var description: String { "cap \(cap) cannot be met with \(count) constituents (cap × n < 1)" }
    }

    /// Caps every weight at `cap`, redistributing the excess proportionally among the uncapped weights until
    /// none exceeds it. `weights` should sum to 1. Throws when `cap × n < 1`.
    public static func apply(_ weights: [String: Double], cap: Double) throws -> [String: Double] {
        guard cap * Double(weights.count) >= 1 - 1e-12 else { throw Infeasible(cap: cap, count: weights.count) }
        var result = weights
        var capped = Set<String>()
        while true {
            let over = result.filter { !capped.contains($0.key) && $0.value > cap + 1e-12 }
            if over.isEmpty { return result }
            for key in over.keys {
                capped.insert(key)
                result[key] = cap
            }
            let free = result.filter { !capped.contains($0.key) }
            let remaining = 1 - cap * Double(capped.count)
            let freeTotal = free.values.reduce(0, +)
            guard freeTotal > 0 else { return result }
            for (key, w) in free { result[key] = w / freeTotal * remaining }
        }
    }
}
