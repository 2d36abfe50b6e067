import IndexCore
import Testing

@Suite struct UTCCalendarTests {
    // Expected Unix times computed with python3's datetime.
    @Test(arguments: [
        ("2025-03-10", Int64(1_741_564_800)),
        ("2025-03-10T12:34:56Z", 1_741_610_096),
        ("2025-03-10T12:34:56", 1_741_610_096),
        ("2025-03-10 12:34:56", 1_741_610_096),
        ("2025-03-10T12:34Z", 1_741_610_040),
        ("2025-03-10T12:34:56.789Z", 1_741_610_096),
        ("2025-03-10T12:34:56+02:00", 1_741_602_896),
        ("2025-03-10T12:34:56-05:30", 1_741_629_896),
        ("2025-03-10T12:34:56+0200", 1_741_602_896),
        ("2025-03-10T12:34:56+02", 1_741_602_896),
        ("2024-02-29", 1_709_164_800),
        ("1970-01-01T00:00:00Z", 0),
        ("1741610096", 1_741_610_096),
        ("1741610096.9", 1_741_610_096),
        ("  2025-03-10  ", 1_741_564_800),
    ])
    func parsesISOFormsOffsetsAndUnixSeconds(text: String, expected: Int64) {
        #expect(UTCCalendar.parse(text) == expected)
    }

    @Test(arguments: [
        "", "2025-02-30", "2023-02-29", "2100-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
        "2025-1-1", "10/03/2025", "2025-03-10T24:00:00Z", "2025-03-10T12:60:00Z", "2025-03-10T12:34:61Z",
        "2025-03-10T12:34:56X", "2025-03-10T12:34:56+2", "2025-03-10T12:34:56.Z", "2025-03-10T", "abc", "-5", "1e5",
        "1000000000000000",  // 16 digits: beyond any plausible time (TimeBounds refuses far less)
    ])
    func rejectsInvalidDates(text: String) {
        #expect(UTCCalendar.parse(text) == nil)
    }

    @Test func formatsISO8601() {
        #expect(UTCCalendar.iso(1_741_610_096) == "2025-03-10T12:34:56Z")
        #expect(UTCCalendar.isoDate(1_741_610_096) == "2025-03-10")
        #expect(UTCCalendar.iso(-1) == "1969-12-31T23:59:59Z")
    }

    @Test func civilDatesRoundTrip() {
        // Every day from 1969 to 2101 converts to (y, m, d) and back, and weekdays advance by one.
        var previousWeekday = UTCCalendar.weekday(day: -366)
        for d in Int64(-365)...Int64(48_000) {
            let c = UTCCalendar.civil(day: d)
            #expect(UTCCalendar.days(year: c.year, month: c.month, day: c.day) == d)
            let w = UTCCalendar.weekday(day: d)
            #expect(w == previousWeekday % 7 + 1)
            previousWeekday = w
        }
        #expect(UTCCalendar.weekday(day: 0) == 4)  // 1970-01-01 was a Thursday
        #expect(UTCCalendar.daysIn(year: 2000, month: 2) == 29)
        #expect(UTCCalendar.daysIn(year: 1900, month: 2) == 28)
    }
}
