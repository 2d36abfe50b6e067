import Foundation
import IndexCore
import SQLiteKit

/// A stored alert (table `alerts`).
public struct AlertRecord: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        case new, acknowledged, cleared
    }
    public var id: Int64
    public var key: AlertKey
    /// When it was raised and last seen holding, Unix seconds.
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// When its condition ended; nil while it holds.
    public var clearedAt: Int64?
    public var state: State
    public var message: String

    /// The contract JSON shape (`alerts --json`, and what `alert_command` reads on stdin).
    public var json: JSON {
        JSON(
            id: id, kind: key.kind.rawValue, index: key.index.isEmpty ? nil : key.index,
            asset: key.asset.isEmpty ? nil : key.asset, state: state.rawValue, firstSeen: UTCCalendar.iso(firstSeen),
            lastSeen: UTCCalendar.iso(lastSeen), clearedAt: clearedAt.map(UTCCalendar.iso), message: message)
    }

    /// `{id, kind, index, asset, state, first_seen, last_seen, cleared_at, message}`; absent index,
    /// asset and cleared_at are `null`; times ISO-8601 UTC.
    public struct JSON: Encodable, Sendable, Equatable {
        public var id: Int64
        public var kind: String
        public var index: String?
        public var asset: String?
        public var state: String
        public var firstSeen: String
        public var lastSeen: String
        public var clearedAt: String?
        public var message: String

        enum CodingKeys: String, CodingKey {
            case id, kind, index, asset, state, message
            case firstSeen = "first_seen"
            case lastSeen = "last_seen"
            case clearedAt = "cleared_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(kind, forKey: .kind)
            try c.encode(index, forKey: .index)
            try c.encode(asset, forKey: .asset)
            try c.encode(state, forKey: .state)
            try c.encode(firstSeen, forKey: .firstSeen)
            try c.encode(lastSeen, forKey: .lastSeen)
            try c.encode(clearedAt, forKey: .clearedAt)
            try c.encode(message, forKey: .message)
        }
    }
}

/// What the store cannot see itself: the vault's keys and the running feeds. A nil field means
/// "not known here", and alerts of that kind are left as they are.
public struct AlertContext: Sendable {
    public var keys: [AlertInputs.Key]?
    public var feeds: [AlertInputs.Feed]?
    /// When true and this connection has no candle cache, the due rule is judged without the computed
    /// regime (a risk-off change is then reported by the `regime` alert, from the stored regimes): the
    /// feed sink sets it, so evaluating after a tick never loads the whole price history.
    public var coldSignalsOnly: Bool
    public init(keys: [AlertInputs.Key]? = nil, feeds: [AlertInputs.Feed]? = nil, coldSignalsOnly: Bool = false) {
        self.keys = keys
        self.feeds = feeds
        self.coldSignalsOnly = coldSignalsOnly
    }
}

/// The outcome of one evaluation.
public struct AlertReport: Sendable {
    /// Alerts raised by this evaluation (new rows), by id.
    public var raised: [AlertRecord]
    /// Alerts whose condition ended.
    public var cleared: Int
    /// Alerts open (new or acknowledged) afterwards.
    public var open: Int
}

extension PortfolioStore {
    /// Evaluates every alert rule and reconciles the result with the stored alerts, in one
    /// transaction: a condition without an open alert raises one (`new`), an open alert whose
    /// condition holds gets its `last_seen` and message updated, and one whose condition ended is
    /// `cleared`. Runs on the writer (feed sink, commands), never the UI queue.
    /// - Parameters:
    ///   - now: wall-clock Unix seconds (first/last seen, key expiry, feed age).
    ///   - context: keys and feeds, when the caller knows them.
    @discardableResult
    public func evaluateAlerts(now: Int64, context: AlertContext = AlertContext()) throws -> AlertReport {
        try db.transaction {
            let inputs = try alertInputs(now: now, context: context)
            return try reconcileAlerts(AlertRules.evaluate(inputs), now: now)
        }
    }

    /// Gathers the inputs of the alert rules from the database (indices at the latest price time).
    public func alertInputs(now: Int64, context: AlertContext) throws -> AlertInputs {
        let t = try latestPriceTime() ?? now
        let regimes: [String] = try db.query("SELECT risk FROM regimes ORDER BY time DESC LIMIT 60") {
            $0.string(0)
        }.reversed()
        var indices: [AlertInputs.Index] = []
        let savedSignals = signalTargets
        let computed = signalTargets != nil && !(context.coldSignalsOnly && signalCache == nil)
        if !computed { signalTargets = nil }
        defer { signalTargets = savedSignals }
        for idx in try self.indices() {
            let v = try valuation(idx, at: t)
            let due = try dueTrigger(idx, at: t, valuation: v)
            let dca = try nextDCA(idx).map { $0 <= t } ?? false
            let members = v.holdings.filter { $0.quantity > 0 || $0.target > 0 }.map(\.symbol)
            let signal = idx.spec.methodology.kind == .signal
            var change: (from: String, to: String)?
            if signal && computed {
                // The index's own regime in force (its universe, its confirmation days), today and yesterday.
                let now = try regimeInForce(idx.spec, at: t)
                let before = try regimeInForce(idx.spec, at: t - UTCCalendar.day)
                if now != before { change = (before.rawValue, now.rawValue) }
            } else if signal {
                // Without candles: the stored market regimes, with the index's confirmation days.
                change = AlertRules.confirmedChange(regimes, confirmDays: idx.spec.methodology.confirmDays)
            }
            indices.append(
                AlertInputs.Index(
                    slug: idx.slug, rule: idx.spec.rebalance,
                    weights: v.holdings.map { .init($0.symbol, weight: $0.weight, target: $0.target) },
                    dueTrigger: due?.rawValue, dcaDue: dca, constituents: members,
                    regimeConfirmDays: signal ? idx.spec.methodology.confirmDays : nil,
                    regimeChange: change))
        }
        let current = try storedSignals(days: 7)
        var signals: [String: AlertInputs.LabelChange] = [:]
        if let newest = current.values.map(\.time).max() {
            let previous = try storedSignals(days: 7, through: newest - 1)
            for (symbol, s) in current where s.time == newest {
                signals[symbol] = .init(previous: previous[symbol]?.label, current: s.label)
            }
        }
        return AlertInputs(
            now: now, indices: indices, signals: signals, regimeHistory: regimes, keys: context.keys,
            feeds: context.feeds)
    }

    /// Reconciles `evaluation` with the stored alerts (see `evaluateAlerts`); call inside a transaction.
    func reconcileAlerts(_ evaluation: AlertEvaluation, now: Int64) throws -> AlertReport {
        var open: [AlertKey: AlertRecord] = [:]
        for a in try alerts(where: "state != 'cleared'") { open[a.key] = a }
        var raised: [AlertRecord] = []
        var holding = Set<AlertKey>()
        for c in evaluation.conditions {
            holding.insert(c.key)
            if let a = open[c.key] {
                try db.run(
                    "UPDATE alerts SET last_seen = ?, message = ? WHERE id = ?",
                    [max(a.lastSeen, now), c.message, a.id])
            } else {
                try db.run(
                    """
                    INSERT INTO alerts(kind, index_slug, asset, first_seen, last_seen, state, message)
                    VALUES (?, ?, ?, ?, ?, 'new', ?)
                    """, [c.key.kind.rawValue, c.key.index, c.key.asset, now, now, c.message])
                raised.append(
                    AlertRecord(
                        id: db.lastInsertRowID, key: c.key, firstSeen: now, lastSeen: now, clearedAt: nil, state: .new,
                        message: c.message))
            }
        }
        var cleared = 0
        for (key, a) in open.sorted(by: { $0.key < $1.key })
        where evaluation.covers(key) && !holding.contains(key) {
            try db.run("UPDATE alerts SET state = 'cleared', cleared_at = ? WHERE id = ?", [now, a.id])
            cleared += 1
        }
        return AlertReport(raised: raised, cleared: cleared, open: open.count - cleared + raised.count)
    }

    /// Stored alerts, newest first: open ones (new or acknowledged), or every one when `all`.
    public func alerts(all: Bool = false) throws -> [AlertRecord] {
        try alerts(where: all ? "1" : "state != 'cleared'")
    }

    func alerts(where condition: String, _ arguments: [any Bindable] = []) throws -> [AlertRecord] {
        try db.query(
            """
            SELECT id, kind, index_slug, asset, first_seen, last_seen, cleared_at, state, message FROM alerts
            WHERE \(condition) ORDER BY first_seen DESC, id DESC
            """, arguments
        ) { r in
            AlertRecord(
                id: r.int64(0),
                key: AlertKey(AlertKind(rawValue: r.string(1)) ?? .feed, index: r.string(2), asset: r.string(3)),
                firstSeen: r.int64(4), lastSeen: r.int64(5), clearedAt: r.optionalInt64(6),
                state: AlertRecord.State(rawValue: r.string(7)) ?? .new, message: r.string(8))
        }
    }

    /// Marks alert `id` acknowledged (a cleared one stays cleared) and returns it.
    /// - Throws: `StoreError` when there is no such alert.
    @discardableResult
    public func acknowledgeAlert(_ id: Int64) throws -> AlertRecord {
        try db.transaction {
            try db.run("UPDATE alerts SET state = 'acknowledged' WHERE id = ? AND state = 'new'", [id])
            guard let a = try alerts(where: "id = ?", [id]).first else { throw StoreError("no alert \(id)") }
            return a
        }
    }

    /// The setting holding the time `alert_command` last ran.
    static let hookLastRunSetting = "alert_hook_last_run"

    /// Claims the alerts whose `alert_command` runs now, in one transaction: nothing when the last
    /// run was less than `minInterval` seconds ago; else the oldest alert still `new`, less than a day
    /// old and never run (every such alert when `minInterval` is 0). Each is recorded as run
    /// (`hook_run`) so it is never run twice, even by another process.
    public func claimAlertsForHook(now: Int64, minInterval: Double) throws -> [AlertRecord] {
        try db.transaction {
            let last = try setting(Self.hookLastRunSetting).flatMap { Int64($0) }
            if let last, minInterval > 0, Double(now - last) < minInterval { return [] }
            var pending: [AlertRecord] = try alerts(
                where: "state = 'new' AND hook_run IS NULL AND first_seen >= ?", [now - UTCCalendar.day]
            ).reversed()
            if minInterval > 0 { pending = Array(pending.prefix(1)) }
            for a in pending { try db.run("UPDATE alerts SET hook_run = ? WHERE id = ?", [now, a.id]) }
            if !pending.isEmpty { try setSetting(Self.hookLastRunSetting, String(now)) }
            return pending
        }
    }
}
