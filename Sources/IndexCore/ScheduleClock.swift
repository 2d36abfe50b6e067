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
