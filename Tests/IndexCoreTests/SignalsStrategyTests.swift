import Foundation
import IndexCore
import Testing

/// The `signal` methodology's target weights.
@Suite struct SignalsStrategyTests {
    typealias C = SignalStrategy.Candidate

    /// conviction × √market cap: A 0.5·√400 = 10, B 0.2·√900 = 6, C 0.4·√100 = 4 (total 20).
    let candidates = [
        C(symbol: "A", label: .bullish, conviction: 0.5, marketCap: 400),
        C(symbol: "B", label: .bullish, conviction: 0.2, marketCap: 900),
        C(symbol: "C", label: .bullish, conviction: 0.4, marketCap: 100),
        C(symbol: "D", label: .bearish, conviction: 0.9, marketCap: 10_000),
        C(symbol: "E", label: .neutral, conviction: 0.05, marketCap: 10_000),
    ]

    func weights(
        _ candidates: [C], cap: Double = 1, risk: RiskLevel = .low, includeNeutral: Bool = false
    ) throws -> [String: Double] {
        try SignalStrategy.targetWeights(
            candidates, regime: risk,
            parameters: .init(cap: cap, includeNeutral: includeNeutral, stablecoin: "USDC"))
    }

    func expectWeights(
        _ w: [String: Double], _ expected: [String: Double], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(Set(w.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (k, v) in expected { expectNear(w[k], v, relative: 1e-12, sourceLocation: sourceLocation) }
        expectNear(w.values.reduce(0, +), 1, relative: 1e-12, sourceLocation: sourceLocation)
    }

    @Test func weightsAreConvictionTimesSqrtMarketCap() throws {
        expectWeights(try weights(candidates), ["A": 0.5, "B": 0.3, "C": 0.2])
    }

    @Test func noBullishTokenHoldsOnlyTheStablecoin() throws {
        let bearish = candidates.map { C(symbol: $0.symbol, label: .bearish, conviction: 0.7, marketCap: 100) }
        #expect(try weights(bearish) == ["USDC": 1])
        #expect(try weights(bearish, risk: .high) == ["USDC": 1])
        #expect(try weights([]) == ["USDC": 1])
        let neutral = [C(symbol: "E", label: .neutral, conviction: 0.05, marketCap: 100)]
        #expect(try weights(neutral) == ["USDC": 1])
    }

    @Test func neutralTokensOnlyWithIncludeNeutral() throws {
        // E: 0.05·√10000 = 5; total 25.
        expectWeights(try weights(candidates, includeNeutral: true), ["A": 0.4, "B": 0.24, "C": 0.16, "E": 0.2])
        // A neutral token with conviction 0 cannot be weighted and is not held.
        let zero = [C(symbol: "Z", label: .neutral, conviction: 0, marketCap: 100)]
        #expect(try weights(zero, includeNeutral: true) == ["USDC": 1])
    }

    @Test func capRedistributesProportionally() throws {
        // A 0.5 → 0.4; its 0.1 excess goes to B and C in the ratio 0.3 : 0.2.
        expectWeights(try weights(candidates, cap: 0.4), ["A": 0.4, "B": 0.36, "C": 0.24])
    }

    @Test func regimeChangeMovesExactlyTheConfiguredShare() throws {
        let low = try weights(candidates, cap: 0.4)
        let medium = try weights(candidates, cap: 0.4, risk: .medium)
        let high = try weights(candidates, cap: 0.4, risk: .high)
        expectWeights(medium, ["A": 0.28, "B": 0.252, "C": 0.168, "USDC": 0.3])
        expectWeights(high, ["A": 0.16, "B": 0.144, "C": 0.096, "USDC": 0.6])
        for symbol in ["A", "B", "C"] {
            expectNear(medium[symbol]! / low[symbol]!, 0.7, relative: 1e-12)
        }
        let custom = try SignalStrategy.targetWeights(
            candidates, regime: .medium,
            parameters: .init(cap: 0.4, stablecoin: "USDC", riskOff: .init(medium: 0.25, high: 0.5)))
        expectNear(custom["USDC"], 0.25, relative: 1e-12)
    }

    @Test func capsHoldAfterRotation() throws {
        // Rotation: A and B turn bearish, two new bullish tokens arrive; cap 0.25 with 3 tokens (3 × 0.25 < 1).
        let rotated = [
            C(symbol: "A", label: .bearish, conviction: 0.5, marketCap: 400),
            C(symbol: "B", label: .bearish, conviction: 0.2, marketCap: 900),
            C(symbol: "C", label: .bullish, conviction: 0.4, marketCap: 100),
            C(symbol: "F", label: .bullish, conviction: 0.9, marketCap: 1_000_000),
            C(symbol: "G", label: .bullish, conviction: 0.3, marketCap: 40_000),
        ]
        for risk in RiskLevel.allCases {
            let w = try weights(rotated, cap: 0.25, risk: risk)
            for (symbol, weight) in w where symbol != "USDC" { #expect(weight <= 0.25 + 1e-12, "\(symbol)") }
            #expect(w["A"] == nil && w["B"] == nil)
            expectNear(w.values.reduce(0, +), 1, relative: 1e-12)
        }
        // Fewer tokens than the cap allows: each at the cap, the rest parked in the stablecoin.
        expectWeights(try weights(rotated, cap: 0.25), ["C": 0.25, "F": 0.25, "G": 0.25, "USDC": 0.25])
        expectWeights(
            try weights(rotated, cap: 0.25, risk: .medium),
            ["C": 0.175, "F": 0.175, "G": 0.175, "USDC": 0.475])
        // Enough tokens: the capping rule applies and every weight stays at or under the cap.
        let many = (0..<6).map {
            C(symbol: "T\($0)", label: .bullish, conviction: 1, marketCap: pow(10, Double($0 + 2)))
        }
        let w = try weights(many, cap: 0.25)
        #expect(w.values.allSatisfy { $0 <= 0.25 + 1e-12 })
        #expect(w["USDC"] == nil)
        expectNear(w["T5"], 0.25, relative: 1e-12)
    }

    @Test func missingMarketCaps() throws {
        // Tokens without a market cap are left out while others have one...
        var mixed = candidates
        mixed[2].marketCap = nil
        expectWeights(try weights(mixed), ["A": 0.625, "B": 0.375])
        // ...and weights follow conviction alone when none has one.
        let none = candidates.map { C(symbol: $0.symbol, label: $0.label, conviction: $0.conviction, marketCap: nil) }
        expectWeights(try weights(none), ["A": 0.5 / 1.1, "B": 0.2 / 1.1, "C": 0.4 / 1.1])
    }

    @Test func theStablecoinIsNeverACandidate() throws {
        let w = try weights([C(symbol: "USDC", label: .bullish, conviction: 0.5, marketCap: 1e9)] + candidates)
        expectWeights(w, ["A": 0.5, "B": 0.3, "C": 0.2])
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: StrategyError(methodology: "signal", field: "cap", message: "must be in (0, 1], got 0.0")) {
            try weights(candidates, cap: 0)
        }
        do {
            _ = try SignalStrategy.targetWeights(
                candidates, regime: .high,
                parameters: .init(cap: 0.3, stablecoin: "USDC", riskOff: .init(medium: 0.3, high: 1.5)))
            Issue.record("expected an error")
        } catch let error as StrategyError {
            #expect(error.field == "risk_off.high")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: StrategyError.self) {
            try SignalStrategy.targetWeights(candidates, regime: .low, parameters: .init(cap: 0.3, stablecoin: ""))
        }
    }
}
