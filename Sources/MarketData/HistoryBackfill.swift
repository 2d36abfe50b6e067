import Foundation
import IndexCore
import PortfolioStore

/// A provider of daily history (CoinGecko, Binance).
public protocol HistorySource: Sendable {
    /// `coingecko` or `binance`: the prices' `source` and the messages' prefix.
    var name: String { get }
    /// Why `asset` cannot be asked for (no CoinGecko id, the quote currency itself), or nil.
    func unsupported(_ asset: Asset) -> String?
    /// Daily points of `asset` from `from` (Unix s, a day start) up to `now`.
    /// - Throws: ``FeedError``; `.badResponse` for an asset the provider does not know.
    func dailyHistory(for asset: Asset, from: Int64, now: Int64) throws -> [PricePoint]
    /// What to tell the user about an asset the provider did not return.
    var missingHint: String { get }
}

/// What a backfill did.
public struct BackfillReport: Sendable, Equatable {
    /// Assets asked for (not yet covered).
    public var fetched: [String] = []
    /// Assets whose every day was already stored: no request made.
    public var skipped: [String] = []
    /// Rows added.
    public var stored = 0
    /// Assets the provider did not return, with the reason (`HTTP 404: coin not found`).
    public var missing: [Missing] = []

    public struct Missing: Sendable, Equatable {
        public var symbol: String
        public var reason: String
    }

    public init() {}
}

/// `indextop fetch --history DAYS`: daily prices, caps and volumes for the days an asset has no
/// stored price yet, one asset at a time, each in its own transaction, so a second run adds
/// nothing and an interrupted run resumes where it stopped (DESIGN §8). Signals and NAVs are
/// recomputed once at the end.
public struct HistoryBackfill: Sendable {
    public let source: any HistorySource
    public let reporter: ProgressReporter?

    public init(source: any HistorySource, reporter: ProgressReporter? = nil) {
        self.source = source
        self.reporter = reporter
    }

    /// Backfills the last `days` UTC days (today included) of `assets` into `store`.
    /// - Throws: ``FeedError`` when the provider refuses the key or keeps rate limiting (what
    ///   was stored stays); other per-asset failures are reported in ``BackfillReport/missing``.
    public func run(_ assets: [Asset], days: Int, store: PortfolioStore, now: Int64) throws -> BackfillReport {
        var report = BackfillReport()
        let today = UTCCalendar.dayNumber(now)
        let firstDay = today - Int64(max(days, 1)) + 1
        let label = "\(source.name) history"
        defer { reporter?.finish() }
        for (n, asset) in assets.enumerated() {
            reporter?.progress(label, done: n, total: assets.count, unit: "assets")
            if let reason = source.unsupported(asset) {
                report.missing.append(.init(symbol: asset.symbol, reason: reason))
                continue
            }
            let covered = try store.coveredDays(asset.symbol, from: firstDay * UTCCalendar.day)
            guard let firstMissing = (firstDay...today).first(where: { !covered.contains($0) }) else {
                report.skipped.append(asset.symbol)
                continue
            }
            report.fetched.append(asset.symbol)
            let points: [PricePoint]
            do {
                points = try source.dailyHistory(for: asset, from: firstMissing * UTCCalendar.day, now: now)
            } catch let e as FeedError {
                switch e.kind {
                case .keyRejected, .rateLimited, .configuration, .network, .timeout: throw e
                default:
                    report.missing.append(.init(symbol: asset.symbol, reason: e.message))
                    continue
                }
            }
            let fresh = Self.onePerDay(points, symbol: asset.symbol, from: firstDay, through: today, skipping: covered)
            guard !fresh.isEmpty || !points.isEmpty else {
                report.missing.append(.init(symbol: asset.symbol, reason: "no history returned"))
                continue
            }
            try store.insertPrices(fresh, source: source.name)
            report.stored += fresh.count
        }
        reporter?.progress(label, done: assets.count, total: assets.count, unit: "assets")
        if report.stored > 0 {
            try store.refreshSignals()
            try store.recordNAVs(minInterval: 0)
        }
        return report
    }

    /// The last point of each UTC day in [`from`, `through`] not in `skipping`, oldest first,
    /// relabelled to `symbol`.
    public static func onePerDay(
        _ points: [PricePoint], symbol: String, from: Int64, through: Int64, skipping: Set<Int64>
    ) -> [PricePoint] {
        var byDay: [Int64: PricePoint] = [:]
        for var p in points {
            let day = UTCCalendar.dayNumber(p.time)
            guard day >= from, day <= through, !skipping.contains(day) else { continue }
            p.symbol = symbol
            if let old = byDay[day], old.time > p.time { continue }
            byDay[day] = p
        }
        return byDay.keys.sorted().map { byDay[$0]! }
    }
}

/// CoinGecko as a history source: `/coins/{id}/market_chart` (DESIGN §8).
public struct CoinGeckoHistory: HistorySource {
    public let api: CoinGeckoAPI
    public init(api: CoinGeckoAPI) { self.api = api }
    public var name: String { "coingecko" }
    public var missingHint: String { "find its id with `indextop assets search NAME`" }

    public func unsupported(_ asset: Asset) -> String? {
        (asset.coingeckoId ?? "").isEmpty ? "no CoinGecko id (set one with `assets add \(asset.symbol) --coingecko-id ID`)" : nil
    }

    public func dailyHistory(for asset: Asset, from: Int64, now: Int64) throws -> [PricePoint] {
        try api.dailyHistory(id: asset.coingeckoId ?? "", symbol: asset.symbol, from: from, now: now)
    }
}
