import Dashboard
import IndexCore
import MarketData

/// A hand-built snapshot with known numbers: two indices, totals 1 000 and 3 000.
enum Fixtures {
    static let now: Int64 = 1_715_500_800  // 2024-05-12 08:00:00 UTC

    static func snapshot(signals: Bool = true, keys: Bool = false) -> DashboardSnapshot {
        let a = IndexSnapshot(
            slug: "alpha", name: "Alpha Top",
            methodology: MethodologySummary(
                type: "market-cap", cap: 0.25, universe: "top 2", schedule: "weekly Mon 00:00", feesBps: 10,
                slippageBps: 5),
            nav: 1_000, navPerUnit: 1_100, change24h: 0.02, maxDrift: 0.06, driftBand: 0.05, rebalanceDue: true,
            nextRebalance: now + 86_400, cash: 100,
            holdings: [
                HoldingRow(
                    symbol: "BTC", name: "Bitcoin", sector: "Layer-1", quantity: 0.01, price: 60_000, value: 600,
                    weight: 0.6, target: 0.54, change24h: 0.03,
                    signal: SignalBadge(label: .bullish, score: 0.5, conviction: 0.5), pnl: 50),
                HoldingRow(
                    symbol: "ETH", name: "Ethereum", sector: "Layer-1", quantity: 0.1, price: 3_000, value: 300,
                    weight: 0.3, target: 0.36, change24h: -0.01,
                    signal: SignalBadge(label: .bearish, score: -0.4, conviction: 0.4), pnl: -20),
            ],
            navSeries: (0..<30).map { SeriesPoint(time: now - Int64(29 - $0) * 86_400, value: 1_000 + Double($0) * 5) },
            metrics: Metrics(
                return24h: 0.02, return7d: 0.05, return30d: 0.1, returnAll: 0.1, volatility: 0.5,
                maxDrawdown: -0.2, sharpe: 1.5, sortino: 2),
            btcMetrics: Metrics(returnAll: 0.08), buyHoldMetrics: Metrics(returnAll: 0.07),
            rebalances: [
                RebalanceRow(
                    id: 7, time: now - 3_600, trigger: "scheduled", status: "applied", navBefore: 990,
                    navAfter: 989, turnover: 0.1, fees: 0.6, slippage: 0.4, reason: "weekly",
                    trades: [
                        TradeRow(symbol: "ETH", side: .sell, quantity: 0.01, price: 3_000, notional: 30, fee: 0.03),
                        TradeRow(symbol: "BTC", side: .buy, quantity: 0.0005, price: 60_000, notional: 30, fee: 0.03),
                    ]),
                RebalanceRow(
                    id: 3, time: now - 86_400 * 20, trigger: "initial", status: "applied", navBefore: 1_000,
                    navAfter: 999, turnover: 1, fees: 1, reason: "created"),
            ])
        let b = IndexSnapshot(
            slug: "beta", name: "Beta DeFi",
            methodology: MethodologySummary(
                type: "equal", universe: "sector DeFi", schedule: "monthly"),
            nav: 3_000, navPerUnit: 950, change24h: -0.01, maxDrift: 0.01, driftBand: 0.05,
            holdings: [
                HoldingRow(
                    symbol: "BTC", sector: "Layer-1", quantity: 0.025, price: 60_000, value: 1_500, weight: 0.5,
                    target: 0.5),
                HoldingRow(
                    symbol: "AAVE", sector: "DeFi", quantity: 15, price: 100, value: 1_500, weight: 0.5, target: 0.5),
            ])
        return DashboardSnapshot(
            time: now, totalValue: 4_000, totalChange24h: 0.005,
            feed: FeedStatus(name: "sim", state: .live, lastPriceTime: now - 2, interval: 5),
            regime: Regime(risk: .medium, breadth: 0.4, btcTrend: "above SMA200"), indices: [a, b],
            signals: signals
                ? [
                    SignalRow(
                        symbol: "BTC", label: .bullish, score: 0.5, conviction: 0.5, rsi: 61.2, macdHist: 12.5,
                        roc7: 3.1,
                        roc30: 8.4,
                        votes: [Vote(rule: "close > SMA20", vote: 1), Vote(rule: "RSI < 30 rising", vote: 0)]),
                    SignalRow(symbol: "ETH", label: .bearish, score: -0.4, conviction: 0.4),
                ]
                : [],
            keys: keys
                ? [
                    KeyRow(
                        id: "k1", provider: "coingecko", env: "dev", scope: "read", state: "active", masked: "••••abcd")
                ] : nil,
            audit: keys ? [AuditRow(time: now - 60, actor: "cli", action: "keys add", keyId: "k1", result: "ok")] : [],
            chainStatus: keys ? "ok" : nil)
    }

    static func state(width: Int = 120, height: Int = 40) -> UIState {
        var s = UIState()
        s.now = now
        s.width = width
        s.height = height
        return s
    }

    static let preview = RebalancePreview(
        slug: "alpha", name: "Alpha Top", navBefore: 1_000, navAfter: 999.5, turnover: 0.12, fees: 0.3, slippage: 0.2,
        trades: [
            TradeRow(
                symbol: "BTC", side: .sell, quantity: 0.001, price: 60_000, notional: 60, fee: 0.06, slippage: 0.03)
        ],
        weights: [
            WeightRow(symbol: "BTC", before: 0.6, target: 0.54, after: 0.54),
            WeightRow(symbol: "ETH", before: 0.3, target: 0.36, after: 0.3),
        ],
        skipped: [SkippedRow(symbol: "ETH", notional: 6, reason: "below the minimum trade (10)")], pricesTime: now - 2)
}

/// A backend over the fixture, recording calls.
final class FixtureBackend: DashboardBackend {
    var snapshot = Fixtures.snapshot()
    var applied: [RebalancePreview] = []
    func loadSnapshot() throws -> DashboardSnapshot { snapshot }
    func planRebalance(slug: String) throws -> RebalancePreview { Fixtures.preview }
    func applyRebalance(_ preview: RebalancePreview) throws -> ApplyOutcome {
        applied.append(preview)
        return .applied(id: 8)
    }
}
