import TerminalUI

/// Where each part of the frame goes for a terminal size (DESIGN §10): the full layout from
/// 100×30, a compact one from 60×15, and the "terminal too small" screen below that.
public struct DashboardLayout: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case full, compact, tooSmall
    }

    /// Minimum size for the full layout and for any layout.
    public static let fullSize = (width: 100, height: 30)
    public static let minimumSize = (width: 60, height: 15)
    /// Width of the index list box in the full layout.
    public static let indexListWidth = 32

    public var kind: Kind
    public var header: Rect
    /// The framed index list (full layout), nil in compact.
    public var indexBox: Rect?
    /// The interior of the index list: two lines per index.
    public var indexList: Rect?
    /// The one-line index picker (compact layout).
    public var picker: Rect?
    public var mainBox: Rect?
    public var tabs: Rect
    public var content: Rect
    public var footer: Rect

    /// The layout for a `width` × `height` terminal.
    public static func compute(width: Int, height: Int) -> DashboardLayout {
        let footer = Rect(x: 0, y: height - 1, width: width, height: 1)
        let header = Rect(x: 0, y: 0, width: width, height: 1)
        if width < minimumSize.width || height < minimumSize.height {
            let all = Rect(x: 0, y: 0, width: width, height: height)
            return DashboardLayout(
                kind: .tooSmall, header: all, tabs: all, content: all, footer: footer)
        }
        if width < fullSize.width || height < fullSize.height {
            return DashboardLayout(
                kind: .compact, header: header, picker: Rect(x: 0, y: 1, width: width, height: 1),
                tabs: Rect(x: 0, y: 2, width: width, height: 1),
                content: Rect(x: 0, y: 3, width: width, height: height - 4), footer: footer)
        }
        let indexBox = Rect(x: 0, y: 1, width: indexListWidth, height: height - 2)
        let mainBox = Rect(x: indexListWidth, y: 1, width: width - indexListWidth, height: height - 2)
        return DashboardLayout(
            kind: .full, header: header, indexBox: indexBox, indexList: indexBox.inset(1), mainBox: mainBox,
            tabs: Rect(x: mainBox.x + 1, y: 2, width: mainBox.width - 2, height: 1),
            content: Rect(x: mainBox.x + 1, y: 3, width: mainBox.width - 2, height: mainBox.height - 3),
            footer: footer)
    }

    /// The tab labels (`1 Holdings` ... `6 Exposure`).
    public static let tabLabels: [String] = DashboardView.allCases.map { "\($0.rawValue) \($0.title)" }

    /// Shorter tab label sets for narrower panes, tried in order: every view keeps a tab.
    static let shorterTabLabels: [[String]] = [
        ["1 Holdings", "2 Signals", "3 Rebal", "4 Perf", "5 Keys", "6 Exposure"],
        ["1 Hold", "2 Sig", "3 Rebal", "4 Perf", "5 Keys", "6 Expo"],
        ["1", "2", "3", "4", "5", "6"],
    ]

    /// The longest tab labels whose six tabs fit the tab row (each label is drawn with a space either
    /// side and one column between tabs).
    public var fittingTabLabels: [String] {
        for labels in [DashboardLayout.tabLabels] + DashboardLayout.shorterTabLabels {
            let width = labels.reduce(0) { $0 + DisplayWidth.of($1) + 2 } + labels.count - 1
            if width <= tabs.width { return labels }
        }
        return DashboardLayout.shorterTabLabels.last!
    }

    /// Lines a table in the content area shows, for paging (content height less headers).
    public var pageSize: Int { max(1, content.height - 3) }
}
