import Foundation
import IndexCore

/// Builds the feed named by `--feed` (or the config) from what the app has at hand.
public enum FeedFactory {
    /// What a feed may need; unused fields are ignored by the other kinds.
    public struct Inputs: Sendable {
        /// The assets in use (CoinGecko ids, symbols for Token Metrics).
        public var assets: [Asset]
        /// Latest stored prices by symbol (the simulator continues from them).
        public var latestPrices: [String: Double]
        /// The simulator's seed.
        public var seed: UInt64
        /// Seconds between simulator ticks.
        public var simInterval: Double
        public var coingecko: CoinGeckoConfig
        public var tokenMetrics: TokenMetricsConfig
        public var binance: BinanceConfig
        /// Token Metrics id by symbol (assets added with `--tokenmetrics-id`).
        public var tokenMetricsIds: [String: String]
        /// The provider's key (`read` scope) from the vault; nil for none.
        public var key: KeyProvider?
        public var priceSink: any PriceSink
        /// Needed by `tokenmetrics` only.
        public var signalSink: (any SignalSink)?
        public var log: FeedLog?

        public init(
            assets: [Asset], latestPrices: [String: Double] = [:], seed: UInt64 = 42, simInterval: Double = 2,
            coingecko: CoinGeckoConfig = CoinGeckoConfig(), tokenMetrics: TokenMetricsConfig = TokenMetricsConfig(),
            binance: BinanceConfig = BinanceConfig(), tokenMetricsIds: [String: String] = [:], key: KeyProvider? = nil,
            priceSink: any PriceSink, signalSink: (any SignalSink)? = nil,
            log: FeedLog? = nil
        ) {
            self.assets = assets
            self.latestPrices = latestPrices
            self.seed = seed
            self.simInterval = simInterval
            self.coingecko = coingecko
            self.tokenMetrics = tokenMetrics
            self.binance = binance
            self.tokenMetricsIds = tokenMetricsIds
            self.key = key
            self.priceSink = priceSink
            self.signalSink = signalSink
            self.log = log
        }
    }

    /// The feed for `kind`, or nil for `none`.
    /// - Throws: ``FeedError`` `.configuration` when `tokenmetrics` has no key or signal sink.
    public static func make(_ kind: FeedKind, _ inputs: Inputs) throws -> (any Feed)? {
        switch kind {
        case .none:
            return nil
        case .sim:
            let sims = inputs.assets.map {
                DemoUniverse.simAsset(for: $0, price: inputs.latestPrices[$0.symbol])
            }
            return SimulatorFeed(
                seed: inputs.seed, assets: sims, startingPrices: inputs.latestPrices, interval: inputs.simInterval,
                sink: inputs.priceSink, log: inputs.log)
        case .coingecko:
            return CoinGeckoClient(
                config: inputs.coingecko, assets: inputs.assets, key: inputs.key, sink: inputs.priceSink,
                log: inputs.log)
        case .binance:
            return BinanceClient(config: inputs.binance, assets: inputs.assets, sink: inputs.priceSink, log: inputs.log)
        case .tokenmetrics:
            guard let key = inputs.key, let sink = inputs.signalSink else {
                throw FeedError(
                    .configuration, "tokenmetrics needs an API key and a signal store", context: "tokenmetrics")
            }
            return TokenMetricsClient(
                config: inputs.tokenMetrics, symbols: Set(inputs.assets.map(\.symbol)),
                tokenMetricsIds: inputs.tokenMetricsIds, key: key, sink: sink, log: inputs.log)
        case .file(let path):
            return FileFollower(path: path, sink: inputs.priceSink, log: inputs.log)
        }
    }
}
