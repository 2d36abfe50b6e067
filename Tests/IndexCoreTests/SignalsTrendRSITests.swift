import Foundation
import IndexCore
import Testing

/// The `trend` and `rsi` methodologies on constructed series.
@Suite struct SignalsTrendRSITests {
    let rising = (0..<60).map { 100.0 + Double($0) }
    let falling = (0..<60).map { 200.0 - Double($0) }
    let young = (0..<30).map { 100.0 + Double($0) }

    @Test func trendHoldsAssetsAboveTheirSMA() throws {
        #expect(TrendStrategy.isAboveTrend(rising, sma: 50) == true)
        #expect(TrendStrategy.isAboveTrend(falling, sma: 50) == false)
        #expect(TrendStrategy.isAboveTrend(young, sma: 50) == nil)
        #expect(TrendStrategy.isAboveTrend([Double](repeating: 5, count: 60), sma: 50) == false)  // equal: not above
        let assets = [
            TrendStrategy.Asset(symbol: "UP", closes: rising),
            TrendStrategy.Asset(symbol: "DOWN", closes: falling),
            TrendStrategy.Asset(symbol: "NEW", closes: young),
        ]
        let w = try TrendStrategy.targetWeights(assets, parameters: .init(sma: 50, stablecoin: "USDC"))
        #expect(Set(w.keys) == ["UP", "USDC"])
        expectNear(w["UP"], 1.0 / 3)
        expectNear(w["USDC"], 2.0 / 3)
        // With a 20-day SMA the young asset has a trend too.
        let short = try TrendStrategy.targetWeights(assets, parameters: .init(sma: 20, stablecoin: "USDC"))
        expectNear(short["NEW"], 1.0 / 3)
    }

    @Test func trendUsesGivenBaseWeights() throws {
        let assets = [
            TrendStrategy.Asset(symbol: "UP", closes: rising, baseWeight: 2),
            TrendStrategy.Asset(symbol: "DOWN", closes: falling, baseWeight: 1),
            TrendStrategy.Asset(symbol: "UP2", closes: rising, baseWeight: 1),
        ]
        let w = try TrendStrategy.targetWeights(assets, parameters: .init(sma: 50, stablecoin: "USDC"))
        #expect(w == ["UP": 0.5, "UP2": 0.25, "USDC": 0.25])
        var partial = assets
        partial[1].baseWeight = nil
        #expect(throws: StrategyError.self) {
            try TrendStrategy.targetWeights(partial, parameters: .init(sma: 50, stablecoin: "USDC"))
        }
        #expect(throws: StrategyError.self) {
            try TrendStrategy.targetWeights(assets, parameters: .init(sma: 0, stablecoin: "USDC"))
        }
        #expect(try TrendStrategy.targetWeights([], parameters: .init(stablecoin: "USDC")) == ["USDC": 1])
    }

    /// 15 alternating closes (RSI 50 at bar 14), then +2 ×5, −1 ×3, −3 ×6, +1 ×2. TA-Lib's RSI14:
    /// 50.0, 56.67, 62.11, 66.62, 70.42, 73.64, 69.56, 65.64, 61.88, 52.22, 44.71, 38.71, 33.82, 29.77,
    /// 26.38, 29.27, 32.15 for bars 14–30.
    static let swing: [Double] = {
        var c = (0..<15).map { 100.0 + Double($0 % 2) }
        var p = c[14]
        for d in [2.0, 2, 2, 2, 2, -1, -1, -1, -3, -3, -3, -3, -3, -3, 1, 1] {
            p += d
            c.append(p)
        }
        return c
    }()

    @Test func rsiStateMachineEntersOnCrossAndPersists() {
        let states = RSIStrategy.holdingStates(Self.swing, enter: 60, exit: 40)
        #expect(states.count == 31)
        // Enter at bar 16 (56.67 → 62.11 crosses 60), hold through 44.71 at bar 24, leave at bar 25 (38.71).
        let expected = (0..<31).map { $0 >= 16 && $0 <= 24 }
        #expect(states == expected)
        // Tighter exit: leaves at bar 23 (52.22 < 55).
        #expect(RSIStrategy.holdingStates(Self.swing, enter: 60, exit: 55).lastIndex(of: true) == 22)
    }

    @Test func rsiNeedsACrossNotJustALevel() {
        // RSI is 100 from its first bar: never crosses above 60, so never enters.
        let up = (0..<40).map { 100.0 + Double($0) }
        #expect(!RSIStrategy.holdingStates(up, enter: 60, exit: 40).contains(true))
    }

    @Test func rsiTargetWeights() throws {
        let assets = [
            RSIStrategy.Asset(symbol: "IN", closes: Array(Self.swing.prefix(20))),
            RSIStrategy.Asset(symbol: "OUT", closes: Self.swing),
        ]
        let w = try RSIStrategy.targetWeights(assets, parameters: .init(stablecoin: "USDC"))
        #expect(w == ["IN": 0.5, "USDC": 0.5])
        #expect(throws: StrategyError.self) {
            try RSIStrategy.targetWeights(assets, parameters: .init(enter: 40, exit: 60, stablecoin: "USDC"))
        }
    }
}
