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

    /// Backfills the last `days` UTC days (today included) of `assets` into `store`, then (when
    /// `recompute` and something was stored) refreshes the signals and records NAVs once.
    /// - Throws: ``FeedError`` when the provider refuses the key or keeps rate limiting (what
    ///   was stored stays); other per-asset failures are reported in ``BackfillReport/missing``.
    public func run(_ assets: [Asset], days: Int, store: PortfolioStore, now: Int64, recompute: Bool = true) throws
        -> BackfillReport
    {
        var report = BackfillReport()
        let today = UTCCalendar.dayNumber(now)
        let firstDay = today - Int64(max(days, 1)) + 1
        let label = "\(source.name) history"
        defer { reporter?.finish() }
        // What each asset needs, read before any request.
        var plans: [Plan] = []
        for asset in assets {
            if let reason = source.unsupported(asset) {
                plans.append(.unsupported(reason))
                continue
            }
            let covered = try store.coveredDays(asset.symbol, from: firstDay * UTCCalendar.day)
            if let firstMissing = (firstDay...today).first(where: { !covered.contains($0) }) {
                plans.append(.fetch(from: firstMissing * UTCCalendar.day, covered: covered))
            } else {
                plans.append(.covered)
            }
        }
        // The next asset's request runs while this one is stored (one request in flight at a time,
        // so the rate limit and the order of requests are those of a plain loop).
        let fetcher = Prefetcher(source: source, assets: assets, plans: plans, now: now)
        for (n, asset) in assets.enumerated() {
            reporter?.progress(label, done: n, total: assets.count, unit: "assets")
            switch plans[n] {
            case .unsupported(let reason):
                report.missing.append(.init(symbol: asset.symbol, reason: reason))
            case .covered:
                report.skipped.append(asset.symbol)
            case .fetch(_, let covered):
                report.fetched.append(asset.symbol)
                let points: [PricePoint]
                do {
                    points = try fetcher.result(n)
                } catch let e as FeedError {
                    switch e.kind {
                    case .keyRejected, .rateLimited, .configuration, .network, .timeout: throw e
                    default:
                        report.missing.append(.init(symbol: asset.symbol, reason: e.message))
                        continue
                    }
                }
                let fresh = Self.onePerDay(
                    points, symbol: asset.symbol, from: firstDay, through: today, skipping: covered)
                guard !fresh.isEmpty || !points.isEmpty else {
                    report.missing.append(.init(symbol: asset.symbol, reason: "no history returned"))
                    continue
                }
                try store.insertPrices(fresh, source: source.name)
                report.stored += fresh.count
            }
        }
        reporter?.progress(label, done: assets.count, total: assets.count, unit: "assets")
        if recompute, report.stored > 0 {
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

/// What one asset of a backfill needs.
enum Plan {
    case unsupported(String)
    case covered
    case fetch(from: Int64, covered: Set<Int64>)
}

/// Fetches the assets' histories one after the other on a background queue, each as soon as
/// the previous one was taken, so a request overlaps the storing of the previous answer.
final class Prefetcher: @unchecked Sendable {
    private let source: any HistorySource
    private let assets: [Asset]
    private let plans: [Plan]
    private let now: Int64
    private let queue = DispatchQueue(label: "indextop.backfill.fetch")
    private let lock = NSCondition()
    private var results: [Int: Result<[PricePoint], any Error>] = [:]
    private var started = -1

    init(source: any HistorySource, assets: [Asset], plans: [Plan], now: Int64) {
        self.source = source
        self.assets = assets
        self.plans = plans
        self.now = now
        startNext(after: -1)
    }

    /// The index of the next asset to fetch after `index`, or nil.
    private func next(after index: Int) -> Int? {
        var k = index + 1
        while k < plans.count {
            if case .fetch = plans[k] { return k }
            k += 1
        }
        return nil
    }

    private func startNext(after index: Int) {
        guard let k = next(after: index) else { return }
        lock.lock()
        guard k > started else {
            lock.unlock()
            return
        }
        started = k
        lock.unlock()
        queue.async { [self] in
            guard case .fetch(let from, _) = plans[k] else { return }
            let result = Result { try source.dailyHistory(for: assets[k], from: from, now: now) }
            lock.lock()
            results[k] = result
            lock.broadcast()
            lock.unlock()
        }
    }

    /// Waits for asset `index`'s answer and starts the next request.
    func result(_ index: Int) throws -> [PricePoint] {
        lock.lock()
        while results[index] == nil { lock.wait() }
        let result = results.removeValue(forKey: index)!
        lock.unlock()
        startNext(after: index)
        return try result.get()
    }
}

/// CoinGecko as a history source: `/coins/{id}/market_chart` (DESIGN §8).
public struct CoinGeckoHistory: HistorySource {
    public let api: CoinGeckoAPI
    public init(api: CoinGeckoAPI) { self.api = api }
    public var name: String { "coingecko" }
    public var missingHint: String { "find its id with `indextop assets search NAME`" }

    public func unsupported(_ asset: Asset) -> String? {
        (asset.coingeckoId ?? "").isEmpty
            ? "no CoinGecko id (set one with `assets add \(asset.symbol) --coingecko-id ID`)" : nil
    }

    public func dailyHistory(for asset: Asset, from: Int64, now: Int64) throws -> [PricePoint] {
        try api.dailyHistory(id: asset.coingeckoId ?? "", symbol: asset.symbol, from: from, now: now)
    }
}
