/// The six views of the main pane (DESIGN §10), numbered as their keys.
public enum DashboardView: Int, Sendable, CaseIterable {
    case holdings = 1, signals, rebalances, performance, keys, exposure

    /// The tab label.
    public var title: String {
        switch self {
        case .holdings: return "Holdings"
        case .signals: return "Signals"
        case .rebalances: return "Rebalances"
        case .performance: return "Performance"
        case .keys: return "Keys & audit"
        case .exposure: return "Exposure"
        }
    }
}

/// Which pane has the focus: the index list or the main pane.
public enum Pane: Sendable, Equatable {
    case indices, main
}

/// Sort columns of the holdings table, in the order `s` cycles through them.
public enum HoldingsSort: Int, Sendable, CaseIterable {
    case value, weight, drift, change24h, symbol, pnl, signal

    public var title: String {
        switch self {
        case .value: return "value"
        case .weight: return "weight"
        case .drift: return "drift"
        case .change24h: return "24h"
        case .symbol: return "symbol"
        case .pnl: return "P&L"
        case .signal: return "signal"
        }
    }
}

/// The rebalance modal: planning, showing the preview (with the stale double confirmation), applying, or failed.
public struct RebalanceModal: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case planning
        /// `stale`: the prices are older than three feed intervals; `confirmedOnce`: the first `y` was given.
        case preview(RebalancePreview, stale: Bool, confirmedOnce: Bool)
        case applying(RebalancePreview)
        case failed(String)
    }

    public var slug: String
    public var phase: Phase

    public init(slug: String, phase: Phase) {
        self.slug = slug
        self.phase = phase
    }
}

import TerminalUI

/// Everything about the UI that is not data: the reducer's state.
public struct UIState: Sendable, Equatable {
    public var view: DashboardView = .holdings
    public var focus: Pane = .main
    /// Position in the index list.
    public var selectedIndex = 0
    /// Selected row of the main pane's table.
    public var row = 0
    public var sort: HoldingsSort = .value
    /// False = descending (largest first); `S` reverses.
    public var sortReversed = false
    public var filter = ""
    public var filterEditing = false
    public var showHelp = false
    public var paused = false
    /// Refresh interval in seconds.
    public var refreshInterval: Double = 1
    public var themeNames: [String] = ["default"]
    public var themeName = "default"
    public var privacy = false
    /// Signals view: every token with a signal (true), or only the selected index's tokens (false, the default).
    public var allSignals = false
    public var ascii = false
    /// With `ascii`: draw the NAV chart with block elements (`--ascii` on a UTF-8 terminal, where they
    /// read better than ASCII art); every other glyph stays ASCII. False for `snapshot --ascii`.
    public var blockChart = false
    public var modal: RebalanceModal?
    /// The alerts overlay (`!`), nil when closed.
    public var alertsOverlay: AlertsOverlayState?
    /// The rebalance whose trades are shown (Enter in Rebalances), nil for the list.
    public var drill: Int64?
    /// A message in the footer (info or warning), and the last load error (alert).
    public var message: String?
    public var loadError: String?
    /// The clock (Unix seconds), advanced by `.tick`.
    public var now: Int64 = 0
    /// The terminal size, set by `.resize`.
    public var width = 120
    public var height = 40
    /// Prices that moved since the previous refresh: symbol → +1 up / −1 down (highlighted for one refresh).
    public var flashes: [String: Int] = [:]
    public var quit = false
    /// The key bindings in use (shown by the help overlay).
    public var keyMap: KeyMap = .defaults

    public init() {}
}
