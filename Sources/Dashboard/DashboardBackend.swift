/// What the dashboard needs from the store. The live app calls it on the main queue only;
/// `loadSnapshot` runs every refresh and must be cheap.
public protocol DashboardBackend: AnyObject {
    /// Reads the current state of every index, the feed, signals and the vault summary.
    func loadSnapshot() throws -> DashboardSnapshot
    /// Plans a manual rebalance of index `slug` at the latest prices (nothing is written).
    func planRebalance(slug: String) throws -> RebalancePreview
    /// Applies a previewed rebalance through the same store code as `indextop rebalance --apply`;
    /// throws when the prices or holdings changed since the preview (stale plan).
    func applyRebalance(_ preview: RebalancePreview) throws
    /// Plans like `planRebalance` but off the UI queue when the backend can; `completion` may run on any
    /// queue. The default plans synchronously.
    func planRebalanceInBackground(
        slug: String, completion: @escaping @Sendable (Result<RebalancePreview, any Error>) -> Void)
    /// Applies like `applyRebalance` but off the UI queue when the backend can (the vault's KDF and the
    /// re-plan are slow); `completion` may run on any queue. Call on the UI queue (it may prompt for the
    /// passphrase with the terminal suspended first). The default applies synchronously.
    func applyRebalanceInBackground(
        _ preview: RebalancePreview, completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// Marks alert `id` acknowledged, off the UI queue; `completion` may run on any queue.
    func acknowledgeAlertInBackground(_ id: Int64, completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
}

extension DashboardBackend {
    public func planRebalanceInBackground(
        slug: String, completion: @escaping @Sendable (Result<RebalancePreview, any Error>) -> Void
    ) {
        completion(Result { try planRebalance(slug: slug) })
    }

    public func applyRebalanceInBackground(
        _ preview: RebalancePreview, completion: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        completion(Result { try applyRebalance(preview) })
    }
}

/// A planned rebalance, shown in the modal before the user confirms.
public struct RebalancePreview: Sendable, Equatable {
    public var slug: String
    public var name: String
    public var trigger: String
    public var navBefore: Double
    public var navAfter: Double
    /// Turnover as a fraction of NAV; fees and slippage in money.
    public var turnover: Double
    public var fees: Double
    public var slippage: Double
    public var cashAfter: Double
    public var trades: [TradeRow]
    /// Time of the newest price the plan used (Unix seconds).
    public var pricesTime: Int64

    public init(
        slug: String, name: String = "", trigger: String = "manual", navBefore: Double, navAfter: Double,
        turnover: Double, fees: Double, slippage: Double, cashAfter: Double = 0, trades: [TradeRow],
        pricesTime: Int64
    ) {
        self.slug = slug
        self.name = name
        self.trigger = trigger
        self.navBefore = navBefore
        self.navAfter = navAfter
        self.turnover = turnover
        self.fees = fees
        self.slippage = slippage
        self.cashAfter = cashAfter
        self.trades = trades
        self.pricesTime = pricesTime
    }
}
