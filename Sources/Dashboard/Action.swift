/// What can happen to the dashboard: user intents (from the key map) and results from the app loop.
public enum Action: Sendable, Equatable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case nextPane, previousPane, paneLeft, paneRight
    case selectView(DashboardView)
    case open, back
    case nextSort, reverseSort
    case startFilter, filterInput(Character), filterBackspace, filterCommit, filterCancel
    case rebalance, confirm, cancel
    case togglePause, slower, faster, nextTheme, togglePrivacy, toggleHelp, quit
    /// Signals view: all tokens, or the selected index's tokens.
    case toggleAllSignals
    case click(x: Int, y: Int)
    case scrollUp, scrollDown
    /// The clock advanced (Unix seconds).
    case tick(Int64)
    case resize(width: Int, height: Int)
    /// A refresh loaded a snapshot; `flashes` are the prices that moved (symbol → ±1).
    case snapshotLoaded(flashes: [String: Int])
    case snapshotFailed(String)
    case previewReady(RebalancePreview)
    case previewFailed(String)
    case applied(String)
    case applyFailed(String)
    case themeLoaded(message: String?)
    /// The alerts overlay (`!`): see `AlertsAction`.
    case alerts(AlertsAction)
}

/// Work the reducer asks the app loop to do (the reducer itself does no I/O).
public enum Effect: Sendable, Equatable {
    case quit
    case planRebalance(slug: String)
    case applyRebalance(RebalancePreview)
    /// Reload the snapshot now (after an apply), and restart the timer at a new interval.
    case reload
    case setRefresh(Double)
    case loadTheme(String)
    /// Acknowledge alert `id` (off the UI queue), then reload.
    case acknowledgeAlert(Int64)
}
