import Foundation
import IndexCore
import PortfolioStore
import Testing

/// The backtest engine (pure, in memory) against the live path (`runDue` day by day through SQLite) on
/// the demo market: every index, passive and signal-driven, gives the same NAVs and rebalances.
@Suite struct BacktestEngineParityTests {
    @Test func theEngineAndTheLiveReplayAgreeOnTheDemo() throws {
        let engineSide = try StoreFixture()
        let liveSide = try StoreFixture()
        for f in [engineSide, liveSide] { f.store.enableSignals() }
        let now: Int64 = 1_795_910_400  // 2026-11-29
        let period = try DemoSeeder.seedMarket(engineSide.store, now: now)
        try DemoSeeder.seedMarket(liveSide.store, now: now)
        let specs = try DemoSeeder.demoSpecs(signals: true)
        let market = try engineSide.store.marketMatrix(from: period.start, to: period.end)
        for spec in specs {
            try engineSide.store.createAndReplay(spec, from: period.start, to: period.end, market: market)
            try liveSide.store.createIndex(spec, at: period.start)
        }
        try liveSide.store.replay(from: period.start + day, to: period.end, step: day)
        for spec in specs {
            let a = try engineSide.store.navSeries(spec.slug)
            let b = try liveSide.store.navSeries(spec.slug)
            #expect(a.count == b.count && a.count > 500, "\(spec.slug)")
            var worst = 0.0
            for (x, y) in zip(a, b) {
                #expect(x.time == y.time)
                worst = max(worst, abs(x.value - y.value) / y.value)
            }
            #expect(worst <= 1e-12, "\(spec.slug): NAV per unit differs by \(worst)")
            let ta = try engineSide.store.totalNavSeries(spec.slug).map(\.value)
            let tb = try liveSide.store.totalNavSeries(spec.slug).map(\.value)
            #expect(zip(ta, tb).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }, "\(spec.slug) total NAV")
            let ha = try engineSide.store.history(spec.slug, withTrades: false)
            let hb = try liveSide.store.history(spec.slug, withTrades: false)
            #expect(ha.map(\.time) == hb.map(\.time), "\(spec.slug) rebalance times")
            #expect(ha.map(\.trigger) == hb.map(\.trigger), "\(spec.slug) triggers")
            #expect(ha.map(\.reason) == hb.map(\.reason), "\(spec.slug) reasons")
        }
    }

    @Test func theInMemoryBacktestEqualsTheRecordedReplay() throws {
        let f = try StoreFixture()
        let period = try DemoSeeder.seedMarket(f.store, now: 1_795_910_400)
        let spec = try DemoSeeder.demoSpecs(signals: false)[3]  // memes-ew: weekly, with a monthly DCA
        try f.store.createAndReplay(spec, from: period.start, to: period.end)
        var other = spec
        other.slug = "other"
        let result = try f.store.backtest(other, from: period.start, to: period.end)
        #expect(result.navs.map(\.navPerUnit) == (try f.store.navSeries(spec.slug).map(\.value)))
        #expect(result.rebalanceCount == (try f.store.history(spec.slug, withTrades: false).count))
        #expect(result.events.contains { $0.flowKind == "dca" })
    }
}
