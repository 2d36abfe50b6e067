import Foundation
import IndexCore
import MarketData

/// An in-memory price and signal sink, optionally failing.
final class MemorySink: PriceSink, SignalSink, @unchecked Sendable {
    private let lock = NSLock()
    private var pointBatches: [[PricePoint]] = []
    private var signalBatches: [[ExternalSignal]] = []
    private var sources: [String] = []
    var failing = false

    struct Failure: Error {}

    func store(_ points: [PricePoint], source: String) throws {
        lock.lock()
        defer { lock.unlock() }
        if failing { throw Failure() }
        pointBatches.append(points)
        sources.append(source)
    }

    func store(_ signals: [ExternalSignal]) throws {
        lock.lock()
        defer { lock.unlock() }
        if failing { throw Failure() }
        signalBatches.append(signals)
    }

    var points: [PricePoint] {
        lock.lock()
        defer { lock.unlock() }
        return pointBatches.flatMap { $0 }
    }

    var batches: Int {
        lock.lock()
        defer { lock.unlock() }
        return pointBatches.count
    }

    var signals: [ExternalSignal] {
        lock.lock()
        defer { lock.unlock() }
        return signalBatches.flatMap { $0 }
    }

    var sourceNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return sources
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("indextop-md-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Records sleeps instead of sleeping.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    func sleep(_ seconds: Double) {
        lock.lock()
        recorded.append(seconds)
        lock.unlock()
    }
    var delays: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

/// The test assets: three known to CoinGecko ids.
let testAssets = [
    Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1", coingeckoId: "bitcoin"),
    Asset(symbol: "ETH", name: "Ethereum", sector: "Layer-1", coingeckoId: "ethereum"),
    Asset(symbol: "SOL", name: "Solana", sector: "Layer-1", coingeckoId: "solana"),
]

let testIdToSymbol = ["bitcoin": "BTC", "ethereum": "ETH", "solana": "SOL"]

/// One coin in the exact shape of CoinGecko's `/coins/markets` (every field it sends).
func coinJSON(
    id: String, symbol: String, name: String, price: String, cap: String = "1000000", volume: String = "5000",
    updated: String = "\"2024-05-01T12:34:56.789Z\""
) -> String {
    """
    {"id":"\(id)","symbol":"\(symbol)","name":"\(name)","image":"https://coin-images.coingecko.com/coins/images/1/large/\(id).png",\
    "current_price":\(price),"market_cap":\(cap),"market_cap_rank":1,"fully_diluted_valuation":1400000000000,\
    "total_volume":\(volume),"high_24h":64210,"low_24h":62001.5,"price_change_24h":-1234.5,\
    "price_change_percentage_24h":-1.92,"market_cap_change_24h":-24000000000,\
    "market_cap_change_percentage_24h":-1.9,"circulating_supply":19690000.0,"total_supply":21000000.0,\
    "max_supply":21000000.0,"ath":73738,"ath_change_percentage":-14.3,"ath_date":"2024-03-14T07:10:36.635Z",\
    "atl":67.81,"atl_change_percentage":93000.1,"atl_date":"2013-07-06T00:00:00.000Z","roi":null,\
    "last_updated":\(updated)}
    """
}

let recordedMarkets =
    "["
    + [
        coinJSON(
            id: "bitcoin", symbol: "btc", name: "Bitcoin", price: "63123.5", cap: "1243000000000", volume: "28100000000"
        ),
        coinJSON(
            id: "ethereum", symbol: "eth", name: "Ethereum", price: "3012.25", cap: "361800000000",
            volume: "14000000000"),
        coinJSON(id: "solana", symbol: "sol", name: "Solana", price: "135.5", cap: "60700000000", volume: "2700000000"),
    ].joined(separator: ",") + "]"
