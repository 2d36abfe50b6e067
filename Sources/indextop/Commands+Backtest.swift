import Dispatch
import Foundation
import IndexCore
import PortfolioStore

extension CLI {
    /// `backtest FILE [--from DATE] [--to DATE] [--sweep FIELD=V1,V2,...]... [--jobs N] [--json]`: the
    /// spec replayed in memory by the backtest engine over the stored prices (nothing is written).
    func backtestCommand(_ args: inout Args) throws -> Int32 {
        let sweeps = try Self.repeatedOption("--sweep", &args)
        let file = try args.positional("spec file")
        let fromText = try args.option("--from")
        let toText = try args.option("--to")
        let jobs = try args.int("--jobs")
        try args.finish()
        if let jobs, jobs < 1 { throw UsageError("--jobs must be ≥ 1") }
        if jobs != nil && sweeps.isEmpty { throw UsageError("--jobs needs --sweep") }
        let data = try readFile(file)
        let spec = try wrap { try IndexSpec.parse(data, file: file) }
        let from = try fromText.map { t -> Int64 in
            guard let v = UTCCalendar.parse(t) else { throw UsageError("--from: '\(t.prefix(80))' is not a date") }
            return v
        }
        let to = try toText.map { t -> Int64 in
            guard let v = UTCCalendar.parse(t) else { throw UsageError("--to: '\(t.prefix(80))' is not a date") }
            return v
        }
        let store = try openStore()
        if !sweeps.isEmpty {
            let grid = try wrap { try SweepGrid.parse(sweeps) }
            let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            let variants = try wrap { try grid.variants(of: root, file: file) }
            let rows = try wrap { try store.sweep(variants, from: from, to: to, jobs: jobs) }
            printSweep(rows, file: file)
            return ExitCode.success
        }
        let result = try wrap { try store.backtest(spec, from: from, to: to) }
        let f = result.figures
        let bh = result.buyAndHold.isEmpty ? nil : Analytics.figures(result.buyAndHold)
        if json {
            Output.json(
                BacktestJSON(
                    figures: Printers.figures(f), spec: JSONTree(spec.jsonObject()),
                    nav: result.navs.map { .init(time: UTCCalendar.iso($0.time), nav: $0.nav) },
                    rebalances: result.rebalanceCount, turnover: result.turnover, fees: result.fees,
                    slippage: result.slippage, buyAndHold: bh.map(Printers.figures),
                    btc: result.btc.isEmpty ? nil : Printers.figures(Analytics.figures(result.btc))))
        } else {
            Output.line("backtest \(file): \(UTCCalendar.isoDate(f.from)) → \(UTCCalendar.isoDate(f.to))")
            Output.line(
                "return \(Output.pct(f.returnAll))  CAGR \(Output.pct(f.cagr))  vol \(Output.pct(f.volatility, signed: false))  Sharpe \(f.sharpe.map { String(format: "%.2f", $0) } ?? "—")  max DD \(Output.pct(f.maxDrawdown))"
            )
            Output.line(
                "\(result.rebalanceCount) rebalances, turnover \(Output.pct(result.turnover, signed: false)), fees \(Output.money(result.fees)), slippage \(Output.money(result.slippage))"
            )
            if let b = bh {
                Output.line(
                    "buy & hold: return \(Output.pct(b.returnAll)), rebalancing gain \(Output.pct((f.returnAll ?? 0) - (b.returnAll ?? 0)))"
                )
            }
        }
        return ExitCode.success
    }

    /// Every value of an option that may repeat (`--sweep`, one per field), taken out of `args`
    /// (before anything else reads it). Words after `--` are left alone.
    static func repeatedOption(_ name: String, _ args: inout Args) throws -> [String] {
        var kept: [String] = []
        var values: [String] = []
        let words = args.remaining
        var i = 0
        while i < words.count {
            let w = words[i]
            if w == "--" {
                kept += words[i...]
                break
            }
            if w == name {
                guard i + 1 < words.count, !Args.looksLikeOption(words[i + 1]) else {
                    throw UsageError("\(name) needs a value (FIELD=V1,V2,...)")
                }
                values.append(words[i + 1])
                i += 2
                continue
            }
            if w.hasPrefix(name + "=") {
                values.append(String(w.dropFirst(name.count + 1)))
            } else {
                kept.append(w)
            }
            i += 1
        }
        args = Args(kept)
        return values
    }

    private func printSweep(_ rows: [SweepRow], file: String) {
        if json {
            Output.json(rows.map(SweepRowJSON.init))
            return
        }
        func f(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "—" }
        Output.table(
            ["VARIANT", "SHARPE", "RETURN", "CAGR", "VOL", "MAX DD", "TURNOVER", "COSTS", "VS B&H", "REBAL"],
            rows.map { r in
                [
                    r.label, f(r.figures.sharpe), Output.pct(r.figures.returnAll), Output.pct(r.figures.cagr),
                    Output.pct(r.figures.volatility, signed: false), Output.pct(r.figures.maxDrawdown),
                    Output.pct(r.turnover, signed: false), Output.money(r.costs), Output.pct(r.gainOverBuyAndHold),
                    String(r.rebalances),
                ]
            }, right: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }
}

/// One `backtest --sweep --json` row (DESIGN §12).
struct SweepRowJSON: Encodable {
    let variant: String
    let settings: [String: String]
    let from: String
    let to: String
    let returnAll: Double?
    let cagr: Double?
    let volatility: Double?
    let sharpe: Double?
    let maxDrawdown: Double?
    let turnover: Double
    let costs: Double
    let rebalances: Int
    let gainOverBuyAndHold: Double?

    enum CodingKeys: String, CodingKey {
        case variant, settings, from, to, cagr, volatility, sharpe, turnover, costs, rebalances
        case returnAll = "return"
        case maxDrawdown = "max_drawdown"
        case gainOverBuyAndHold = "gain_over_buy_and_hold"
    }

    init(_ r: SweepRow) {
        variant = r.label
        var s: [String: String] = [:]
        for x in r.settings {
            if let eq = x.firstIndex(of: "=") { s[String(x[..<eq])] = String(x[x.index(after: eq)...]) }
        }
        settings = s
        from = UTCCalendar.iso(r.figures.from)
        to = UTCCalendar.iso(r.figures.to)
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        returnAll = finite(r.figures.returnAll)
        cagr = finite(r.figures.cagr)
        volatility = finite(r.figures.volatility)
        sharpe = finite(r.figures.sharpe)
        maxDrawdown = finite(r.figures.maxDrawdown)
        turnover = r.turnover
        costs = r.costs
        rebalances = r.rebalances
        gainOverBuyAndHold = finite(r.gainOverBuyAndHold)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variant, forKey: .variant)
        try c.encode(settings, forKey: .settings)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        // Missing figures are JSON null, never left out (stable field names).
        try c.encode(returnAll, forKey: .returnAll)
        try c.encode(cagr, forKey: .cagr)
        try c.encode(volatility, forKey: .volatility)
        try c.encode(sharpe, forKey: .sharpe)
        try c.encode(maxDrawdown, forKey: .maxDrawdown)
        try c.encode(turnover, forKey: .turnover)
        try c.encode(costs, forKey: .costs)
        try c.encode(rebalances, forKey: .rebalances)
        try c.encode(gainOverBuyAndHold, forKey: .gainOverBuyAndHold)
    }
}

/// `backtest --json` (DESIGN §12): the figures of `performance` with `spec`, `nav`, `rebalances`,
/// `turnover`, `fees`, `slippage`, `buy_and_hold` and `btc` (null when unknown).
struct BacktestJSON: Encodable {
    struct Point: Encodable {
        let time: String
        let nav: Double
    }
    let figures: FiguresJSON
    let spec: JSONTree
    let nav: [Point]
    let rebalances: Int
    let turnover, fees, slippage: Double
    let buyAndHold: FiguresJSON?
    let btc: FiguresJSON?

    enum CodingKeys: String, CodingKey {
        case spec, nav, rebalances, turnover, fees, slippage, btc
        case buyAndHold = "buy_and_hold"
    }

    func encode(to encoder: any Encoder) throws {
        try figures.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(spec, forKey: .spec)
        try c.encode(nav, forKey: .nav)
        try c.encode(rebalances, forKey: .rebalances)
        try c.encode(turnover, forKey: .turnover)
        try c.encode(fees, forKey: .fees)
        try c.encode(slippage, forKey: .slippage)
        try c.encode(buyAndHold, forKey: .buyAndHold)
        try c.encode(btc, forKey: .btc)
    }
}

/// A decoded JSON value (the spec's object) re-encoded as it is.
struct JSONTree: Encodable {
    let value: Any
    init(_ value: Any) { self.value = value }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case let o as [String: Any]:
            var c = encoder.container(keyedBy: Key.self)
            for k in o.keys.sorted() { try c.encode(JSONTree(o[k]!), forKey: Key(stringValue: k)) }
        case let a as [Any]:
            var c = encoder.unkeyedContainer()
            for x in a { try c.encode(JSONTree(x)) }
        case let s as String:
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case let b as Bool:
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case let i as Int:
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case let d as Double:
            var c = encoder.singleValueContainer()
            try c.encode(d)
        default:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        }
    }
}
