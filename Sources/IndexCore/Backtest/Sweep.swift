import Foundation

/// A grid of spec variants for `backtest --sweep FIELD=V1,V2,...` (DESIGN §12): each field is a dotted
/// path into the spec's JSON (`methodology.cap`, `rebalance.schedule`, `fees_bps`), each variant is the
/// spec with one value per field, validated by the spec parser like a file would be.
public struct SweepGrid: Sendable {
    /// One swept field and its values (JSON scalars: numbers, `true`/`false`, else strings).
    public struct Axis: Sendable, Equatable {
        public var path: [String]
        public var values: [String]
        /// The field as written (`methodology.cap`).
        public var field: String { path.joined(separator: ".") }
    }

    /// One variant: its settings (`field=value` in axis order) and the spec.
    public struct Variant: Sendable {
        public var settings: [String]
        public var spec: IndexSpec
        /// `methodology.cap=0.1 rebalance.schedule=weekly`.
        public var label: String { settings.joined(separator: " ") }
    }

    public var axes: [Axis]

    /// Parses `FIELD=V1,V2,...` arguments.
    /// - Throws: `InputError` (field `--sweep`) for a missing `=`, an empty field or value, or a field swept twice.
    public static func parse(_ arguments: [String]) throws -> SweepGrid {
        var axes: [Axis] = []
        for a in arguments {
            guard let eq = a.firstIndex(of: "=") else {
                throw InputError(file: "--sweep", "'\(a.prefix(80))' must be FIELD=V1,V2,...")
            }
            let field = String(a[..<eq])
            let path = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let values = a[a.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map(
                String.init)
            guard !path.contains(where: \.isEmpty) else {
                throw InputError(file: "--sweep", "'\(field.prefix(80))' is not a field path")
            }
            guard !values.contains(where: \.isEmpty) else {
                throw InputError(file: "--sweep", "\(field): empty value in '\(a.prefix(80))'")
            }
            guard !axes.contains(where: { $0.path == path }) else {
                throw InputError(file: "--sweep", "\(field) is swept twice")
            }
            axes.append(Axis(path: path, values: values))
        }
        return SweepGrid(axes: axes)
    }

    /// Every combination, first axis slowest, each parsed from `base` (the spec's JSON) with the values set.
    /// - Throws: `InputError` naming the variant when a value makes the spec invalid.
    public func variants(of base: [String: Any], file: String) throws -> [Variant] {
        var out: [Variant] = []
        var choice = [Int](repeating: 0, count: axes.count)
        while true {
            var root = base
            var settings: [String] = []
            for (a, axis) in axes.enumerated() {
                let raw = axis.values[choice[a]]
                root = Self.setting(root, path: axis.path[...], to: Self.scalar(raw))
                settings.append("\(axis.field)=\(raw)")
            }
            let label = settings.joined(separator: " ")
            do {
                out.append(Variant(settings: settings, spec: try IndexSpec.parse(root, file: file)))
            } catch let e as InputError {
                throw InputError(file: file, field: e.field, "\(e.message) (variant \(label))")
            }
            var a = axes.count - 1
            while a >= 0 {
                choice[a] += 1
                if choice[a] < axes[a].values.count { break }
                choice[a] = 0
                a -= 1
            }
            if a < 0 { break }
        }
        return out
    }

    static func scalar(_ raw: String) -> Any {
        if raw == "true" { return true }
        if raw == "false" { return false }
        if let v = Double(raw), v.isFinite, raw.allSatisfy({ "0123456789.-+eE".contains($0) }) { return v }
        return raw
    }

    static func setting(_ object: [String: Any], path: ArraySlice<String>, to value: Any) -> [String: Any] {
        var o = object
        guard let key = path.first else { return o }
        if path.count == 1 {
            o[key] = value
        } else {
            o[key] = setting(o[key] as? [String: Any] ?? [:], path: path.dropFirst(), to: value)
        }
        return o
    }
}

/// One row of a sweep: a variant's figures (DESIGN §7) and costs.
public struct SweepRow: Sendable {
    public var label: String
    public var settings: [String]
    public var figures: PerformanceFigures
    public var rebalances: Int
    public var turnover: Double
    /// Fees + slippage.
    public var costs: Double
    /// Total return minus the buy-and-hold twin's, nil without it.
    public var gainOverBuyAndHold: Double?

    /// The row of `variant` from its replay.
    public init(variant: SweepGrid.Variant, result: BacktestResult) {
        label = variant.label
        settings = variant.settings
        figures = result.figures
        rebalances = result.rebalanceCount
        turnover = result.turnover
        costs = result.fees + result.slippage
        let bh = result.buyAndHold.isEmpty ? nil : Analytics.figures(result.buyAndHold).returnAll
        gainOverBuyAndHold = bh.flatMap { b in figures.returnAll.map { $0 - b } }
    }

    /// Ranked by Sharpe, best first (no Sharpe last), ties by label: the same order in every process.
    public static func ranked(_ rows: [SweepRow]) -> [SweepRow] {
        rows.sorted { a, b in
            switch (a.figures.sharpe, b.figures.sharpe) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.label < b.label
            }
        }
    }
}
