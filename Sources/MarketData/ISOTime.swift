import IndexCore

/// The feeds' name for the one time parser and formatter (`UTCCalendar`), kept so provider clients read
/// naturally; no parsing rule lives here.
enum ISOTime {
    /// Parses ISO-8601 or Unix seconds with `UTCCalendar.parse` (strict: `2024-02-31` is nil).
    static func parse(_ text: String) -> Int64? { UTCCalendar.parse(text) }

    /// ISO-8601 UTC text of Unix seconds, e.g. `2024-05-01T12:00:00Z`.
    static func format(_ seconds: Int64) -> String { UTCCalendar.iso(seconds) }
}
