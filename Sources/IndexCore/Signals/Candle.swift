import Foundation

/// One UTC day of an asset's prices: open, high, low and close of the observed prices, with the day's
/// last reported 24 h volume and market cap (USD).
public struct Candle: Sendable, Hashable, Codable {
    /// Unix day number: `floor(unixSeconds / 86 400)`; day 0 is 1970-01-01 (UTC).
    public var day: Int
    /// First price of the day.
    public var open: Double
    /// Highest price of the day.
    public var high: Double
    /// Lowest price of the day.
    public var low: Double
    /// Close of that candle.
    public var close: Double
    /// Last 24 h volume reported during the day (USD), or nil when no price of the day carried one.
    public var volume: Double?
    /// Last market cap reported during the day (USD), or nil when no price of the day carried one.
    public var marketCap: Double?

    /// Creates a candle; `day` is a Unix day number (see ``day``).
    public init(
        day: Int, open: Double, high: Double, low: Double, close: Double, volume: Double? = nil,
        marketCap: Double? = nil
    ) {
        self.day = day
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.marketCap = marketCap
    }

    /// Unix seconds of the start (00:00 UTC) of the candle's day.
    public var startTime: Int64 { Int64(day) * Candle.secondsPerDay }

    /// Seconds in a UTC day (no leap seconds, as Unix time).
    public static let secondsPerDay: Int64 = 86_400

    /// The Unix day number holding a Unix time (floor division, so times before 1970 fall on negative days).
    public static func day(of unixSeconds: Int64) -> Int {
        let (q, r) = unixSeconds.quotientAndRemainder(dividingBy: secondsPerDay)
        return Int(r < 0 ? q - 1 : q)
    }
}
