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

    /// The holdings table's column that shows the arrow.
    public var column: Int {
        switch self {
        case .symbol: return 0
        case .value: return 3
        case .weight: return 4
        case .drift: return 6
        case .change24h: return 7
        case .signal: return 8
        case .pnl: return 9
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
    /// First row of the preview's table shown (j/k, PgUp/PgDn scroll it).
    public var scroll: Int
    /// Set when confirming found a different plan: the preview now shows that plan and asks again.
    public var notice: String?

    public init(slug: String, phase: Phase, scroll: Int = 0, notice: String? = nil) {
        self.slug = slug
        self.phase = phase
        self.scroll = scroll
        self.notice = notice
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
    /// Each view's sort (`s` next column, `S` reverses); a view not in it has its default.
    public var sorts: [DashboardView: SortOrder] = [:]
    /// Filter of the index list (`/` with the list focused).
    public var indexFilter = ""
    public var filter = ""
    public var filterEditing = false
    /// True while `/` edits the index list's filter (it was pressed with the list focused).
    public var filterOnIndices = false
    public var showHelp = false
    /// First line of the help overlay shown (j/k scroll it).
    public var helpScroll = 0
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
    /// The edit modal on a tracked holding (`e`), nil when closed.
    public var edit: EditHoldingModal?
    /// The alerts overlay (`!`), nil when closed.
    public var alertsOverlay: AlertsOverlayState?
    /// The rebalance whose trades are shown (Enter in Rebalances), nil for the list.
    public var drill: Int64?
    /// A message in the footer (info or warning), and the last load error (alert).
    public var message: String?
    public var loadError: String?
    /// Problems found in the config file and the flags at start (`path:line: ...`), listed by the help overlay.
    public var configProblems: [String] = []
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

    /// The sort of `view`.
    public func sortOrder(_ view: DashboardView) -> SortOrder { sorts[view] ?? SortOrder() }

    /// The holdings table's sort column.
    public var sort: HoldingsSort {
        get { HoldingsSort.allCases[min(sortOrder(.holdings).column, HoldingsSort.allCases.count - 1)] }
        set { sorts[.holdings, default: SortOrder()].column = HoldingsSort.allCases.firstIndex(of: newValue) ?? 0 }
    }

    /// Whether the current view's sort runs against its default direction.
    public var sortReversed: Bool {
        get { sortOrder(view).reversed }
        set { sorts[view, default: SortOrder()].reversed = newValue }
    }
}
