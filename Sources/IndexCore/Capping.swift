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

extension Capping {
    /// Sector caps cannot be met: the capped sectors hold everything and still sum below 1.
    public struct InfeasibleSectorCaps: Error, CustomStringConvertible, Sendable {
        public let sectors: [String]
        public var description: String {
            "sector caps \(sectors.joined(separator: ", ")) cannot be met: no other sector to take the excess"
        }
    }

    /// Caps whole sectors (DESIGN §4 `sector_caps`): a sector above its cap is scaled down to it and its
    /// excess redistributed proportionally among the constituents of the uncapped sectors, repeated until
    /// no sector exceeds its cap; then the single-constituent `cap` again, alternating until both hold.
    /// - Parameters:
    ///   - sectorOf: each symbol's sector (compared case-insensitively with the caps' names).
    /// - Throws: `InfeasibleSectorCaps`, or `InfeasibleCap` from the single cap.
    public static func applySectors(
        _ weights: [String: Double], sectorOf: [String: String], caps: [String: Double], cap: Double?
    ) throws -> [String: Double] {
        let keys = weights.keys.sorted()
        var w = keys.map { max(0, weights[$0] ?? 0) }
        let total = w.reduce(0, +)
        guard total > 0 else { return weights }
        w = w.map { $0 / total }
        let capOf = Dictionary(caps.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: min)
        let sector = keys.map { (sectorOf[$0] ?? "").lowercased() }
        let names = Array(Set(sector.filter { capOf[$0] != nil })).sorted()
        for _ in 0..<100 {
            var fixed = Set<String>()
            while true {
                var sums: [String: Double] = [:]
                for i in w.indices { sums[sector[i], default: 0] += w[i] }
                let over = names.filter { !fixed.contains($0) && (sums[$0] ?? 0) > capOf[$0]! + 1e-12 }
                if over.isEmpty { break }
                fixed.formUnion(over)
                let held = fixed.reduce(0.0) { $0 + capOf[$1]! }
                var free = 0.0
                for i in w.indices where !fixed.contains(sector[i]) { free += w[i] }
                guard free > 0 else { throw InfeasibleSectorCaps(sectors: fixed.sorted()) }
                for i in w.indices {
                    if fixed.contains(sector[i]) {
                        let s = sums[sector[i]]!
                        w[i] = s > 0 ? w[i] / s * capOf[sector[i]]! : 0
                    } else {
                        w[i] = w[i] / free * max(0, 1 - held)
                    }
                }
            }
            guard let cap, w.contains(where: { $0 > cap + 1e-12 }) else { break }
            w = try apply(w, cap: cap)
            var sums: [String: Double] = [:]
            for i in w.indices { sums[sector[i], default: 0] += w[i] }
            if !names.contains(where: { (sums[$0] ?? 0) > capOf[$0]! + 1e-12 }) { break }
        }
        return Dictionary(uniqueKeysWithValues: zip(keys, w))
    }
}
