import Foundation
import IndexCore
import SQLiteKit

/// Seeds a database with the demo: assets, two years of simulated daily prices, and the demo
/// indices replayed on their schedules by the backtest engine.
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
        try store.db.transaction {
            let period = try seedMarket(store, now: now)
            // Each index's history comes from the backtest engine (the same decisions as the live path),
            // recorded through the store's one write path.
            let market = try store.marketMatrix(from: period.start, to: period.end)
            for spec in try demoSpecs(signals: store.signalTargets != nil) {
                try store.createAndReplay(spec, from: period.start, to: period.end, market: market)
            }
            if store.signalTargets != nil { try store.refreshSignals() }
            try store.setSetting("demo", "true")
            try store.setSetting("demo_seed", String(seed))
        }
    }

    /// Stores the demo's assets and simulated prices ending at the UTC day of `now`; returns when the
    /// demo indices start and the last replayed moment (the start of today).
    @discardableResult
    public static func seedMarket(_ store: PortfolioStore, now: Int64) throws -> (start: Int64, end: Int64) {
        let today = UTCCalendar.dayNumber(now)
        try store.db.transaction {
            try store.upsertAssets(DemoUniverse.assets)
            let history = MarketSimulator.dailyHistory(
                seed: seed, assets: DemoUniverse.simAssets, days: historyDays, endingAt: today)
            try store.insertPrices(history.sorted { ($0.symbol, $0.time) < ($1.symbol, $1.time) }, source: "sim")
        }
        return ((today - Int64(historyDays) + 1 + Int64(warmupDays)) * UTCCalendar.day, today * UTCCalendar.day)
    }

    /// The demo specs, with the signal-driven ones when `signals`.
    public static func demoSpecs(signals: Bool) throws -> [IndexSpec] {
        try (specs + (signals ? signalSpecs : [])).map { try IndexSpec.parse(Data($0.utf8), file: "demo") }
    }
}
