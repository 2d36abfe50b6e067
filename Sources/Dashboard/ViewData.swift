import IndexCore
/// The rows each view shows, derived from the snapshot and the UI state (filter, sort). Shared by
/// the renderer and the reducer so selection and drawing agree.
public enum ViewData {
    /// The selected index, nil when there is none.
    public static func selectedIndex(_ snapshot: DashboardSnapshot, _ state: UIState) -> IndexSnapshot? {
        guard !snapshot.indices.isEmpty else { return nil }
        return snapshot.indices[min(max(0, state.selectedIndex), snapshot.indices.count - 1)]
    }

    /// Positions (in `snapshot.indices`) of the indices the index list shows: those whose name or slug
    /// matches the index filter, all when it is empty.
    public static func visibleIndices(_ snapshot: DashboardSnapshot, _ state: UIState) -> [Int] {
        snapshot.indices.indices.filter {
            matches(state.indexFilter, snapshot.indices[$0].name, snapshot.indices[$0].slug)
        }
    }

    /// True when `text` matches the filter (case-insensitive substring; an empty filter matches all).
    static func matches(_ filter: String, _ fields: String...) -> Bool {
        if filter.isEmpty { return true }
        let needle = filter.lowercased()
        return fields.contains { $0.lowercased().contains(needle) }
    }

    /// Holdings of the selected index, filtered (symbol, name or sector) and sorted by the holdings sort:
    /// largest first by default (symbol A–Z), reversed by `S`; ties by symbol.
    public static func holdings(_ index: IndexSnapshot, _ state: UIState) -> [HoldingRow] {
        let rows = index.holdings.filter { matches(state.filter, $0.symbol, $0.name, $0.sector) }
        return Sorting.sort(
            rows, state, view: .holdings,
            key: { h, k in
                switch HoldingsSort.allCases[k] {
                case .value: return .number(h.value)
                case .weight: return .number(h.weight)
                case .drift: return .number(abs(h.drift))
                case .change24h: return .number(h.change24h)
                case .pnl: return .number(h.pnl)
                case .signal: return .number(h.signal?.score)
                case .symbol: return .text(h.symbol)
                }
            }, name: \.symbol)
    }

    /// Signals of the selected index's tokens (every token with `state.allSignals`, or when there is no
    /// index), filtered by symbol or label, sorted by the signals sort (strongest score first by default).
    public static func signals(_ snapshot: DashboardSnapshot, _ state: UIState) -> [SignalRow] {
        let held: Set<String>? =
            state.allSignals ? nil : selectedIndex(snapshot, state).map { Set($0.holdings.map(\.symbol)) }
        let rows = snapshot.signals.filter { held?.contains($0.symbol) ?? true }
            .filter { matches(state.filter, $0.symbol, $0.label.rawValue) }
        return Sorting.sort(
            rows, state, view: .signals,
            key: { s, k in
                switch k {
                case 0: return .number(s.score)
                case 1: return .text(s.symbol)
                case 2: return .number(s.conviction)
                case 3: return .number(s.rsi)
                case 4: return .number(s.macdHist)
                case 5: return .number(s.roc7)
                default: return .number(s.roc30)
                }
            }, name: \.symbol)
    }

    /// The selected index's rebalances, newest first by default, in the rebalances sort.
    public static func rebalances(_ index: IndexSnapshot, _ state: UIState) -> [RebalanceRow] {
        Sorting.sort(
            index.rebalances, state, view: .rebalances,
            key: { r, k in
                switch k {
                case 0: return .number(Double(r.time))
                case 1: return .number(r.turnover)
                case 2: return .number(r.costs)
                case 3: return .number(r.navAfter)
                default: return .text(r.trigger)
                }
            },
            name: { r in
                let digits = String(r.id)
                return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
            })
    }

    /// The vault's keys, soonest expiry first by default, in the keys sort.
    public static func keys(_ snapshot: DashboardSnapshot, _ state: UIState) -> [KeyRow] {
        Sorting.sort(
            snapshot.keys ?? [], state, view: .keys,
            key: { key, k in
                switch k {
                case 0: return .number(key.expires.map(Double.init) ?? .infinity)
                case 1: return .text(key.id)
                case 2: return .text(key.provider)
                case 3: return .text(key.state)
                default: return .number(key.lastUsed.map(Double.init))
                }
            }, name: \.id)
    }

    /// One line of an exposure table: a name, its value and its share of the total (fraction).
    public struct ExposureLine: Sendable, Equatable {
        public var name: String
        public var value: Double
        public var share: Double
        /// How many indices hold it (tokens and sectors).
        public var indices: Int
    }

    /// Exposure across all indices: each index's share of the total, and the aggregate by token and
    /// by sector (cash counts as `CASH` / `Cash`), each largest first. Shares are fractions of the total NAV.
    public static func exposure(_ snapshot: DashboardSnapshot) -> (
        indices: [ExposureLine], tokens: [ExposureLine], sectors: [ExposureLine]
    ) {
        let total = snapshot.indices.reduce(0) { $0 + $1.nav }
        func share(_ v: Double) -> Double { total > 0 ? v / total : 0 }
        // value, the last index counted (position), and how many indices hold it.
        var tokens: [String: (value: Double, last: Int, count: Int)] = [:]
        var sectors: [String: (value: Double, last: Int, count: Int)] = [:]
        func add(_ d: inout [String: (value: Double, last: Int, count: Int)], _ key: String, _ v: Double, _ i: Int) {
            if var e = d[key] {
                e.value += v
                if e.last != i {
                    e.last = i
                    e.count += 1
                }
                d[key] = e
            } else {
                d[key] = (v, i, 1)
            }
        }
        for (i, index) in snapshot.indices.enumerated() {
            for h in index.holdings {
                add(&tokens, h.symbol, h.value, i)
                add(&sectors, h.sector.isEmpty ? "Other" : h.sector, h.value, i)
            }
            if index.cash > 0 {
                add(&tokens, "CASH", index.cash, i)
                add(&sectors, "Cash", index.cash, i)
            }
        }
        func lines(_ d: [String: (value: Double, last: Int, count: Int)]) -> [ExposureLine] {
            d.map {
                ExposureLine(name: $0.key, value: $0.value.value, share: share($0.value.value), indices: $0.value.count)
            }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.name < $1.name }
        }
        let perIndex = snapshot.indices.map {
            ExposureLine(name: $0.name, value: $0.nav, share: share($0.nav), indices: 1)
        }
        return (perIndex, lines(tokens), lines(sectors))
    }

    /// Exposure lines (tokens or sectors) filtered by name and in the exposure sort (largest first by default).
    public static func sortedExposure(_ lines: [ExposureLine], _ state: UIState) -> [ExposureLine] {
        Sorting.sort(
            lines.filter { matches(state.filter, $0.name) }, state, view: .exposure,
            key: { l, k in
                switch k {
                case 0: return .number(l.value)
                case 1: return .text(l.name)
                default: return .number(Double(l.indices))
                }
            }, name: \.name)
    }

    /// Number of selectable rows of the main pane in the current view.
    public static func rowCount(_ snapshot: DashboardSnapshot, _ state: UIState) -> Int {
        switch state.view {
        case .holdings:
            return selectedIndex(snapshot, state).map { holdings($0, state).count } ?? 0
        case .signals:
            return signals(snapshot, state).count
        case .rebalances:
            guard let index = selectedIndex(snapshot, state) else { return 0 }
            if let drill = state.drill { return index.rebalances.first { $0.id == drill }?.trades.count ?? 0 }
            return index.rebalances.count
        case .performance:
            return 0
        case .keys:
            return snapshot.keys?.count ?? 0
        case .exposure:
            return exposure(snapshot).tokens.filter { matches(state.filter, $0.name) }.count
        }
    }
}
