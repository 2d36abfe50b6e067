import Foundation

/// Civil-date arithmetic on Unix time, UTC only (no Foundation calendars: fast and deterministic).
public enum UTCCalendar {
    /// Seconds in a day.
    public static let day: Int64 = 86_400

    /// The Unix day number (days since 1970-01-01) containing `time`.
    public static func dayNumber(_ time: Int64) -> Int64 {
        time >= 0 ? time / day : (time - day + 1) / day
    }

    /// ISO weekday of Unix day `d`: 1 = Monday … 7 = Sunday.
    public static func weekday(day d: Int64) -> Int {
        Int(((d % 7) + 7 + 3) % 7) + 1
    }

    /// (year, month 1–12, day 1–31) of Unix day `z` (Hinnant's civil_from_days).
    public static func civil(day z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Unix day of (year, month, day) (Hinnant's days_from_civil).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `time` as ISO-8601 UTC (`2026-11-29T00:00:00Z`).
    public static func iso(_ time: Int64) -> String {
        let d = dayNumber(time)
        let c = civil(day: d)
        let s = time - d * day
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, Int(s / 3600), Int(s / 60 % 60),
            Int(s % 60))
    }

    /// `time` as a date (`2026-11-29`).
    public static func isoDate(_ time: Int64) -> String {
        let c = civil(day: dayNumber(time))
        return String(format: "%04d-%02d-%02d", c.year, c.month, c.day)
    }

    /// Parses Unix seconds (`1700000000`, optionally fractional), `YYYY-MM-DD`, or ISO-8601 date-times
    /// (`YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z`, `±HH:MM` or no zone = UTC). Nil when malformed.
    public static func parse(_ text: String) -> Int64? {
        // Trimming through Foundation costs more than the parse: only when there is something to trim.
        let u0 = text.utf8
        let s =
            u0.first.map { $0 != 32 && $0 != 9 } == true && u0.last.map { $0 != 32 && $0 != 9 } == true
            ? text : text.trimmingCharacters(in: .whitespaces)
        if s.isEmpty { return nil }
        if s.allSatisfy({ $0.isNumber || $0 == "." }), s.first!.isNumber {
            guard let v = Double(s), v.isFinite, v < 1e11 else { return nil }
            return Int64(v.rounded(.down))
        }
        let u = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= u.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = u[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard u.count >= 10, let y = num(0, 4), u[4] == 45, let mo = num(5, 2), u[7] == 45, let d = num(8, 2),
            (1...12).contains(mo), d >= 1, d <= daysIn(year: y, month: mo)
        else { return nil }
        var t = days(year: y, month: mo, day: d) * day
        if u.count == 10 { return t }
        guard u[10] == 84 || u[10] == 32, let hh = num(11, 2), u.count >= 16, u[13] == 58, let mm = num(14, 2),
            hh < 24, mm < 60
        else { return nil }
        t += Int64(hh * 3600 + mm * 60)
        var i = 16
        if i < u.count, u[i] == 58 {
            guard let ss = num(17, 2), ss < 61 else { return nil }
            t += Int64(ss)
            i = 19
            if i < u.count, u[i] == 46 {
                i += 1
                let start = i
                while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
                if i == start { return nil }
            }
        }
        if i == u.count { return t }
        if u[i] == 90, i + 1 == u.count { return t }
        if u[i] == 43 || u[i] == 45, let oh = num(i + 1, 2) {
            var om = 0
            if i + 3 == u.count {
            } else if i + 6 == u.count, u[i + 3] == 58, let m = num(i + 4, 2) {
                om = m
            } else if i + 5 == u.count, let m = num(i + 3, 2) {
                om = m
            } else {
                return nil
            }
            let offset = Int64(oh * 3600 + om * 60)
            return u[i] == 43 ? t - offset : t + offset
        }
        return nil
    }

    /// Days in `month` of `year`.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
