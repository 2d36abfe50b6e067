import IndexCore
import Testing

private let day: Int64 = 86_400
/// 2025-01-01T00:00:00Z.
private let start: Int64 = 1_735_689_600

/// NAV per unit at 00:00 UTC on 9 consecutive days.
private let values: [Double] = [100, 102, 101, 105, 103, 99, 104, 108, 107]

private func series(_ values: [Double]) -> [ValuePoint] {
    values.enumerated().map { ValuePoint(time: start + Int64($0.offset) * day, value: $0.element) }
}

private func close(_ a: Double?, _ b: Double, rel: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= rel * max(1, abs(b))
}

@Suite struct AnalyticsTests {
    // Worked out with python3 (see the figures below):
    //   r = [.02, −.00980392157, .0396039604, −.0190476190, −.0388349515, .0505050505, .0384615385, −.00925925926]
    //   mean = .00912052893, stdev (n − 1) = .0325359810
    //   volatility = stdev·√365 = 0.621596753035
    //   Sharpe = mean/stdev·√365 = 5.25723693729
    //   Sortino = mean·365 / (√(Σ min(r,0)² / 8)·√365) = 10.6779980306
    //   max drawdown: peak 105 (day 3), trough 99 (day 5): 99/105 − 1 = −0.0571428571429
    //   CAGR over 8 days: (107/100)^(365/8) − 1 = 20.909620588
    //   returns: all 107/100 − 1 = .07; 24h 107/108 − 1 = −0.00925925925926; 7d 107/102 − 1 = 0.0490196078431
    @Test func figuresOfAShortSeriesWorkedOutByHand() {
        let f = Analytics.figures(series(values))
        #expect(f.from == start)
        #expect(f.to == start + 8 * day)
        #expect(close(f.volatility, 0.621596753035))
        #expect(close(f.sharpe, 5.25723693729))
        #expect(close(f.sortino, 10.6779980306))
        #expect(close(f.maxDrawdown, -0.0571428571429))
        #expect(close(f.cagr, 20.909620588))
        #expect(close(f.returnAll, 0.07))
        #expect(close(f.return24h, -0.00925925925926))
        #expect(close(f.return7d, 0.0490196078431))
        #expect(f.return30d == nil)  // 8 days of history
    }

    @Test func intradayPointsAreReducedToTheLastOfEachDay() {
        // The same daily closes at 02:00, each day with an earlier point at 01:00 that must be ignored, given
        // out of order.
        var points: [ValuePoint] = []
        for (i, v) in values.enumerated() {
            points.append(ValuePoint(time: start + Int64(i) * day + 7200, value: v))
            points.append(ValuePoint(time: start + Int64(i) * day + 3600, value: v * 3))
        }
        let closes = Analytics.dailyCloses(points.reversed())
        #expect(closes.count == 9)
        #expect(closes.map(\.value) == values)
        let f = Analytics.figures(points)
        #expect(close(f.volatility, 0.621596753035))
        #expect(close(f.maxDrawdown, -0.0571428571429))
    }

    @Test func dailyReturnsAreSimpleReturns() {
        let r = Analytics.dailyReturns([100, 110, 99])
        #expect(r.count == 2)
        #expect(abs(r[0] - 0.1) < 1e-15)
        #expect(abs(r[1] - (-0.1)) < 1e-15)
        #expect(Analytics.dailyReturns([5]).isEmpty)
    }

    @Test func thirtyDayReturnLooksBackToTheLastPointAtOrBeforeTheMoment() {
        // Day 0 at 100, day 20 at 150, day 40 at 180: 30 days before day 40 is day 10, at or before which the
        // last point is day 0 (100): 180/100 − 1 = .8. 24h: the last point at or before day 39 is day 20.
        let s = [
            ValuePoint(time: start, value: 100), ValuePoint(time: start + 20 * day, value: 150),
            ValuePoint(time: start + 40 * day, value: 180),
        ]
        let f = Analytics.figures(s)
        #expect(close(f.return30d, 0.8))
        #expect(close(f.return24h, 0.2))
        #expect(close(f.return7d, 0.2))
    }

    @Test func maxDrawdownOfARisingSeriesIsZero() {
        #expect(Analytics.maxDrawdown([1, 2, 3]) == 0)
        #expect(Analytics.maxDrawdown([]) == nil)
        // Peak 200, later 50: −75 %, even after recovering.
        #expect(close(Analytics.maxDrawdown([100, 200, 50, 300]), -0.75))
    }

    @Test func aFlatSeriesHasNoSharpeOrSortino() {
        let f = Analytics.figures(series([100, 100, 100, 100]))
        #expect(f.volatility == 0)
        #expect(f.sharpe == nil)
        #expect(f.sortino == nil)
        #expect(f.maxDrawdown == 0)
        #expect(f.cagr == 0)
    }

    @Test func anEmptyOrSinglePointSeriesHasNoRatios() {
        let empty = Analytics.figures([])
        #expect(empty.returnAll == nil)
        #expect(empty.volatility == nil)
        let one = Analytics.figures([ValuePoint(time: start, value: 100)])
        #expect(one.returnAll == 0)
        #expect(one.volatility == nil)
        #expect(one.cagr == nil)
    }
}
