/// Iterative weight capping (DESIGN §4).
public enum Capping {
    /// The cap cannot be met: `cap × n < 1`.
    public struct InfeasibleCap: Error, CustomStringConvertible, Sendable {
        public let cap: Double
        public let count: Int
        public var description: String {
            "cap \(cap) is infeasible for \(count) constituents (cap × n = \(cap * Double(count)) < 1)"
        }
    }

    /// Normalises `weights` to sum 1, then caps every weight at `cap`, redistributing the excess
    /// proportionally among the uncapped constituents, repeated until no weight exceeds the cap.
    /// Weights ≤ 0 stay 0 unless every uncapped weight is 0 (then the remainder is split equally).
    /// - Throws: `InfeasibleCap` when `cap × n < 1`.
    public static func apply(_ weights: [String: Double], cap: Double) throws -> [String: Double] {
        let keys = weights.keys.sorted()
        let values = keys.map { max(0, weights[$0] ?? 0) }
        let capped = try apply(values, cap: cap)
        return Dictionary(uniqueKeysWithValues: zip(keys, capped))
    }

    /// Array form of `apply(_:cap:)`; the result is aligned with `weights`.
    public static func apply(_ weights: [Double], cap: Double) throws -> [Double] {
        let n = weights.count
        guard n > 0 else { return [] }
        if cap * Double(n) < 1 - 1e-12 { throw InfeasibleCap(cap: cap, count: n) }
        let raw = weights.map { $0.isFinite ? max(0, $0) : 0 }
        var isCapped = [Bool](repeating: false, count: n)
        var result = [Double](repeating: 0, count: n)
        while true {
            let cappedCount = isCapped.reduce(0) { $0 + ($1 ? 1 : 0) }
            let remaining = max(0, 1 - cap * Double(cappedCount))
            var freeSum = 0.0
            var freeCount = 0
            for i in 0..<n where !isCapped[i] {
                freeSum += raw[i]
                freeCount += 1
            }
            var newlyCapped = false
            for i in 0..<n {
                if isCapped[i] {
                    result[i] = cap
                } else if freeSum > 0 {
                    result[i] = raw[i] / freeSum * remaining
                } else {
                    result[i] = freeCount > 0 ? remaining / Double(freeCount) : 0
                }
            }
            for i in 0..<n where !isCapped[i] && result[i] > cap + 1e-12 {
                isCapped[i] = true
                newlyCapped = true
            }
            if !newlyCapped || freeCount == 0 { break }
        }
        return result
    }
}
