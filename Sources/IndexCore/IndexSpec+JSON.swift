import Foundation

extension IndexSpec {
    /// Parses a JSON spec (DESIGN §4). `file` names the source in errors.
    /// - Throws: `InputError` naming the file and field of the first problem.
    public static func parse(_ data: Data, file: String) throws -> IndexSpec {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            let text = String(decoding: data, as: UTF8.self)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw InputError(file: file, "empty file")
            }
            // Foundation says "… around character N." (0-based UTF-8 offset): turn it into a line number.
            let debug = (error as NSError).userInfo["NSDebugDescription"] as? String ?? ""
            if let range = debug.range(of: #"character (\d+)"#, options: .regularExpression),
                let offset = Int(debug[range].dropFirst("character ".count))
            {
                let line = data.prefix(offset).reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
                throw InputError(
                    file: file, line: line, "not valid JSON (\(debug.replacingOccurrences(of: ".", with: "")))")
            }
            throw InputError(file: file, "not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw InputError(file: file, "top level must be an object") }
        return try parse(root, file: file)
    }

    /// Parses an already decoded JSON object.
    public static func parse(_ root: [String: Any], file: String) throws -> IndexSpec {
        let r = JSONReader(file: file, object: root, path: "")
        try r.only(Self.topLevelKeys)
        let slug = try r.string("slug")
        guard !slug.isEmpty, slug.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }),
            slug.first!.isLetter || slug.first!.isNumber
        else { throw r.error("slug", "'\(slug)' must be letters, digits, '-' or '_'") }
        let name = try r.optionalString("name") ?? slug
        let base = try r.optionalString("base") ?? "USD"
        guard base == "USD" else { throw r.error("base", "only USD is supported") }
        let capital = try r.number("initial_capital")
        guard capital > 0 else { throw r.error("initial_capital", "must be > 0") }

        let universe: Universe
        switch root["universe"] {
        case let list as [Any]:
            var symbols: [String] = []
            for (i, item) in list.enumerated() {
                guard let s = item as? String, !s.isEmpty else {
                    throw r.error("universe[\(i)]", "must be a symbol string")
                }
                symbols.append(s.uppercased())
            }
            guard !symbols.isEmpty else { throw r.error("universe", "is empty") }
            guard Set(symbols).count == symbols.count else { throw r.error("universe", "lists a symbol twice") }
            universe = .symbols(symbols)
        case let obj as [String: Any]:
            let u = r.child("universe", obj)
            try u.only(["top", "sector", "buffer"])
            if obj["top"] != nil {
                let n = try u.int("top")
                guard n > 0 else { throw u.error("top", "must be > 0") }
                universe = .top(n)
            } else if obj["sector"] != nil {
                universe = .sector(try u.string("sector"))
            } else {
                throw r.error("universe", "must be a list of symbols, {\"top\": N} or {\"sector\": NAME}")
            }
        case nil: throw r.error("universe", "is missing")
        default: throw r.error("universe", "must be a list of symbols, {\"top\": N} or {\"sector\": NAME}")
        }
        var buffer = 0
        if let obj = root["universe"] as? [String: Any], obj["buffer"] != nil {
            let u = r.child("universe", obj)
            guard case .top(let n) = universe else { throw u.error("buffer", "applies to a {\"top\": N} universe") }
            buffer = try u.int("buffer")
            guard buffer >= 0, buffer < n else { throw u.error("buffer", "must be ≥ 0 and < top (\(n))") }
        }
        let exclude = try r.optionalBool("exclude_stablecoins") ?? true

        guard let mObj = root["methodology"] as? [String: Any] else {
            throw r.error("methodology", root["methodology"] == nil ? "is missing" : "must be an object")
        }
        let m = r.child("methodology", mObj)
        try m.only(Self.methodologyKeys)
        let typeName = try m.string("type")
        guard let kind = Methodology.Kind(rawValue: typeName) else {
            throw m.error(
                "type",
                "unknown methodology '\(typeName)' (known: \(Methodology.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        var meth = Methodology(kind: kind)
        if let top = try m.optionalInt("top") {
            guard top > 0 else { throw m.error("top", "must be > 0") }
            meth.top = top
        }
        if let cap = try m.optionalNumber("cap") {
            guard cap > 0, cap <= 1 else { throw m.error("cap", "must be in (0, 1]") }
            meth.cap = cap
        }
        meth.minVolume = try m.optionalNumber("min_volume") ?? 0
        guard meth.minVolume >= 0 else { throw m.error("min_volume", "must be ≥ 0") }
        meth.minMarketCap = try m.optionalNumber("min_market_cap") ?? 0
        guard meth.minMarketCap >= 0 else { throw m.error("min_market_cap", "must be ≥ 0") }
        if let sc = mObj["sector_caps"] {
            guard let scObj = sc as? [String: Any], !scObj.isEmpty else {
                throw m.error("sector_caps", "must be an object of sector → fraction, e.g. {\"Memecoins\": 0.2}")
            }
            let sr = m.child("sector_caps", scObj)
            var caps: [String: Double] = [:]
            for key in scObj.keys.sorted() {
                let v = try sr.number(key)
                guard v > 0, v <= 1 else { throw sr.error(key, "must be in (0, 1]") }
                caps[key] = v
            }
            meth.sectorCaps = caps
        }
        meth.includeNeutral = try m.optionalBool("include_neutral") ?? false
        meth.stablecoin = (try m.optionalString("stablecoin") ?? "USDC").uppercased()
        if let ro = mObj["risk_off"] {
            guard let roObj = ro as? [String: Any] else { throw m.error("risk_off", "must be an object") }
            let rr = m.child("risk_off", roObj)
            try rr.only(["medium", "high", "confirm_days"])
            if let days = try rr.optionalInt("confirm_days") {
                guard (1...365).contains(days) else { throw rr.error("confirm_days", "must be 1–365") }
                meth.confirmDays = days
            }
            meth.riskOffMedium = try rr.optionalNumber("medium") ?? meth.riskOffMedium
            meth.riskOffHigh = try rr.optionalNumber("high") ?? meth.riskOffHigh
            for (k, v) in [("medium", meth.riskOffMedium), ("high", meth.riskOffHigh)] where !(0...1).contains(v) {
                throw rr.error(k, "must be in [0, 1]")
            }
        }
        if let sma = try m.optionalInt("sma") {
            guard sma >= 2 else { throw m.error("sma", "must be ≥ 2") }
            meth.sma = sma
        }
        meth.enter = try m.optionalNumber("enter") ?? 60
        meth.exit = try m.optionalNumber("exit") ?? 40
        guard (0...100).contains(meth.enter), (0...100).contains(meth.exit), meth.exit <= meth.enter else {
            throw m.error("exit", "need 0 ≤ exit ≤ enter ≤ 100")
        }
        if let th = mObj["thresholds"] {
            guard let th = th as? [String: Any] else { throw m.error("thresholds", "must be an object") }
            let t = m.child("thresholds", th)
            try t.only(["bullish", "bearish"])
            meth.bullishAbove = try t.optionalNumber("bullish") ?? 0.1
            meth.bearishBelow = try t.optionalNumber("bearish") ?? -0.1
            guard meth.bearishBelow <= meth.bullishAbove else { throw t.error("bearish", "must be ≤ bullish") }
        }
        if kind == .fixed {
            guard let wObj = mObj["weights"] as? [String: Any], !wObj.isEmpty else {
                throw m.error("weights", "a fixed methodology needs a weights map")
            }
            let w = m.child("weights", wObj)
            var weights: [String: Double] = [:]
            for key in wObj.keys.sorted() {
                let v = try w.number(key)
                guard v >= 0 else { throw w.error(key, "must be ≥ 0") }
                weights[key.uppercased()] = v
            }
            let sum = weights.keys.sorted().reduce(0) { $0 + weights[$1]! }
            guard abs(sum - 1) <= 1e-6 else {
                throw m.error("weights", "sum to \(String(format: "%.6g", sum)), not 1")
            }
            meth.weights = weights
            if case .symbols(let list) = universe {
                let outside = weights.keys.filter { !list.contains($0) }.sorted()
                if !outside.isEmpty {
                    throw m.error(
                        "weights", String(outside.joined(separator: ", ").prefix(80)) + " not in the universe")
                }
            }
        } else if mObj["weights"] != nil {
            throw m.error("weights", "applies only to the fixed methodology")
        }

        var rule = RebalanceRule()
        if let rb = root["rebalance"] {
            guard let rbObj = rb as? [String: Any] else { throw r.error("rebalance", "must be an object") }
            let b = r.child("rebalance", rbObj)
            try b.only(["schedule", "weekday", "hour_utc", "drift_band", "drift_band_relative"])
            if let s = try b.optionalString("schedule") {
                guard let sched = Schedule(rawValue: s) else {
                    throw b.error(
                        "schedule", "'\(s)' is not one of \(Schedule.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                rule.schedule = sched
            }
            rule.weekday = try b.optionalInt("weekday") ?? 1
            guard (1...7).contains(rule.weekday) else { throw b.error("weekday", "must be 1 (Monday) to 7") }
            rule.hourUTC = try b.optionalInt("hour_utc") ?? 0
            guard (0...23).contains(rule.hourUTC) else { throw b.error("hour_utc", "must be 0–23") }
            rule.driftBand = try b.optionalNumber("drift_band")
            rule.driftBandRelative = try b.optionalNumber("drift_band_relative")
            for (k, v) in [("drift_band", rule.driftBand), ("drift_band_relative", rule.driftBandRelative)] {
                if let v, !(v > 0) { throw b.error(k, "must be > 0") }
            }
        }
        let fees = try r.optionalNumber("fees_bps") ?? 10
        let slip = try r.optionalNumber("slippage_bps") ?? 5
        let minTrade = try r.optionalNumber("min_trade") ?? 10
        for (k, v) in [("fees_bps", fees), ("slippage_bps", slip)] where !(0...1000).contains(v) {
            throw r.error(k, "must be between 0 and 1000")
        }
        guard minTrade >= 0 else { throw r.error("min_trade", "must be ≥ 0") }
        var dca: DCAPlan?
        if let d = root["dca"] {
            guard let dObj = d as? [String: Any] else { throw r.error("dca", "must be an object") }
            let dr = r.child("dca", dObj)
            try dr.only(["amount", "schedule"])
            let amount = try dr.number("amount")
            guard amount > 0 else { throw dr.error("amount", "must be > 0") }
            let s = try dr.optionalString("schedule") ?? "monthly"
            guard let sched = Schedule(rawValue: s), sched != .none else {
                throw dr.error("schedule", "'\(s)' must be daily, weekly, monthly or quarterly")
            }
            dca = DCAPlan(amount: amount, schedule: sched)
        }
        if let cap = meth.cap, case .symbols(let s) = universe, meth.top == nil, kind != .fixed,
            cap * Double(s.count) < 1 - 1e-12
        {
            throw InputError(
                file: file, field: "methodology.cap",
                "index '\(slug)': cap \(cap) × \(s.count) constituents < 1 is infeasible")
        }
        if let cap = meth.cap, let top = meth.top, cap * Double(top) < 1 - 1e-12 {
            throw InputError(
                file: file, field: "methodology.cap",
                "index '\(slug)': cap \(cap) × top \(top) < 1 is infeasible")
        }
        var spec = IndexSpec(
            slug: slug, name: name, base: base, initialCapital: capital, universe: universe,
            excludeStablecoins: exclude, methodology: meth, rebalance: rule, feesBps: fees, slippageBps: slip,
            minTrade: minTrade, dca: dca)
        spec.rankBuffer = buffer
        return spec
    }

    /// The fields a spec may have (DESIGN §4); anything else is an error that names it.
    static let topLevelKeys: Set<String> = [
        "slug", "name", "base", "initial_capital", "universe", "exclude_stablecoins", "methodology", "rebalance",
        "fees_bps", "slippage_bps", "min_trade", "dca",
    ]
    static let methodologyKeys: Set<String> = [
        "type", "top", "cap", "weights", "min_volume", "min_market_cap", "sector_caps", "include_neutral",
        "stablecoin", "risk_off", "sma", "enter", "exit", "thresholds",
    ]

    /// The spec as a JSON object in the contract's field names (what `index show --json` prints).
    public func jsonObject() -> [String: Any] {
        var m: [String: Any] = ["type": methodology.kind.rawValue]
        if let top = methodology.top { m["top"] = top }
        if let cap = methodology.cap { m["cap"] = cap }
        if let w = methodology.weights { m["weights"] = w }
        if methodology.minVolume > 0 { m["min_volume"] = methodology.minVolume }
        if methodology.minMarketCap > 0 { m["min_market_cap"] = methodology.minMarketCap }
        if let caps = methodology.sectorCaps { m["sector_caps"] = caps }
        if methodology.usesStablecoin { m["stablecoin"] = methodology.stablecoin }
        switch methodology.kind {
        case .signal:
            m["include_neutral"] = methodology.includeNeutral
            m["risk_off"] = [
                "medium": methodology.riskOffMedium, "high": methodology.riskOffHigh,
                "confirm_days": methodology.confirmDays,
            ]
            m["thresholds"] = ["bullish": methodology.bullishAbove, "bearish": methodology.bearishBelow]
        case .trend: m["sma"] = methodology.sma
        case .rsi:
            m["enter"] = methodology.enter
            m["exit"] = methodology.exit
        default: break
        }
        let u: Any
        switch universe {
        case .symbols(let s): u = s
        case .top(let n): u = rankBuffer > 0 ? ["top": n, "buffer": rankBuffer] : ["top": n]
        case .sector(let s): u = ["sector": s]
        }
        var rb: [String: Any] = ["schedule": rebalance.schedule.rawValue, "hour_utc": rebalance.hourUTC]
        if rebalance.schedule == .weekly { rb["weekday"] = rebalance.weekday }
        if let b = rebalance.driftBand { rb["drift_band"] = b }
        if let b = rebalance.driftBandRelative { rb["drift_band_relative"] = b }
        var o: [String: Any] = [
            "slug": slug, "name": name, "base": base, "initial_capital": initialCapital, "universe": u,
            "exclude_stablecoins": excludeStablecoins, "methodology": m, "rebalance": rb, "fees_bps": feesBps,
            "slippage_bps": slippageBps, "min_trade": minTrade,
        ]
        if let dca { o["dca"] = ["amount": dca.amount, "schedule": dca.schedule.rawValue] }
        return o
    }
}

/// Typed field access on a decoded JSON object with errors naming file and field path.
struct JSONReader {
    let file: String
    let object: [String: Any]
    let path: String

    func full(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    func error(_ key: String, _ message: String) -> InputError { InputError(file: file, field: full(key), message) }
    func child(_ key: String, _ obj: [String: Any]) -> JSONReader {
        JSONReader(file: file, object: obj, path: full(key))
    }

    /// Refuses any key not in `known`, naming the first (in sorted order) and the known ones.
    func only(_ known: Set<String>) throws {
        guard let bad = object.keys.sorted().first(where: { !known.contains($0) }) else { return }
        let name = bad.count > 80 ? String(bad.prefix(80)) + "…" : bad
        throw InputError(
            file: file, field: full(name), "unknown field (known: \(known.sorted().joined(separator: ", ")))")
    }

    func string(_ key: String) throws -> String {
        guard let v = try optionalString(key) else { throw error(key, "is missing") }
        return v
    }
    func optionalString(_ key: String) throws -> String? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard let s = raw as? String else { throw error(key, "must be a string") }
        return s
    }
    func number(_ key: String) throws -> Double {
        guard let v = try optionalNumber(key) else { throw error(key, "is missing") }
        return v
    }
    func optionalNumber(_ key: String) throws -> Double? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        if isJSONBool(raw) { throw error(key, "must be a number") }
        guard let n = raw as? NSNumber else { throw error(key, "'\(raw)' is not a number") }
        let v = n.doubleValue
        guard v.isFinite else { throw error(key, "must be finite") }
        return v
    }
    func int(_ key: String) throws -> Int {
        guard let v = try optionalInt(key) else { throw error(key, "is missing") }
        return v
    }
    func optionalInt(_ key: String) throws -> Int? {
        guard let v = try optionalNumber(key) else { return nil }
        guard v == v.rounded(), abs(v) < 1e9 else { throw error(key, "must be a whole number") }
        return Int(v)
    }
    func optionalBool(_ key: String) throws -> Bool? {
        guard let raw = object[key], !(raw is NSNull) else { return nil }
        guard isJSONBool(raw), let b = raw as? Bool else { throw error(key, "must be true or false") }
        return b
    }
}

/// True when a decoded JSON value is `true`/`false` (Foundation on Linux boxes booleans in a distinct NSNumber subclass).
func isJSONBool(_ v: Any) -> Bool {
    if type(of: v) == Bool.self { return true }
    return String(describing: type(of: v)).contains("Boolean")
}
