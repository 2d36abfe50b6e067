import Foundation
import IndexCore
@testable import PortfolioStore

/// A temporary database with hand-made assets and one price per UTC midnight, shaped so the indicators
/// are predictable. Worked out independently (python3, TA-Lib conventions) for 300 days at ±1 %/day
/// without volumes:
/// - rising: trend votes all +1, oscillators RSI 0, Bollinger 0, ROC7 +1, ROC30 +1 → score 0.75, bullish;
/// - falling: trend −1, −1, −1, −1, MACD +1 (the line rises toward 0), oscillators 0, 0, −1, −1 → −0.55,
///   bearish; RSI is 0, so BTC below its SMA200 with a falling SMA50 makes the regime `high`;
/// - vee: falls 150 days then rises 150: above its SMA50 and its RSI crossed 60 on the way up.
final class SignalFixture {
    /// 2024-01-01 as a Unix day.
    static let firstDay: Int64 = 19_723
    static let days = 300
    static let day: Int64 = 86_400

    enum Shape {
        case rising, falling, vee, flat

        func close(base: Double, at i: Int) -> Double {
            switch self {
            case .rising: base * pow(1.01, Double(i))
            case .falling: base * pow(0.99, Double(i))
            case .vee: i < 150 ? base * pow(0.99, Double(i)) : base * pow(0.99, 149) * pow(1.01, Double(i - 149))
            case .flat: base
            }
        }
    }

    let dir: URL
    let path: String
    let store: PortfolioStore
    private var shapes: [String: (shape: Shape, base: Double, cap: Double)] = [:]

    /// Unix time of day `i` (0-based) of the history.
    static func time(_ i: Int) -> Int64 { (firstDay + Int64(i)) * day }
    /// Unix time of the last day of the history.
    static var lastTime: Int64 { time(days - 1) }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("indextop-sig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("test.db").path
        store = try PortfolioStore(path: path, clock: { SignalFixture.lastTime })
        store.enableSignals()
    }

    /// Removes the folder (call in `defer`).
    func cleanUp() { try? FileManager.default.removeItem(at: dir) }

    /// Adds an asset with `days` daily prices of `shape` (market cap constant at `cap`).
    func add(_ symbol: String, _ shape: Shape, base: Double = 100, cap: Double = 1e8, stablecoin: Bool = false)
        throws
    {
        try store.upsertAsset(
            Asset(
                symbol: symbol, name: symbol, sector: stablecoin ? "Stablecoin" : "Test", isStablecoin: stablecoin,
                coingeckoId: nil))
        shapes[symbol] = (shape, base, cap)
        try store.insertPrices(
            (0..<Self.days).map {
                PricePoint(symbol: symbol, time: Self.time($0), price: shape.close(base: base, at: $0), marketCap: cap)
            })
    }

    /// Adds the price of day `i` for `symbol` (its shape continued, times `factor`).
    func extend(_ symbol: String, day i: Int, factor: Double = 1) throws {
        let s = try require(shapes[symbol], "no asset \(symbol)")
        try store.insertPrices([
            PricePoint(
                symbol: symbol, time: Self.time(i), price: s.shape.close(base: s.base, at: i) * factor,
                marketCap: s.cap)
        ])
    }

    /// A spec parsed from JSON, without costs so weights after a rebalance equal the targets.
    static func spec(_ slug: String, universe: [String], methodology: String, schedule: String = "none") throws
        -> IndexSpec
    {
        let list = universe.map { "\"\($0)\"" }.joined(separator: ",")
        let json = """
            {"slug":"\(slug)","name":"\(slug)","initial_capital":100000,"universe":[\(list)],
             "methodology":\(methodology),"rebalance":{"schedule":"\(schedule)"},
             "fees_bps":0,"slippage_bps":0,"min_trade":0}
            """
        return try IndexSpec.parse(Data(json.utf8), file: "\(slug).json")
    }

    /// A `signal` methodology with cap 0.3 and the default risk-off shares (0.3 medium, 0.6 high).
    static let signalMethodology =
        #"{"type":"signal","cap":0.3,"include_neutral":false,"stablecoin":"USDC","risk_off":{"medium":0.3,"high":0.6}}"#
}

/// `#require` for optionals outside a test body.
private func require<T>(_ value: T?, _ message: String = "missing value") throws -> T {
    guard let value else { throw FixtureError(message) }
    return value
}

private struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
