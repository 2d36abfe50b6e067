import Foundation
import IndexCore
import Testing

/// Fixed series for the indicator tests; expected values were computed independently with TA-Lib 0.6
/// (Python `talib`) and numpy from the published definitions, never with the code under test.
enum SignalsTestData {
    /// 45 daily closes.
    static let closes: [Double] = [
        100.0, 101.5, 99.8, 102.3, 104.1, 103.0, 105.6, 107.2, 106.1, 108.9,
        110.4, 109.0, 111.7, 113.2, 112.5, 110.1, 108.6, 109.9, 107.3, 105.8,
        104.2, 106.7, 108.1, 107.0, 109.5, 111.8, 113.4, 112.0, 114.6, 116.3,
        115.1, 113.7, 111.9, 110.2, 112.8, 114.0, 117.5, 119.2, 118.4, 120.9,
        122.6, 121.3, 119.8, 123.4, 125.0,
    ]

    /// 45 daily volumes aligned with ``closes``: 1000 + ((i·37 + 11) mod 23)·50.
    static let volumes: [Double] = (0..<45).map { (i: Int) -> Double in
        let step: Int = (i * 37 + 11) % 23
        return 1000.0 + Double(step) * 50.0
    }

    /// 260 closes from a formula with exact binary arithmetic (a triangle wave plus a saw-tooth).
    static let longCloses: [Double] = (0..<260).map { (t: Int) -> Double in
        let triangle: Int = abs(t % 120 - 60)
        let saw: Int = (t * 37 + 11) % 23 - 11
        return 200.0 + Double(triangle) * 0.75 + Double(saw) * 0.5
    }

    /// 260 volumes aligned with ``longCloses``.
    static let longVolumes: [Double] = (0..<260).map { (t: Int) -> Double in
        let step: Int = (t * 53 + 7) % 31
        return 1000.0 + Double(step) * 40.0
    }
}

/// Expects `actual` to be defined and within `relative` of `expected` (absolute near zero).
func expectNear(
    _ actual: Double?, _ expected: Double, relative: Double = 1e-9, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
        return
    }
    let tolerance = relative * max(1, abs(expected))
    #expect(abs(actual - expected) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
}
