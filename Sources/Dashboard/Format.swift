/// Number and time formatting for the dashboard. Deterministic (no locale) and fast.
/// Rounding: half away from zero at the shown decimals.
public enum Format {
    /// `v` with exactly `decimals` decimals (0...8), digits grouped by thousands when `grouped`.
    public static func fixed(_ v: Double, _ decimals: Int, grouped: Bool = false) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9e15 else { return String(v) }
        let n = Int64(scaled)
        let s = Int64(scale)
        var intPart = String(n / s)
        if grouped && intPart.count > 3 {
            var out = ""
            for (i, ch) in intPart.enumerated() {
                if i > 0 && (intPart.count - i) % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            intPart = out
        }
        let sign = v < 0 && n != 0 ? "-" : ""
        guard decimals > 0 else { return sign + intPart }
        var frac = String(n % s)
        if frac.count < decimals { frac = String(repeating: "0", count: decimals - frac.count) + frac }
        return sign + intPart + "." + frac
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

    /// A price with decimals by magnitude: 2 from 100, 3 from 1, 4 from 0.01, else 6.
    public static func price(_ v: Double) -> String {
        let a = abs(v)
        let d = a >= 100 ? 2 : a >= 1 ? 3 : a >= 0.01 ? 4 : 6
        return fixed(v, d, grouped: true)
    }

    /// A quantity: whole units from 10,000, 4 decimals from 1, else 6.
    public static func quantity(_ v: Double) -> String {
        let a = abs(v)
        let d = a >= 10_000 ? 0 : a >= 1 ? 4 : 6
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
        var days = t / 86_400
        var secs = t % 86_400
        if secs < 0 {
            secs += 86_400
            days -= 1
        }
        // Howard Hinnant's days-from-civil inverse.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, Int(secs / 3600), Int(secs % 3600 / 60), Int(secs % 60))
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `2024-05-12 12:34:56` (UTC).
    public static func dateTime(_ t: Int64) -> String {
        let (y, m, d, h, mi, s) = civil(t)
        return "\(y)-\(two(m))-\(two(d)) \(two(h)):\(two(mi)):\(two(s))"
    }

    /// `05-12 12:34` (UTC).
    public static func shortDateTime(_ t: Int64) -> String {
        let (_, m, d, h, mi, _) = civil(t)
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
