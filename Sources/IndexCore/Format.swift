/// Number and time formatting for the dashboard and the CLI's text output: the one home of these rules.
/// Deterministic (no locale, no clock: "now" is passed in), never exponent notation.
///
/// Rounding: half away from zero at the shown decimals. Prices keep at least 4 significant digits;
/// quantities at least 4 significant digits below 1; money 2 decimals; thousands grouped with `,`.
public enum Format {
    /// `v` with exactly `decimals` decimals (0...15), digits grouped by thousands when `grouped`. Never
    /// exponent notation: magnitudes beyond 2^53 are written digit by digit from their integer value.
    public static func fixed(_ v: Double, _ decimals: Int, grouped: Bool = false) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        let d = max(0, min(15, decimals))
        var scale: Double = 1
        for _ in 0..<d { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        var intPart: String
        var frac = ""
        if scaled < 9e15 {
            let n = UInt64(scaled)
            let s = UInt64(scale)
            intPart = String(n / s)
            if d > 0 {
                frac = String(n % s)
                if frac.count < d { frac = String(repeating: "0", count: d - frac.count) + frac }
            }
        } else {
            // Too large for the decimals asked: whole units (a Double this large has no fraction to show).
            intPart = wholeDigits(abs(v).rounded())
            if d > 0 { frac = String(repeating: "0", count: d) }
        }
        if grouped && intPart.count > 3 {
            var out = ""
            let count = intPart.count
            for (i, ch) in intPart.enumerated() {
                if i > 0 && (count - i) % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            intPart = out
        }
        let isZero = intPart.allSatisfy { $0 == "0" || $0 == "," } && frac.allSatisfy { $0 == "0" }
        let sign = v < 0 && !isZero ? "-" : ""
        return sign + intPart + (d > 0 ? "." + frac : "")
    }

    /// The decimal digits of a whole, non-negative `v` (any magnitude a Double holds).
    private static func wholeDigits(_ v: Double) -> String {
        if v < 9e15 { return String(UInt64(v)) }
        var digits: [Character] = []
        var x = v
        while x >= 1 {
            let q = (x / 10).rounded(.down)
            let r = Int(x - q * 10)
            digits.append(Character(String(max(0, min(9, r)))))
            x = q
        }
        return String(digits.reversed())
    }

    /// Decimals that show at least `significant` significant digits of `v` (at least `minimum`, at most 15).
    public static func decimals(forSignificant significant: Int, _ v: Double, minimum: Int = 0) -> Int {
        let a = abs(v)
        guard a > 0, a.isFinite else { return minimum }
        var digitsBefore = 0  // digits before the point (≤ 0 for a < 1: leading zeros after it)
        var x = a
        if x >= 1 {
            while x >= 1 {
                x /= 10
                digitsBefore += 1
            }
        } else {
            while x < 0.1 {
                x *= 10
                digitsBefore -= 1
            }
        }
        return max(minimum, min(15, significant - digitsBefore))
    }

    /// Money with two decimals and grouping: `$1,234.56`, `-$12.00`.
    public static func money(_ v: Double) -> String {
        let s = fixed(abs(v), 2, grouped: true)
        return (v < 0 && s != "0.00" ? "-$" : "$") + s
    }

    /// Money for tables: `$1.23B`, `$4.56M`, `$12,345`, `$1,234.56`.
    public static func compactMoney(_ v: Double) -> String {
        let a = abs(v)
        let sign = v < 0 ? "-" : ""
        if a >= 1e9 { return sign + "$" + fixed(a / 1e9, 2) + "B" }
        if a >= 1e6 { return sign + "$" + fixed(a / 1e6, 2) + "M" }
        if a >= 1e4 { return sign + "$" + fixed(a, 0, grouped: true) }
        return sign + "$" + fixed(a, 2, grouped: true)
    }

    /// A price with at least 4 significant digits and at least 2 decimals, grouped: `61,250.00`,
    /// `7.350`, `0.1523`, `0.000008500`.
    public static func price(_ v: Double) -> String {
        fixed(v, decimals(forSignificant: 4, v, minimum: 2), grouped: true)
    }

    /// A quantity, grouped, never in exponent notation: whole units from 100,000, 2 decimals from 1,000,
    /// 4 from 1, and at least 4 significant digits (6 decimals or more) below 1.
    public static func quantity(_ v: Double) -> String {
        let a = abs(v)
        let d = a >= 100_000 ? 0 : a >= 1_000 ? 2 : a >= 1 ? 4 : decimals(forSignificant: 4, v, minimum: 6)
        return fixed(v, d, grouped: true)
    }

    /// A fraction as a percentage with two decimals: 0.0123 → `+1.23%` (signed) or `1.23%`; nil → `-`.
    public static func percent(_ f: Double?, signed: Bool = false, decimals: Int = 2) -> String {
        guard let f else { return "-" }
        let s = fixed(f * 100, decimals)
        return (signed && f >= 0 && !s.hasPrefix("-") ? "+" : "") + s + "%"
    }

    /// A plain ratio with two decimals (Sharpe); nil → `-`.
    public static func ratio(_ v: Double?) -> String {
        v.map { fixed($0, 2) } ?? "-"
    }

    /// Civil date and time (UTC) of Unix seconds: year, month, day, hour, minute, second.
    public static func civil(_ t: Int64) -> (Int64, Int, Int, Int, Int, Int) {
        let day = UTCCalendar.dayNumber(t)
        let secs = t - day * 86_400
        let (y, m, d) = UTCCalendar.civil(day: day)
        return (Int64(y), m, d, Int(secs / 3600), Int(secs % 3600 / 60), Int(secs % 60))
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `2024-05-12 12:34:56` (UTC).
    public static func dateTime(_ t: Int64) -> String {
        let (y, m, d, h, mi, s) = civil(t)
        return "\(y)-\(two(m))-\(two(d)) \(two(h)):\(two(mi)):\(two(s))"
    }

    /// `05-12 12:34` (UTC) within the year of `now`; `2025-05-12` (the date with its year) otherwise, so
    /// two dates a year apart never read the same. Both fit 11 columns.
    public static func shortDateTime(_ t: Int64, now: Int64) -> String {
        let (y, m, d, h, mi, _) = civil(t)
        if y != civil(now).0 { return "\(y)-\(two(m))-\(two(d))" }
        return "\(two(m))-\(two(d)) \(two(h)):\(two(mi))"
    }

    /// `12:34:56` (UTC).
    public static func clock(_ t: Int64) -> String {
        let (_, _, _, h, mi, s) = civil(t)
        return "\(two(h)):\(two(mi)):\(two(s))"
    }

    /// An age in seconds as `5s`, `3m`, `2h`, `4d`.
    public static func age(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }
}
