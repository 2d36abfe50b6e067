import Foundation

/// The alert rules (DESIGN §10): which conditions hold for some ``AlertInputs``. Pure.
public enum AlertRules {
    /// Days a regime change must hold before it counts, when a spec gives none (DESIGN §5).
    public static let defaultConfirmDays = 3
    /// A key is reported this many days before it expires.
    public static let keyWarningDays: Int64 = 14

    /// Evaluates every rule. Deterministic: conditions come out sorted by key.
    public static func evaluate(_ input: AlertInputs) -> AlertEvaluation {
        var out: [AlertCondition] = []
        var evaluated: Set<AlertKind> = [.drift, .signal, .regime, .due]
        let market = confirmedChange(input.regimeHistory, confirmDays: input.marketConfirmDays)
        if let market {
            out.append(
                AlertCondition(
                    AlertKey(.regime),
                    "market regime \(market.from) → \(market.to) (held \(input.marketConfirmDays) days)"))
        }
        for idx in input.indices {
            if let c = drift(idx) { out.append(c) }
            if let c = due(idx) { out.append(c) }
            for symbol in Set(idx.constituents).sorted() {
                guard let l = input.signals[symbol], let prev = l.previous, prev != l.current else { continue }
                out.append(
                    AlertCondition(
                        AlertKey(.signal, index: idx.slug, asset: symbol),
                        "\(idx.slug): \(symbol) signal \(prev) → \(l.current)"))
            }
            if let c = idx.regimeChange {
                out.append(
                    AlertCondition(
                        AlertKey(.regime, index: idx.slug),
                        "\(idx.slug): regime \(c.from) → \(c.to) (held \(idx.regimeConfirmDays ?? 1) days)"))
            }
        }
        if let keys = input.keys {
            evaluated.insert(.key)
            out += keyConditions(keys, now: input.now)
        }
        if let feeds = input.feeds {
            evaluated.insert(.feed)
            out += feeds.compactMap { feed($0, now: input.now) }
        }
        out.sort { $0.key < $1.key }
        return AlertEvaluation(
            conditions: out, evaluated: evaluated, feedNames: Set(input.feeds?.map(\.name) ?? []))
    }

    /// The drift condition of one index: the constituent furthest from its target among those
    /// beyond the band (the rule is `RebalanceRule.driftBreaches`).
    static func drift(_ idx: AlertInputs.Index) -> AlertCondition? {
        let breaches = idx.rule.driftBreaches(idx.weights.map { ($0.symbol, $0.weight, $0.target) })
        guard
            let worst = breaches.max(by: { a, b in
                abs(a.drift) != abs(b.drift) ? abs(a.drift) < abs(b.drift) : a.symbol > b.symbol
            })
        else { return nil }
        var band: [String] = []
        if let b = idx.rule.driftBand { band.append("±\(points(b)) pts") }
        if let b = idx.rule.driftBandRelative { band.append("±\(percent(b)) relative") }
        let more = breaches.count > 1 ? " and \(breaches.count - 1) more" : ""
        return AlertCondition(
            AlertKey(.drift, index: idx.slug),
            "\(idx.slug): \(worst.symbol) at \(percent(worst.weight)) vs target \(percent(worst.target)), beyond the band \(band.joined(separator: ", "))\(more)"
        )
    }

    static func due(_ idx: AlertInputs.Index) -> AlertCondition? {
        var parts: [String] = []
        if let t = idx.dueTrigger { parts.append("rebalance due (\(t))") }
        if idx.dcaDue { parts.append("DCA deposit due") }
        guard !parts.isEmpty else { return nil }
        return AlertCondition(AlertKey(.due, index: idx.slug), "\(idx.slug): " + parts.joined(separator: "; "))
    }

    /// One condition per key id: rejected, else expired, else expiring within 14 days (the most
    /// severe among its versions that are not retired; expiry counts for usable versions only).
    static func keyConditions(_ keys: [AlertInputs.Key], now: Int64) -> [AlertCondition] {
        var out: [AlertCondition] = []
        let byID = Dictionary(grouping: keys.filter { !$0.retired }, by: \.id)
        for id in byID.keys.sorted() {
            let versions = byID[id, default: []].sorted { $0.version < $1.version }
            let message: String?
            if let r = versions.last(where: \.rejected) {
                message = "key \(id) v\(r.version) was rejected by its provider"
            } else if let e = versions.last(where: { $0.usable && $0.expires <= now }),
                !versions.contains(where: { $0.usable && $0.expires > now })
            {
                message = "key \(id) v\(e.version) expired on \(UTCCalendar.iso(e.expires))"
            } else if let live = versions.filter({ $0.usable && $0.expires > now }).max(by: { $0.expires < $1.expires }
            ),
                live.expires - now <= keyWarningDays * UTCCalendar.day
            {
                let days = (live.expires - now + UTCCalendar.day - 1) / UTCCalendar.day
                message =
                    "key \(id) v\(live.version) expires in \(days) day\(days == 1 ? "" : "s") (\(UTCCalendar.iso(live.expires)))"
            } else {
                message = nil
            }
            if let message { out.append(AlertCondition(AlertKey(.key, asset: id), message)) }
        }
        return out
    }

    static func feed(_ f: AlertInputs.Feed, now: Int64) -> AlertCondition? {
        let key = AlertKey(.feed, asset: f.name)
        if let e = f.stoppedError { return AlertCondition(key, "feed \(f.name) stopped: \(e)") }
        guard let t = f.lastPriceTime, f.staleAfter > 0 else { return nil }
        let age = Double(now - t)
        guard age > f.staleAfter else { return nil }
        return AlertCondition(
            key, "feed \(f.name) is stale: last price \(Int(age)) s ago (stale after \(Int(f.staleAfter)) s)")
    }

    /// The change of the regime in force made on the newest day of `history` (daily risk levels,
    /// oldest first, one a day), if any: `Regime.confirmed` on the newest day and on the day before
    /// (days before the history count as its first day).
    public static func confirmedChange(_ history: [String], confirmDays: Int) -> (from: String, to: String)? {
        guard history.count >= 2 else { return nil }
        let levels = history.map { RiskLevel(rawValue: $0) ?? .low }
        let raw = { (d: Int) in levels[min(max(0, d), levels.count - 1)] }
        let now = Regime.confirmed(day: levels.count - 1, confirmDays: confirmDays, raw: raw)
        let before = Regime.confirmed(day: levels.count - 2, confirmDays: confirmDays, raw: raw)
        return now != before ? (before.rawValue, now.rawValue) : nil
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    static func points(_ x: Double) -> String { String(format: "%.1f", x * 100) }
}
