import IndexCore
import MarketData

/// Deterministic sample snapshots (no random source): the demo, benchmarks and tests.
public enum SampleData {
    static let tokens: [(String, String, String, Double)] = [
        ("BTC", "Bitcoin", "Layer-1", 61_250), ("ETH", "Ethereum", "Layer-1", 2_950),
        ("SOL", "Solana", "Layer-1", 145.2),
        ("AAVE", "Aave", "DeFi", 88.4), ("UNI", "Uniswap", "DeFi", 7.35), ("LDO", "Lido DAO", "DeFi", 1.92),
        ("FET", "Fetch.ai", "AI", 2.21), ("RNDR", "Render", "AI", 10.4), ("DOGE", "Dogecoin", "Memecoins", 0.1523),
        ("PEPE", "Pepe", "Memecoins", 0.0000085), ("ONDO", "Ondo", "RWA", 0.98), ("LINK", "Chainlink", "Oracle", 14.1),
    ]
    static let names = [
        "Top 10 HODL", "DeFi Blue Chips", "AI Narrative", "Memecoin Momentum", "RWA Basket",
        "Signal Rotator", "Layer-1 Equal", "Trend Follower", "RSI Swing", "Sqrt Cap 20",
    ]

    /// A snapshot of `indices` indices with `holdings` holdings each, at `time`.
    public static func snapshot(indices: Int, holdings: Int, time: Int64) -> DashboardSnapshot {
        var list: [IndexSnapshot] = []
        for i in 0..<indices {
            let name = i < names.count ? names[i] : "Index \(i + 1)"
            let slug = name.lowercased().split(separator: " ").joined(separator: "-")
            var rows: [HoldingRow] = []
            let nav = 100_000 * Double(i + 1)
            let weightSum = Double(holdings * (holdings + 1) / 2)
            for j in 0..<holdings {
                let t = tokens[(i + j) % tokens.count]
                let symbol = j < tokens.count ? t.0 : "\(t.0)\(j / tokens.count)"
                let target = Double(holdings - j) / weightSum
                let skew = 1 + (Double((i * 7 + j * 3) % 9) - 4) * 0.02
                let value = nav * 0.98 * target * skew
                let score = (Double((i + j * 5) % 11) - 5) / 5
                let label: SignalLabel = score > 0.1 ? .bullish : score < -0.1 ? .bearish : .neutral
                rows.append(
                    HoldingRow(
                        symbol: symbol, name: t.1, sector: t.2, quantity: value / t.3, price: t.3, value: value,
                        weight: 0, target: target, change24h: (Double((i + j) % 7) - 3) / 100,
                        signal: SignalBadge(label: label, score: score, conviction: abs(score)),
                        pnl: value * (Double((i * 3 + j) % 5) - 2) / 20))
            }
            let navSeries = (0..<120).map { d in
                SeriesPoint(
                    time: time - Int64(119 - d) * 86_400, value: 1_000 * (1 + Double(d) * 0.002 + Double(d % 9) * 0.004)
                )
            }
            var index = IndexSnapshot(
                slug: slug, name: name,
                methodology: MethodologySummary(
                    type: i % 3 == 0 ? "market-cap" : i % 3 == 1 ? "signal" : "equal", cap: i % 3 == 2 ? nil : 0.25,
                    universe: "top \(holdings)", schedule: "weekly Mon 00:00", feesBps: 10, slippageBps: 5),
                nav: 0, navPerUnit: navSeries.last!.value, change24h: Double(i % 5 - 2) / 100, driftBand: 0.05,
                rebalanceDue: i == 1, nextRebalance: time + 3 * 86_400, cash: nav * 0.02, holdings: rows,
                navSeries: navSeries,
                metrics: Metrics(
                    return24h: 0.012, return7d: -0.034, return30d: 0.081, returnAll: 0.274, volatility: 0.62,
                    maxDrawdown: -0.31, sharpe: 1.42, sortino: 2.05),
                btcMetrics: Metrics(
                    return24h: 0.008, return7d: -0.02, return30d: 0.05, returnAll: 0.21, volatility: 0.55,
                    maxDrawdown: -0.27, sharpe: 1.2, sortino: 1.7),
                buyHoldMetrics: Metrics(
                    return24h: 0.01, return7d: -0.03, return30d: 0.07, returnAll: 0.231, volatility: 0.6,
                    maxDrawdown: -0.33, sharpe: 1.25, sortino: 1.8),
                rebalances: [
                    RebalanceRow(
                        id: Int64(i * 10 + 2), time: time - 7 * 86_400, trigger: "scheduled", status: "applied",
                        navBefore: nav * 0.97, navAfter: nav * 0.969, turnover: 0.12, fees: nav * 0.00012,
                        reason: "weekly schedule",
                        trades: [
                            TradeRow(
                                symbol: rows.first?.symbol ?? "BTC", side: .sell, quantity: 0.1, price: 60_000,
                                notional: 6_000, fee: 6, slippage: 3)
                        ]),
                    RebalanceRow(
                        id: Int64(i * 10 + 1), time: time - 119 * 86_400, trigger: "initial", status: "applied",
                        navBefore: nav, navAfter: nav * 0.999, turnover: 1, fees: nav * 0.001, reason: "index created"),
                ])
            recompute(&index)
            list.append(index)
        }
        let signals = tokens.enumerated().map { (k, t) in
            let score = (Double(k % 7) - 3) / 3
            return SignalRow(
                symbol: t.0, label: score > 0.1 ? .bullish : score < -0.1 ? .bearish : .neutral, score: score,
                conviction: abs(score), rsi: 30 + Double(k * 4), macdHist: (Double(k) - 5) / 10,
                roc7: Double(k) - 4, roc30: Double(k * 2) - 9,
                votes: [
                    Vote(rule: "close > SMA20", vote: score > 0 ? 1 : -1), Vote(rule: "SMA50 > SMA200", vote: 1),
                    Vote(rule: "RSI < 30 rising", vote: 0), Vote(rule: "ROC7 > 0", vote: k > 4 ? 1 : -1),
                ])
        }
        return DashboardSnapshot(
            time: time, totalValue: list.reduce(0) { $0 + $1.nav }, totalChange24h: 0.0123,
            feed: FeedStatus(name: "sim", state: .live, lastPriceTime: time, interval: 5),
            regime: Regime(risk: .low, breadth: 0.12, btcTrend: "above SMA200"), indices: list, signals: signals,
            keys: nil, audit: [], chainStatus: nil)
    }

    /// Recomputes NAV, weights, drifts and the largest drift from holding values and cash.
    public static func recompute(_ index: inout IndexSnapshot) {
        let nav = index.holdings.reduce(index.cash) { $0 + $1.value }
        index.nav = nav
        var maxDrift = 0.0
        for j in index.holdings.indices {
            index.holdings[j].weight = nav > 0 ? index.holdings[j].value / nav : 0
            index.holdings[j].drift = index.holdings[j].weight - index.holdings[j].target
            maxDrift = max(maxDrift, abs(index.holdings[j].drift))
        }
        index.maxDrift = maxDrift
    }

    /// A simple plan toward target weights (fees 10 bp, slippage 5 bp of notional); cash stays.
    public static func plan(_ index: IndexSnapshot, time: Int64) -> RebalancePreview {
        let investable = index.nav - index.cash
        var trades: [TradeRow] = []
        var fees = 0.0
        var slippage = 0.0
        var weights: [WeightRow] = []
        for h in index.holdings {
            weights.append(WeightRow(symbol: h.symbol, before: h.weight, target: h.target, after: h.target))
            let diff = h.target * investable - h.value
            guard abs(diff) >= 10, h.price > 0 else { continue }
            let notional = abs(diff)
            let fee = notional * 0.001
            fees += fee
            slippage += notional * 0.0005
            trades.append(
                TradeRow(
                    symbol: h.symbol, side: diff > 0 ? .buy : .sell, quantity: notional / h.price, price: h.price,
                    notional: notional, fee: fee, slippage: notional * 0.0005))
        }
        trades.sort { ($0.side == .sell ? 0 : 1, $0.symbol) < ($1.side == .sell ? 0 : 1, $1.symbol) }
        let turnover = index.nav > 0 ? trades.reduce(0) { $0 + $1.notional } / index.nav : 0
        return RebalancePreview(
            slug: index.slug, name: index.name, navBefore: index.nav, navAfter: index.nav - fees - slippage,
            turnover: turnover, fees: fees, slippage: slippage, cashAfter: index.cash, trades: trades,
            weights: weights, pricesTime: time)
    }
}
