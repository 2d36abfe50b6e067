import Foundation
import IndexCore
import SQLiteKit

/// Seeds a database with the demo: assets, two years of simulated daily prices, and the demo
/// indices replayed through the planner on their schedules.
public enum DemoSeeder {
    /// Seed of the demo market.
    public static let seed: UInt64 = 20_261_129
    /// Days of simulated history.
    public static let historyDays = 730
    /// Days of history before the demo indices start (so 200-day indicators have data).
    public static let warmupDays = 210

    /// The demo index specs (JSON, as a user would write them).
    public static let specs: [String] = [
        #"{"slug":"hodl-top10","name":"HODL Top 10","initial_capital":100000,"universe":{"top":10},"exclude_stablecoins":true,"methodology":{"type":"market-cap","top":10},"rebalance":{"schedule":"monthly"},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#,
        #"{"slug":"defi-pulse","name":"DeFi Pulse-style","initial_capital":50000,"universe":{"sector":"DeFi"},"methodology":{"type":"market-cap","cap":0.25},"rebalance":{"schedule":"monthly"},"fees_bps":10,"slippage_bps":10,"min_trade":10}"#,
        #"{"slug":"top20-sqrt","name":"Top 20 √cap","initial_capital":100000,"universe":{"top":20},"methodology":{"type":"sqrt-market-cap","top":20},"rebalance":{"schedule":"monthly","drift_band":0.05},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#,
        #"{"slug":"memes-ew","name":"Memecoins EW","initial_capital":20000,"universe":{"sector":"Memecoins"},"methodology":{"type":"equal"},"rebalance":{"schedule":"weekly","weekday":1},"fees_bps":20,"slippage_bps":20,"min_trade":5,"dca":{"amount":250,"schedule":"monthly"}}"#,
    ]

    /// Extra demo specs for signal-driven methodologies, seeded only when the store can compute them.
    public static let signalSpecs: [String] = [
        #"{"slug":"defi-ai","name":"DeFi AI","initial_capital":100000,"universe":["AAVE","UNI","LDO","MKR","RUNE","GMX","CRV"],"methodology":{"type":"signal","cap":0.25,"include_neutral":false,"stablecoin":"USDC","risk_off":{"medium":0.3,"high":0.6}},"rebalance":{"schedule":"weekly","weekday":1},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#,
        #"{"slug":"ai-tokens-ai","name":"AI Tokens AI","initial_capital":50000,"universe":{"sector":"AI"},"methodology":{"type":"signal","cap":0.25,"include_neutral":true,"stablecoin":"USDC","risk_off":{"medium":0.3,"high":0.6}},"rebalance":{"schedule":"weekly","weekday":1},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#,
        #"{"slug":"eth-trend","name":"ETH 50-day trend","initial_capital":25000,"universe":["ETH"],"methodology":{"type":"trend","sma":50,"stablecoin":"USDC"},"rebalance":{"schedule":"daily"},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#,
        #"{"slug":"btc-rsi","name":"BTC RSI 60/40","initial_capital":25000,"universe":["BTC"],"methodology":{"type":"rsi","enter":60,"exit":40,"stablecoin":"USDC"},"rebalance":{"schedule":"daily"},"fees_bps":10,"slippage_bps":5,"min_trade":10}"#,
    ]

    /// Seeds `store` (expected empty) with the demo, ending at the UTC day of `now`.
    /// Everything is one transaction.
    public static func seed(_ store: PortfolioStore, now: Int64) throws {
        let today = UTCCalendar.dayNumber(now)
        try store.db.transaction {
            try store.upsertAssets(DemoUniverse.assets)
            let history = MarketSimulator.dailyHistory(
                seed: seed, assets: DemoUniverse.simAssets, days: historyDays, endingAt: today)
            try store.insertPrices(history.sorted { ($0.symbol, $0.time) < ($1.symbol, $1.time) }, source: "sim")
            let start = (today - Int64(historyDays) + 1 + Int64(warmupDays)) * UTCCalendar.day
            var specs = try specs.map { try IndexSpec.parse(Data($0.utf8), file: "demo") }
            if store.signalTargets != nil {
                specs += try signalSpecs.map { try IndexSpec.parse(Data($0.utf8), file: "demo") }
            }
            for spec in specs { try store.createIndex(spec, at: start) }
            try store.replay(from: start + UTCCalendar.day, to: today * UTCCalendar.day, step: UTCCalendar.day)
            if store.signalTargets != nil { try store.refreshSignals() }
            try store.setSetting("demo", "true")
            try store.setSetting("demo_seed", String(seed))
        }
    }
}

extension PortfolioStore {
    /// Walks time from `from` to `to` in `step`s, applying every due rebalance and DCA deposit on each
    /// step through the same planner as the live path, and recording a NAV point per index per step.
    public func replay(from: Int64, to: Int64, step: Int64, slugs: [String]? = nil) throws {
        var t = from
        while t <= to {
            for idx in try indices() where slugs?.contains(idx.slug) ?? true {
                try runDue(idx.slug, at: t, checkStale: false)
                try recordNAV(index(idx.slug), at: t)
            }
            t += step
        }
    }

    /// Applies what is due for `slug` at `time`: a DCA deposit, then a scheduled or drift rebalance.
    /// Returns what was applied; `applied` also sees each plan with its record (the plan alone knows the
    /// trades skipped under the minimum trade).
    @discardableResult
    public func runDue(
        _ slug: String, at time: Int64, checkStale: Bool = true,
        applied: (StoredPlan, RebalanceRecord) -> Void = { _, _ in }
    ) throws -> [RebalanceRecord] {
        var done: [RebalanceRecord] = []
        var idx = try index(slug)
        if let next = try nextDCA(idx), next <= time, let dca = idx.spec.dca {
            var plan = try planDeposit(slug, amount: dca.amount, at: time)
            plan.flowKind = "dca"
            done.append(
                try apply(plan, reason: "DCA \(dca.schedule.rawValue) deposit of \(dca.amount)", checkStale: checkStale)
            )
            applied(plan, done[done.count - 1])
            idx = try index(slug)
        }
        if let trigger = try dueTrigger(idx, at: time) {
            let plan = try planRebalance(slug, trigger: trigger, at: time)
            if plan.plan.trades.isEmpty && trigger == .scheduled {
                // Nothing to trade: remember the check so the schedule moves on, without a history row.
                try setSetting("checked:\(slug)", String(time))
                return done
            }
            let reason: String
            switch trigger {
            case .scheduled: reason = "\(idx.spec.rebalance.schedule.rawValue) rebalance"
            case .riskOff: reason = "regime changed to \(try regime(at: time).risk.rawValue) risk"
            default: reason = "drift beyond band"
            }
            done.append(try apply(plan, reason: reason, checkStale: checkStale))
            applied(plan, done[done.count - 1])
        }
        return done
    }
}
