/// The plausible times of input data: every imported or followed price and signal is checked against
/// them, so a typo such as `9999-12-31` (or `0`, `99999999999`) cannot land in the store and make every
/// index look due "at" year 9999.
///
/// Default: 2009-01-03 (the Bitcoin genesis block: no crypto price is older) to one day after now.
/// `now` is passed in (IndexCore reads no clock). Configurable with `INDEXTOP_TIME_MIN` (a date) and
/// `INDEXTOP_TIME_MAX_AHEAD` (days after now), see ``TimeBounds/init(now:environment:)``.
public struct TimeBounds: Sendable, Equatable {
    /// The earliest accepted time (Unix seconds, inclusive).
    public var earliest: Int64
    /// The latest accepted time (Unix seconds, inclusive).
    public var latest: Int64

    /// 2009-01-03T00:00:00Z.
    public static let genesis: Int64 = 1_230_940_800

    /// Bounds from `earliest` to `latest`.
    public init(earliest: Int64, latest: Int64) {
        self.earliest = earliest
        self.latest = latest
    }

    /// 1970-01-01 to 9999-12-31: only what the syntax allows (in-memory parsing in tests and tools).
    public static let syntaxOnly = TimeBounds(earliest: 0, latest: 253_402_300_799)

    /// The default bounds for `now`: 2009-01-03 to `now` + 1 day.
    public static func standard(now: Int64) -> TimeBounds {
        TimeBounds(earliest: genesis, latest: now + UTCCalendar.day)
    }

    /// The bounds for `now`, overridden by `INDEXTOP_TIME_MIN` (ISO date or time, e.g. `2000-01-01`) and
    /// `INDEXTOP_TIME_MAX_AHEAD` (whole days after `now`, e.g. `7`) when they are set and valid.
    /// - Throws: `InputError` (file `environment`) naming the variable when one is set but invalid.
    public init(now: Int64, environment: [String: String]) throws {
        self = .standard(now: now)
        if let text = environment["INDEXTOP_TIME_MIN"], !text.isEmpty {
            guard let t = UTCCalendar.parse(text), t >= 0 else {
                throw InputError(
                    file: "environment", field: "INDEXTOP_TIME_MIN", "\(InputError.quote(text)) is not a date")
            }
            earliest = t
        }
        if let text = environment["INDEXTOP_TIME_MAX_AHEAD"], !text.isEmpty {
            guard let days = Int64(text), (0...36_500).contains(days) else {
                throw InputError(
                    file: "environment", field: "INDEXTOP_TIME_MAX_AHEAD",
                    "\(InputError.quote(text)) must be a whole number of days (0 to 36500)")
            }
            latest = now + days * UTCCalendar.day
        }
    }

    /// True when `time` is within the bounds.
    public func contains(_ time: Int64) -> Bool { time >= earliest && time <= latest }

    /// The message for an out-of-bounds time (the value already quoted).
    public func message(_ quoted: String) -> String {
        "\(quoted) is outside the plausible range \(UTCCalendar.isoDate(earliest)) to \(UTCCalendar.iso(latest))"
            + " (set INDEXTOP_TIME_MIN / INDEXTOP_TIME_MAX_AHEAD to change it)"
    }

    /// Parses time text (trimmed of spaces) with the one time parser and checks the bounds.
    /// - Throws: `InputError` for `file`, `line`, `field`, quoting at most 80 characters of the value.
    public func time(_ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int?, field: String = "time") throws
        -> Int64
    {
        let text = UTCCalendar.trimmed(bytes)
        switch UTCCalendar.parseTime(text) {
        case .failure(let p):
            if text.isEmpty { throw InputError(file: file, line: line, field: field, "missing") }
            throw InputError(file: file, line: line, field: field, p.message(InputError.quote(bytes: text)))
        case .success(let t):
            guard contains(t) else {
                throw InputError(file: file, line: line, field: field, message(InputError.quote(bytes: text)))
            }
            return t
        }
    }

    /// The `String` form of ``time(_:file:line:field:)``.
    public func time(_ text: String, file: String, line: Int?, field: String = "time") throws -> Int64 {
        var s = text
        return try s.withUTF8 { try time($0, file: file, line: line, field: field) }
    }

    /// Checks a time given as a JSON number of Unix seconds (`1e30` is refused here, before any
    /// conversion to an integer could trap).
    public func time(
        seconds: Double, quoted: @autoclosure () -> String, file: String, line: Int?, field: String = "time"
    )
        throws -> Int64
    {
        guard seconds.isFinite, seconds >= Double(earliest), seconds < Double(latest) + 1 else {
            throw InputError(file: file, line: line, field: field, message(quoted()))
        }
        return Int64(seconds.rounded(.down))
    }
}
