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

    /// Parses Unix seconds (`1700000000`, optionally fractional, truncated), `YYYY-MM-DD`, or ISO-8601
    /// date-times (`YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` with `Z`, `±HH:MM`, `±HHMM`, `±HH` or no zone = UTC).
    /// Surrounding spaces are ignored. Nil when malformed or not a calendar date (`2024-02-31`). No bounds:
    /// inputs check ``TimeBounds`` too.
    public static func parse(_ text: String) -> Int64? {
        var s = text
        return s.withUTF8 { try? parseTime(trimmed($0)).get() }
    }

    /// Why time text was refused.
    public enum TimeProblem: Error, Sendable, Equatable {
        /// Not ISO-8601 or Unix seconds.
        case malformed
        /// Well formed but no such day or time (`2024-02-31`, `25:00`).
        case invalidDate
        /// A zone offset beyond ±14:00 or with minutes ≥ 60.
        case badOffset

        /// The problem as a message about `quoted` (already quoted).
        public func message(_ quoted: String) -> String {
            switch self {
            case .malformed: return "\(quoted) is not ISO-8601 or Unix seconds"
            case .invalidDate: return "\(quoted) is not a valid calendar date and time"
            case .badOffset: return "\(quoted) has a zone offset outside -14:00...+14:00"
            }
        }
    }

    /// The one time parser (every file format, feed and option uses it): the syntax of ``parse(_:)`` on
    /// bytes, without trimming, reporting why text is refused. Pure and allocation-free.
    public static func parseTime(_ u: UnsafeBufferPointer<UInt8>) -> Result<Int64, TimeProblem> {
        let n = u.count
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= n else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = u[i] &- 48
                guard c < 10 else { return nil }
                v = v * 10 + Int(c)
            }
            return v
        }
        guard n > 0 else { return .failure(.malformed) }
        if n < 5 || u[4] != 45 {
            // Unix seconds: digits, optionally a fraction (truncated).
            var i = 0
            var v: Int64 = 0
            while i < n, u[i] &- 48 < 10 {
                guard i < 15 else { return .failure(.malformed) }
                v = v * 10 + Int64(u[i] &- 48)
                i += 1
            }
            guard i > 0 else { return .failure(.malformed) }
            if i < n, u[i] == 46 {
                i += 1
                while i < n, u[i] &- 48 < 10 { i += 1 }
            }
            return i == n ? .success(v) : .failure(.malformed)
        }
        guard n >= 10, let y = num(0, 4), u[4] == 45, let mo = num(5, 2), u[7] == 45, let d = num(8, 2) else {
            return .failure(.malformed)
        }
        guard (1...12).contains(mo), d >= 1, d <= daysIn(year: y, month: mo) else { return .failure(.invalidDate) }
        var t = days(year: y, month: mo, day: d) * day
        if n == 10 { return .success(t) }
        guard u[10] == 84 || u[10] == 116 || u[10] == 32, n >= 16, let hh = num(11, 2), u[13] == 58,
            let mm = num(14, 2)
        else { return .failure(.malformed) }
        guard hh < 24, mm < 60 else { return .failure(.invalidDate) }
        t += Int64(hh * 3600 + mm * 60)
        var i = 16
        if i < n, u[i] == 58 {
            guard let ss = num(17, 2) else { return .failure(.malformed) }
            guard ss <= 60 else { return .failure(.invalidDate) }
            t += Int64(ss)
            i = 19
            if i < n, u[i] == 46 {
                i += 1
                let start = i
                while i < n, u[i] &- 48 < 10 { i += 1 }
                if i == start { return .failure(.malformed) }
            }
        }
        if i == n { return .success(t) }
        if u[i] == 90 || u[i] == 122 { return i + 1 == n ? .success(t) : .failure(.malformed) }
        guard u[i] == 43 || u[i] == 45, let oh = num(i + 1, 2) else { return .failure(.malformed) }
        var om = 0
        if i + 3 == n {
        } else if i + 6 == n, u[i + 3] == 58, let m = num(i + 4, 2) {
            om = m
        } else if i + 5 == n, let m = num(i + 3, 2) {
            om = m
        } else {
            return .failure(.malformed)
        }
        guard om < 60, oh * 60 + om <= 14 * 60 else { return .failure(.badOffset) }
        let offset = Int64(oh * 3600 + om * 60)
        return .success(u[i] == 43 ? t - offset : t + offset)
    }

    /// `bytes` without leading and trailing spaces and tabs.
    public static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = bytes.count
        while lo < hi, bytes[lo] == 32 || bytes[lo] == 9 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 32 || bytes[hi - 1] == 9 { hi -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[lo..<hi])
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
