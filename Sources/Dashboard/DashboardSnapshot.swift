/// Everything the dashboard draws, read from the store in one go: pure `Sendable` data, no I/O.
///
/// Units: money in the index's base currency (USD); times in Unix seconds UTC; weights, drifts,
/// returns and changes as fractions (0.021 = 2.1 %); intervals in seconds.
public struct DashboardSnapshot: Sendable, Equatable {
    /// When the snapshot was read (Unix seconds).
    public var time: Int64
    /// Total value of all indices and its 24h change (fraction; nil when unknown).
    public var totalValue: Double
    public var totalChange24h: Double?
    public var feed: FeedStatus
    public var regime: Regime?
    public var indices: [IndexSnapshot]
    /// Latest signal per token (empty until signals exist: the view says "no signals yet").
    public var signals: [SignalRow]
    /// The vault's keys; nil when there is no vault (the view says "no vault").
    public var keys: [KeyRow]?
    /// The newest audit entries, newest first.
    public var audit: [AuditRow]
    /// Audit chain status (`ok`, or the first broken link); nil when unknown.
    public var chainStatus: String?
    /// Open alerts (new or acknowledged), newest first.
    public var alerts: [AlertRow] = []

    public init(
        time: Int64, totalValue: Double = 0, totalChange24h: Double? = nil, feed: FeedStatus = FeedStatus(),
        regime: Regime? = nil, indices: [IndexSnapshot] = [], signals: [SignalRow] = [], keys: [KeyRow]? = nil,
        audit: [AuditRow] = [], chainStatus: String? = nil
    ) {
        self.time = time
        self.totalValue = totalValue
        self.totalChange24h = totalChange24h
        self.feed = feed
        self.regime = regime
        self.indices = indices
        self.signals = signals
        self.keys = keys
        self.audit = audit
        self.chainStatus = chainStatus
    }

    /// An empty snapshot (no indices), shown before the first load.
    public static let empty = DashboardSnapshot(time: 0)
}

/// The price feed: its name (`sim`, `coingecko`, `file`, `none`), state (`live`, `error`, `off`...),
/// time of the newest price and its polling interval (seconds; 0 when unknown).
public struct FeedStatus: Sendable, Equatable {
    public var name: String
    public var state: String
    public var lastPriceTime: Int64?
    public var interval: Double

    public init(name: String = "none", state: String = "off", lastPriceTime: Int64? = nil, interval: Double = 0) {
        self.name = name
        self.state = state
        self.lastPriceTime = lastPriceTime
        self.interval = interval
    }
}

/// The market regime of DESIGN §5: risk `low|medium|high`, breadth (fraction of the universe bearish), BTC trend.
public struct Regime: Sendable, Equatable {
    public var risk: String
    public var breadth: Double
    public var btcTrend: String

    public init(risk: String, breadth: Double, btcTrend: String) {
        self.risk = risk
        self.breadth = breadth
        self.btcTrend = btcTrend
    }
}

/// The fields of the one-line methodology summary above the holdings (DESIGN §10).
public struct MethodologySummary: Sendable, Equatable {
    /// Methodology type (`market-cap`, `signal`...), cap as a fraction (nil = none), universe text
    /// (`top 10`, `sector DeFi`, `7 tokens`), schedule text (`weekly Mon 00:00`), fees and slippage in bps.
    public var type: String
    public var cap: Double?
    public var universe: String
    public var schedule: String
    public var feesBps: Double
    public var slippageBps: Double

    public init(
        type: String, cap: Double? = nil, universe: String, schedule: String, feesBps: Double = 0,
        slippageBps: Double = 0
    ) {
        self.type = type
        self.cap = cap
        self.universe = universe
        self.schedule = schedule
        self.feesBps = feesBps
        self.slippageBps = slippageBps
    }
}

/// One index as the dashboard shows it.
public struct IndexSnapshot: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var methodology: MethodologySummary
    /// Total value and value per unit.
    public var nav: Double
    public var navPerUnit: Double
    /// 24h change of the value per unit (fraction), nil without a price 24h ago.
    public var change24h: Double?
    /// Largest |weight − target| (fraction) and the drift band (fraction, 0 = none).
    public var maxDrift: Double
    public var driftBand: Double
    public var rebalanceDue: Bool
    /// Next scheduled rebalance (Unix seconds), nil for none.
    public var nextRebalance: Int64?
    public var cash: Double
    public var holdings: [HoldingRow]
    /// Value per unit over time, and BTC and the buy-and-hold twin on the same scale (start = index start).
    public var navSeries: [SeriesPoint]
    public var btcSeries: [SeriesPoint]
    public var buyHoldSeries: [SeriesPoint]
    public var metrics: Metrics
    public var btcMetrics: Metrics?
    public var buyHoldMetrics: Metrics?
    /// Rebalance history, newest first.
    public var rebalances: [RebalanceRow]

    public init(
        slug: String, name: String, methodology: MethodologySummary, nav: Double, navPerUnit: Double,
        change24h: Double? = nil, maxDrift: Double = 0, driftBand: Double = 0, rebalanceDue: Bool = false,
        nextRebalance: Int64? = nil, cash: Double = 0, holdings: [HoldingRow] = [], navSeries: [SeriesPoint] = [],
        btcSeries: [SeriesPoint] = [], buyHoldSeries: [SeriesPoint] = [], metrics: Metrics = Metrics(),
        btcMetrics: Metrics? = nil, buyHoldMetrics: Metrics? = nil, rebalances: [RebalanceRow] = []
    ) {
        self.slug = slug
        self.name = name
        self.methodology = methodology
        self.nav = nav
        self.navPerUnit = navPerUnit
        self.change24h = change24h
        self.maxDrift = maxDrift
        self.driftBand = driftBand
        self.rebalanceDue = rebalanceDue
        self.nextRebalance = nextRebalance
        self.cash = cash
        self.holdings = holdings
        self.navSeries = navSeries
        self.btcSeries = btcSeries
        self.buyHoldSeries = buyHoldSeries
        self.metrics = metrics
        self.btcMetrics = btcMetrics
        self.buyHoldMetrics = buyHoldMetrics
        self.rebalances = rebalances
    }
}

/// A signal as shown next to a holding: label (`bullish|neutral|bearish`), score in [−1, 1], conviction in [0, 1].
public struct SignalBadge: Sendable, Equatable {
    public var label: String
    public var score: Double
    public var conviction: Double

    public init(label: String, score: Double, conviction: Double) {
        self.label = label
        self.score = score
        self.conviction = conviction
    }
}

/// One holding of an index.
public struct HoldingRow: Sendable, Equatable {
    public var symbol: String
    public var name: String
    public var sector: String
    public var quantity: Double
    public var price: Double
    /// The price at the previous refresh (for the one-refresh highlight), nil when unknown.
    public var prevPrice: Double?
    public var value: Double
    /// Weight, target and drift (weight − target), fractions.
    public var weight: Double
    public var target: Double
    public var drift: Double
    public var change24h: Double?
    public var signal: SignalBadge?
    /// Unrealised P&L against cost basis, nil when unknown.
    public var pnl: Double?

    public init(
        symbol: String, name: String = "", sector: String = "", quantity: Double, price: Double,
        prevPrice: Double? = nil, value: Double, weight: Double, target: Double, drift: Double? = nil,
        change24h: Double? = nil, signal: SignalBadge? = nil, pnl: Double? = nil
    ) {
        self.symbol = symbol
        self.name = name
        self.sector = sector
        self.quantity = quantity
        self.price = price
        self.prevPrice = prevPrice
        self.value = value
        self.weight = weight
        self.target = target
        self.drift = drift ?? (weight - target)
        self.change24h = change24h
        self.signal = signal
        self.pnl = pnl
    }
}

/// A point of a time series: Unix seconds and value.
public struct SeriesPoint: Sendable, Equatable {
    public var time: Int64
    public var value: Double

    public init(time: Int64, value: Double) {
        self.time = time
        self.value = value
    }
}

/// Performance figures of DESIGN §7 (fractions; nil when there is not enough history).
public struct Metrics: Sendable, Equatable {
    public var return24h: Double?
    public var return7d: Double?
    public var return30d: Double?
    public var returnAll: Double?
    public var volatility: Double?
    public var maxDrawdown: Double?
    public var sharpe: Double?
    public var sortino: Double?

    public init(
        return24h: Double? = nil, return7d: Double? = nil, return30d: Double? = nil, returnAll: Double? = nil,
        volatility: Double? = nil, maxDrawdown: Double? = nil, sharpe: Double? = nil, sortino: Double? = nil
    ) {
        self.return24h = return24h
        self.return7d = return7d
        self.return30d = return30d
        self.returnAll = returnAll
        self.volatility = volatility
        self.maxDrawdown = maxDrawdown
        self.sharpe = sharpe
        self.sortino = sortino
    }
}

/// One trade of a rebalance: side `buy|sell`, quantity, price, notional and fee.
public struct TradeRow: Sendable, Equatable {
    public var symbol: String
    public var side: String
    public var quantity: Double
    public var price: Double
    public var notional: Double
    public var fee: Double

    public init(symbol: String, side: String, quantity: Double, price: Double, notional: Double, fee: Double) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.notional = notional
        self.fee = fee
    }
}

/// One rebalance of the history (turnover as a fraction of NAV).
public struct RebalanceRow: Sendable, Equatable {
    public var id: Int64
    public var time: Int64
    public var trigger: String
    public var status: String
    public var navBefore: Double
    public var navAfter: Double
    public var turnover: Double
    public var fees: Double
    public var reason: String
    public var trades: [TradeRow]

    public init(
        id: Int64, time: Int64, trigger: String, status: String, navBefore: Double, navAfter: Double,
        turnover: Double, fees: Double, reason: String = "", trades: [TradeRow] = []
    ) {
        self.id = id
        self.time = time
        self.trigger = trigger
        self.status = status
        self.navBefore = navBefore
        self.navAfter = navAfter
        self.turnover = turnover
        self.fees = fees
        self.reason = reason
        self.trades = trades
    }
}

/// A token's signal with its indicator breakdown and the votes behind it (DESIGN §5).
public struct SignalRow: Sendable, Equatable {
    public var symbol: String
    public var label: String
    public var score: Double
    public var conviction: Double
    public var rsi: Double?
    public var macdHist: Double?
    /// ROC7 and ROC30 in percent, as DESIGN §5 defines them.
    public var roc7: Double?
    public var roc30: Double?
    /// Each rule's text and its vote (+1, 0, −1).
    public var votes: [Vote]
    /// `computed` or the outside source (`tokenmetrics`, `import`).
    public var source: String

    public init(
        symbol: String, label: String, score: Double, conviction: Double, rsi: Double? = nil,
        macdHist: Double? = nil, roc7: Double? = nil, roc30: Double? = nil, votes: [Vote] = [],
        source: String = "computed"
    ) {
        self.symbol = symbol
        self.label = label
        self.score = score
        self.conviction = conviction
        self.rsi = rsi
        self.macdHist = macdHist
        self.roc7 = roc7
        self.roc30 = roc30
        self.votes = votes
        self.source = source
    }
}

/// One rule's vote: +1, 0 or −1.
public struct Vote: Sendable, Equatable {
    public var rule: String
    public var vote: Int

    public init(rule: String, vote: Int) {
        self.rule = rule
        self.vote = vote
    }
}

/// A credential as the UI may show it: masked (last 4 characters only), never the secret.
public struct KeyRow: Sendable, Equatable {
    public var id: String
    public var provider: String
    public var env: String
    public var scope: String
    public var state: String
    public var expires: Int64?
    public var lastUsed: Int64?
    public var masked: String

    public init(
        id: String, provider: String, env: String, scope: String, state: String, expires: Int64? = nil,
        lastUsed: Int64? = nil, masked: String
    ) {
        self.id = id
        self.provider = provider
        self.env = env
        self.scope = scope
        self.state = state
        self.expires = expires
        self.lastUsed = lastUsed
        self.masked = masked
    }
}

/// One audit entry (no secrets).
public struct AuditRow: Sendable, Equatable {
    public var time: Int64
    public var actor: String
    public var action: String
    public var keyId: String?
    public var result: String

    public init(time: Int64, actor: String, action: String, keyId: String? = nil, result: String) {
        self.time = time
        self.actor = actor
        self.action = action
        self.keyId = keyId
        self.result = result
    }
}
