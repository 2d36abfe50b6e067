/// A sortable column of a view's table: its name (in the footer message), the table column whose header
/// shows the arrow, and whether it sorts smallest first by default (text, soonest date) or largest first.
public struct SortColumn: Sendable, Equatable {
    public var title: String
    public var column: Int
    public var ascendingFirst: Bool

    init(_ title: String, column: Int, ascendingFirst: Bool = false) {
        self.title = title
        self.column = column
        self.ascendingFirst = ascendingFirst
    }
}

/// A view's sort: which of its `SortColumn`s and whether `S` reversed its default direction.
public struct SortOrder: Sendable, Equatable, Hashable {
    public var column: Int
    public var reversed: Bool

    public init(column: Int = 0, reversed: Bool = false) {
        self.column = column
        self.reversed = reversed
    }
}

/// A value rows sort by: a number (nil sorts as the smallest) or a text (case-insensitive).
enum SortKey {
    case number(Double?)
    case text(String)

    /// -1, 0 or 1.
    static func compare(_ a: SortKey, _ b: SortKey) -> Int {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            let (u, v) = (x ?? -.infinity, y ?? -.infinity)
            return u < v ? -1 : (u > v ? 1 : 0)
        case (.text(let x), .text(let y)):
            let (u, v) = (x.lowercased(), y.lowercased())
            return u < v ? -1 : (u > v ? 1 : 0)
        default:
            return 0
        }
    }
}

/// The sort columns of each view (`s` cycles through them, the first is the default) and the sorting
/// every table shares: by the key, descending or ascending, ties by a name ascending.
public enum Sorting {
    /// The sortable columns of `view`'s table, in the order `s` cycles through them.
    public static func columns(_ view: DashboardView) -> [SortColumn] {
        switch view {
        case .holdings:
            return HoldingsSort.allCases.map { SortColumn($0.title, column: $0.column, ascendingFirst: $0 == .symbol) }
        case .signals:
            return [
                SortColumn("score", column: 3), SortColumn("symbol", column: 0, ascendingFirst: true),
                SortColumn("conviction", column: 2), SortColumn("RSI", column: 4), SortColumn("MACD h", column: 5),
                SortColumn("ROC7", column: 6), SortColumn("ROC30", column: 7),
            ]
        case .rebalances:
            return [
                SortColumn("time", column: 1), SortColumn("turnover", column: 6), SortColumn("costs", column: 7),
                SortColumn("NAV after", column: 5), SortColumn("trigger", column: 2, ascendingFirst: true),
            ]
        case .performance:
            return []
        case .keys:
            return [
                SortColumn("expires", column: 5, ascendingFirst: true),
                SortColumn("id", column: 0, ascendingFirst: true),
                SortColumn("provider", column: 1, ascendingFirst: true),
                SortColumn("state", column: 4, ascendingFirst: true), SortColumn("last use", column: 6),
            ]
        case .exposure:
            return [
                SortColumn("value", column: 1), SortColumn("name", column: 0, ascendingFirst: true),
                SortColumn("indices", column: 3),
            ]
        }
    }

    /// The view's current sort column and whether it runs largest first (nil for a view without a table).
    public static func current(_ state: UIState, view: DashboardView? = nil) -> (column: SortColumn, descending: Bool)?
    {
        let v = view ?? state.view
        let all = columns(v)
        guard !all.isEmpty else { return nil }
        let order = state.sortOrder(v)
        let column = all[min(max(0, order.column), all.count - 1)]
        return (column, column.ascendingFirst == order.reversed)
    }

    /// `rows` sorted by `key` (given the sort column's position in `columns(view)`), in the view's
    /// direction; ties by `name` ascending, whatever the direction.
    static func sort<T>(
        _ rows: [T], _ state: UIState, view: DashboardView, key: (T, Int) -> SortKey, name: (T) -> String
    ) -> [T] {
        guard let (_, descending) = current(state, view: view) else { return rows }
        let k = min(max(0, state.sortOrder(view).column), columns(view).count - 1)
        let keyed = rows.map { (key($0, k), name($0), $0) }
        return keyed.sorted { a, b in
            let c = SortKey.compare(a.0, b.0)
            if c != 0 { return descending ? c > 0 : c < 0 }
            return a.1 < b.1
        }.map(\.2)
    }
}
