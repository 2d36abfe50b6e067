import IndexCore

/// What the dashboard needs from the store. The live app calls it on the main queue only;
/// `loadSnapshot` runs every refresh and must be cheap.
public protocol DashboardBackend: AnyObject {
    /// Reads the current state of every index, the feed, signals and the vault summary.
    func loadSnapshot() throws -> DashboardSnapshot
    /// Plans a manual rebalance of index `slug` at the latest prices (nothing is written).
    func planRebalance(slug: String) throws -> RebalancePreview
    /// Applies a previewed rebalance exactly as previewed, through the same store code as
    /// `indextop rebalance --apply`. When the plan at the latest prices and holdings differs from the
    /// preview, nothing is applied and the new plan is returned (`.changed`) for the user to confirm again.
    func applyRebalance(_ preview: RebalancePreview) throws -> ApplyOutcome
    /// Plans like `planRebalance` but off the UI queue when the backend can; `completion` may run on any
    /// queue. The default plans synchronously.
    func planRebalanceInBackground(
        slug: String, completion: @escaping @Sendable (Result<RebalancePreview, any Error>) -> Void)
    /// Forgets every cache, so the next `loadSnapshot` reads everything again (Ctrl-R). Default: nothing.
    func invalidate()
    /// Applies like `applyRebalance` but off the UI queue when the backend can (the vault's KDF and the
    /// re-plan are slow); `completion` may run on any queue. Call on the UI queue (it may prompt for the
    /// passphrase with the terminal suspended first). The default applies synchronously.
    func applyRebalanceInBackground(
        _ preview: RebalancePreview, completion: @escaping @Sendable (Result<ApplyOutcome, any Error>) -> Void)
    /// Records a tracked holding's correction as an adjustment trade (the default refuses).
    func adjustHolding(_ adjustment: HoldingAdjustment) throws
    /// Marks alert `id` acknowledged, off the UI queue; `completion` may run on any queue.
    func acknowledgeAlertInBackground(_ id: Int64, completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
}

extension DashboardBackend {
    public func invalidate() {}
    public func adjustHolding(_ adjustment: HoldingAdjustment) throws {
        throw EditRefused("this backend cannot edit holdings")
    }

    public func planRebalanceInBackground(
        slug: String, completion: @escaping @Sendable (Result<RebalancePreview, any Error>) -> Void
    ) {
        completion(Result { try planRebalance(slug: slug) })
    }

    public func applyRebalanceInBackground(
        _ preview: RebalancePreview, completion: @escaping @Sendable (Result<ApplyOutcome, any Error>) -> Void
    ) {
        completion(Result { try applyRebalance(preview) })
    }
}

/// What confirming a preview did: applied it (the new rebalance's id), or nothing because the plan
/// changed since the preview (the new plan, to be confirmed again).
public enum ApplyOutcome: Sendable, Equatable {
    case applied(id: Int64)
    case changed(RebalancePreview)
}

/// One symbol's weight before the trades, its target and after (fractions of NAV): the planner's own type.
public typealias WeightRow = WeightChange

/// A trade the planner left out (below the minimum trade, no price...) and why: the planner's own type.
public typealias SkippedRow = SkippedTrade

/// A planned rebalance, shown in the modal before the user confirms: every trade, the weights before,
/// target and after, the skipped trades, turnover, fees and slippage (their sum is the `costs`), NAV
/// before and after and the cash after.
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
    public var weights: [WeightRow]
    public var skipped: [SkippedRow]
    /// Time of the newest price the plan used (Unix seconds).
    public var pricesTime: Int64

    /// Fees plus slippage.
    public var costs: Double { fees + slippage }

    public init(
        slug: String, name: String = "", trigger: String = "manual", navBefore: Double, navAfter: Double,
        turnover: Double, fees: Double, slippage: Double, cashAfter: Double = 0, trades: [TradeRow],
        weights: [WeightRow] = [], skipped: [SkippedRow] = [], pricesTime: Int64
    ) {
        self.weights = weights
        self.skipped = skipped
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
