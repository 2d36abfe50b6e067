/// Scheduled rebalance moments (DESIGN §4): each at `hour_utc` on the schedule's days.
public enum ScheduleClock {
    /// The first scheduled moment strictly after `time` (Unix seconds), or nil for `none`.
    public static func next(after time: Int64, schedule: Schedule, weekday: Int = 1, hourUTC: Int = 0) -> Int64? {
        let hour = Int64(hourUTC) * 3600
        var day = UTCCalendar.dayNumber(time)
        switch schedule {
        case .none:
            return nil
        case .daily:
            let t = day * UTCCalendar.day + hour
            return t > time ? t : t + UTCCalendar.day
        case .weekly:
            for _ in 0..<15 {
                let t = day * UTCCalendar.day + hour
                if UTCCalendar.weekday(day: day) == weekday, t > time { return t }
                day += 1
            }
            return nil
        case .monthly, .quarterly:
            var c = UTCCalendar.civil(day: day)
            for _ in 0..<30 {
                let isQuarterStart = (c.month - 1) % 3 == 0
                if schedule == .monthly || isQuarterStart {
                    let t = UTCCalendar.days(year: c.year, month: c.month, day: 1) * UTCCalendar.day + hour
                    if t > time { return t }
                }
                c.month += 1
                if c.month > 12 {
                    c.month = 1
                    c.year += 1
                }
            }
            return nil
        }
    }

    /// True when a scheduled moment lies in (`last`, `now`]: the rebalance is due at the first
    /// price at or after that moment.
    public static func isDue(last: Int64, now: Int64, schedule: Schedule, weekday: Int = 1, hourUTC: Int = 0) -> Bool {
        guard let t = next(after: last, schedule: schedule, weekday: weekday, hourUTC: hourUTC) else { return false }
        return t <= now
    }
}

/// The pure decisions of the schedule (DESIGN §4–§6), shared by the live path (`runDue`) and the
/// backtest engine so both decide the same thing from the same state.
extension ScheduleClock {
    /// When an index next rebalances on its schedule: the first scheduled moment after its last full
    /// rebalance (or creation) and after the last check that found nothing to trade. Nil for `none`.
    public static func nextRebalance(lastFull: Int64?, created: Int64, checked: Int64?, rule: RebalanceRule)
        -> Int64?
    {
        var last = lastFull ?? created
        if let checked { last = max(last, checked) }
        return next(after: last, schedule: rule.schedule, weekday: rule.weekday, hourUTC: rule.hourUTC)
    }

    /// When the spec's DCA plan next deposits (nil without a plan): after the last DCA deposit, or the
    /// creation when there was none.
    public static func nextDCA(lastDCA: Int64?, created: Int64, spec: IndexSpec) -> Int64? {
        guard let dca = spec.dca else { return nil }
        return next(
            after: lastDCA ?? created, schedule: dca.schedule, weekday: spec.rebalance.weekday,
            hourUTC: spec.rebalance.hourUTC)
    }

    /// True when any weight is beyond the rule's absolute or relative band. `weights` and `targets`
    /// are aligned; a pair with both 0 never drifts.
    public static func drifted(weights: [Double], targets: [Double], rule: RebalanceRule) -> Bool {
        guard rule.driftBand != nil || rule.driftBandRelative != nil else { return false }
        for i in weights.indices where drifted(weight: weights[i], target: targets[i], rule: rule) { return true }
        return false
    }

    /// True when one weight is beyond the rule's absolute or relative band.
    @inline(__always)
    public static func drifted(weight: Double, target: Double, rule: RebalanceRule) -> Bool {
        if let band = rule.driftBand, abs(weight - target) > band + 1e-12 { return true }
        if let band = rule.driftBandRelative, target > 0, abs(weight - target) / target > band + 1e-12 { return true }
        return false
    }

    /// Why an index needs a rebalance at `time`: the schedule first (reported as `risk-off` when the
    /// regime in force changed since the last rebalance), then a regime change, then drift.
    /// `drifted` is evaluated only when nothing else is due.
    public static func dueTrigger(
        nextScheduled: Int64?, at time: Int64, regimeChanged: Bool, drifted: () throws -> Bool
    ) rethrows -> RebalanceTrigger? {
        if let next = nextScheduled, next <= time { return regimeChanged ? .riskOff : .scheduled }
        if regimeChanged { return .riskOff }
        return try drifted() ? .drift : nil
    }

    /// The reason recorded with a rebalance of `trigger` (the schedule's name, the new regime, drift).
    public static func reason(_ trigger: RebalanceTrigger, spec: IndexSpec, risk: RiskLevel?) -> String {
        switch trigger {
        case .scheduled: return "\(spec.rebalance.schedule.rawValue) rebalance"
        case .riskOff: return "regime changed to \(risk?.rawValue ?? "unknown") risk"
        default: return "drift beyond band"
        }
    }
}
