import Foundation
import IndexCore
import SQLiteKit

extension PortfolioStore {
    /// Stores imported signals in one transaction (replacing the same symbol, day and source).
    public func insertImportedSignals(_ list: [ImportedSignal]) throws {
        try db.transaction {
            for s in list {
                let components = try JSONSerialization.data(
                    withJSONObject: ["source": s.source, "imported": true], options: [.sortedKeys])
                try db.run(
                    """
                    INSERT INTO signals(symbol, time, score, label, components, source) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(symbol, time, source) DO UPDATE SET score = excluded.score, label = excluded.label,
                        components = excluded.components
                    """, [s.symbol, s.day, s.score, s.label, String(decoding: components, as: UTF8.self), s.source])
            }
        }
    }

    /// The newest stored signal of every asset within `days` of the newest one: the computed
    /// rating, unless the asset's newest imported signal is in force on the rating's day
    /// (``SignalPrecedence``; the source first in alphabetical order when several share a day, as
    /// `importedSignal` picks), which then borrows the rating's indicators and votes for display.
    /// Reads the signals table only (cheap: no candles are built).
    /// - Parameter through: only signals of days at or before this time count (the default: all).
    public func storedSignals(days: Int64 = 3, through: Int64 = Int64.max) throws -> [String: StoredSignal] {
        let newest = try db.scalarInt("SELECT COALESCE(MAX(time), 0) FROM signals WHERE time <= ?", [through]) ?? 0
        let ratingFrom = newest - days * UTCCalendar.day
        var ratings: [String: StoredSignal] = [:]
        var imported: [String: StoredSignal] = [:]
        // Oldest first and, within a day, sources in reverse: the last row kept per symbol is the one in force.
        for r in try db.query(
            """
            SELECT symbol, time, score, label, components, source FROM signals WHERE time >= ? AND time <= ?
            ORDER BY time, source DESC
            """,
            [newest - max(days, SignalPrecedence.maxAgeDays) * UTCCalendar.day, through], Self.storedSignal)
        {
            if r.source == "rating" {
                if r.time >= ratingFrom { ratings[r.symbol] = r }
            } else {
                imported[r.symbol] = r
            }
        }
        var out = ratings
        for (symbol, var signal) in imported {
            let rating = ratings[symbol]
            let day = UTCCalendar.dayNumber(rating?.time ?? newest)
            guard SignalPrecedence.inForce(importedDay: UTCCalendar.dayNumber(signal.time), on: day) else { continue }
            signal.indicators = rating?.indicators ?? [:]
            signal.votes = rating?.votes ?? []
            out[symbol] = signal
        }
        return out
    }

    /// The latest label per symbol (see `storedSignals`).
    public func latestSignalLabels() throws -> [String: String] {
        try storedSignals(days: 7).mapValues(\.label)
    }

    /// The newest stored market regime.
    public func storedRegime() throws -> (risk: String, breadth: Double, btcTrend: String)? {
        try db.queryOne("SELECT risk, breadth, btc_trend FROM regimes ORDER BY time DESC LIMIT 1") {
            ($0.string(0), $0.double(1), $0.string(2))
        }
    }

    /// Changes whenever stored signals or regimes change (for callers that cache what they read).
    public func signalsVersion() throws -> [Int64] {
        [
            try db.scalarInt("SELECT COALESCE(MAX(time), 0) FROM signals") ?? 0,
            try db.scalarInt(
                "SELECT COUNT(*) FROM signals WHERE time >= (SELECT COALESCE(MAX(time), 0) - 604800 FROM signals)")
                ?? 0,
            try db.scalarInt("SELECT COALESCE(MAX(time), 0) FROM regimes") ?? 0,
        ]
    }

    static func storedSignal(_ r: Row) -> StoredSignal {
        let obj = (try? JSONSerialization.jsonObject(with: Data(r.string(4).utf8))) as? [String: Any] ?? [:]
        let indicators = (obj["indicators"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Double }
        let votes = (obj["votes"] as? [[String: Any]] ?? []).compactMap { v -> StoredSignal.Vote? in
            guard let text = v["text"] as? String, let vote = v["vote"] as? Int else { return nil }
            return StoredSignal.Vote(text: text, vote: vote)
        }
        return StoredSignal(
            symbol: r.string(0), time: r.int64(1), score: r.double(2), label: r.string(3), source: r.string(5),
            indicators: indicators, votes: votes)
    }
}

/// A signal as stored: the computed rating (`source` = `rating`) or an imported one.
public struct StoredSignal: Sendable, Equatable {
    /// One rule's vote, with the text that explains it.
    public struct Vote: Sendable, Equatable {
        public var text: String
        public var vote: Int
    }
    public var symbol: String
    /// Start of the UTC day.
    public var time: Int64
    public var score: Double
    public var label: String
    public var source: String
    /// Indicator values by their contract names (`rsi14`, `macd_hist`, `roc7`...); absent = no value.
    public var indicators: [String: Double]
    public var votes: [Vote]
}
