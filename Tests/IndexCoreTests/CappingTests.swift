import Foundation
import IndexCore
import Testing

/// An independent capping: the capped weights are min(cap, λ·w) for the λ that makes them sum to 1
/// (water-filling), found by capping the largest weights one by one.
private func referenceCap(_ weights: [Double], cap: Double) -> [Double] {
    let total = weights.reduce(0, +)
    let w = weights.map { $0 / total }
    let order = w.indices.sorted { w[$0] > w[$1] }
    for k in 0..<w.count {
        let freeSum = order[k...].reduce(0) { $0 + w[$1] }
        let lambda = (1 - Double(k) * cap) / freeSum
        let largestFree = lambda * w[order[k]]
        let smallestCapped = k == 0 ? Double.infinity : lambda * w[order[k - 1]]
        if largestFree <= cap + 1e-12, smallestCapped >= cap - 1e-12 {
            return w.map { min(cap, lambda * $0) }
        }
    }
    return w.map { _ in cap }
}

@Suite struct CappingTests {
    @Test func oneHeavyWeightIsCappedAndItsExcessShared() throws {
        // .7 → .5; the excess .2 goes to .2 and .1 in proportion 2:1: .2 + .1333… and .1 + .0667….
        let out = try Capping.apply([0.7, 0.2, 0.1], cap: 0.5)
        #expect(abs(out[0] - 0.5) < 1e-12)
        #expect(abs(out[1] - 1.0 / 3.0) < 1e-12)
        #expect(abs(out[2] - 1.0 / 6.0) < 1e-12)
    }

    @Test func cappingRepeatsUntilNothingExceeds() throws {
        // {60,20,10,10} → {.6,.2,.1,.1}; .6 → .3, the others scale to .35,.175,.175; .35 → .3, then .2,.2.
        let out = try Capping.apply([60, 20, 10, 10], cap: 0.3)
        let expected = [0.3, 0.3, 0.2, 0.2]
        for (a, b) in zip(out, expected) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func theDictionaryFormKeepsTheSymbols() throws {
        let out = try Capping.apply(["BTC": 0.7, "ETH": 0.2, "SOL": 0.1], cap: 0.5)
        #expect(Set(out.keys) == ["BTC", "ETH", "SOL"])
        #expect(abs(out["BTC"]! - 0.5) < 1e-12)
        #expect(abs(out["ETH"]! - 1.0 / 3.0) < 1e-12)
        #expect(abs(out["SOL"]! - 1.0 / 6.0) < 1e-12)
    }

    @Test func weightsUnderTheCapAreOnlyNormalised() throws {
        let out = try Capping.apply([2, 3, 5], cap: 0.6)
        for (a, b) in zip(out, [0.2, 0.3, 0.5]) { #expect(abs(a - b) < 1e-12) }
    }

    @Test func aCapOfExactlyOneOverNGivesEqualWeights() throws {
        let out = try Capping.apply([10, 1, 1, 1], cap: 0.25)
        for a in out { #expect(abs(a - 0.25) < 1e-12) }
    }

    @Test(arguments: [(3, 0.3), (4, 0.2), (10, 0.05), (1, 0.5)])
    func anInfeasibleCapThrows(count: Int, cap: Double) {
        let error = #expect(throws: Capping.InfeasibleCap.self) {
            _ = try Capping.apply([Double](repeating: 1, count: count), cap: cap)
        }
        #expect(error?.count == count)
        #expect(error?.cap == cap)
        #expect(error?.description.contains("infeasible") == true)
    }

    @Test func matchesAnIndependentImplementationOnRandomInputs() throws {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        for _ in 0..<200 {
            let n = Int.random(in: 1...30, using: &rng)
            // Cubing spreads the weights so that several rounds of capping are needed.
            let weights = (0..<n).map { _ in pow(Double.random(in: 0.01...1, using: &rng), 3) }
            let minCap = 1 / Double(n)
            let cap = Double.random(in: minCap...1, using: &rng)
            let out = try Capping.apply(weights, cap: cap)
            let expected = referenceCap(weights, cap: cap)
            #expect(out.count == n)
            #expect(abs(out.reduce(0, +) - 1) < 1e-9)
            for (a, b) in zip(out, expected) {
                #expect(abs(a - b) < 1e-9, "n \(n) cap \(cap) weights \(weights)")
                #expect(a <= cap + 1e-9)
                #expect(a >= 0)
            }
        }
    }
}
