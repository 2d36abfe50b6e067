import Foundation
import IndexCore
import Testing

/// Sample statistics written out here so the tests do not use code under test.
private func logReturns(_ prices: [Double]) -> [Double] {
    zip(prices.dropFirst(), prices).map { log($0 / $1) }
}

private func sampleStdev(_ xs: [Double]) -> Double {
    let mean = xs.reduce(0, +) / Double(xs.count)
    let ss = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (ss / Double(xs.count - 1)).squareRoot()
}

private func correlation(_ a: [Double], _ b: [Double]) -> Double {
    let ma = a.reduce(0, +) / Double(a.count)
    let mb = b.reduce(0, +) / Double(b.count)
    var sab = 0.0
    var saa = 0.0
    var sbb = 0.0
    for (x, y) in zip(a, b) {
        sab += (x - ma) * (y - mb)
        saa += (x - ma) * (x - ma)
        sbb += (y - mb) * (y - mb)
    }
    return sab / (saa * sbb).squareRoot()
}

@Suite struct SeededGeneratorTests {
    @Test func splitMix64MatchesReferenceOutputs() {
        // Reference implementation (Vigna, splitmix64.c), seed 0.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func xoshiroMatchesIndependentImplementation() {
        // Computed with a Python transcription of xoshiro256** seeded by SplitMix64(42).
        var g = SeededGenerator(seed: 42)
        #expect(g.next() == 0x1578_0B2E_0C2E_C716)
        #expect(g.next() == 0x6104_D986_6D11_3A7E)
        #expect(g.next() == 0xAE17_5332_39E4_99A1)
    }

    @Test func normalsHaveUnitVarianceAndUniformsStayInRange() {
        var g = SeededGenerator(seed: 7)
        let n = 200_000
        var sum = 0.0
        var sumSq = 0.0
        for _ in 0..<n {
            let z = g.nextNormal()
            sum += z
            sumSq += z * z
        }
        let mean = sum / Double(n)
        #expect(abs(mean) < 0.01)
        #expect(abs(sumSq / Double(n) - 1) < 0.02)
        for _ in 0..<10_000 {
            let u = g.nextUniform()
            #expect(u >= 0 && u < 1)
        }
    }
}

@Suite struct DemoUniverseTests {
    @Test func containsTheNamedAssetsWithUniqueSymbolsAndIds() {
        let symbols = DemoUniverse.assets.map(\.symbol)
        #expect(Set(symbols).count == symbols.count)
        for required in [
            "BTC", "ETH", "SOL", "BNB", "XRP", "ADA", "AVAX", "DOT", "LINK", "UNI", "AAVE", "LDO", "MKR", "CRV",
            "GMX", "RUNE", "FET", "RNDR", "TAO", "WLD", "DOGE", "SHIB", "PEPE", "BONK", "WIF", "ONDO", "USDC", "USDT",
        ] {
            #expect(symbols.contains(required), "missing \(required)")
        }
        let ids = DemoUniverse.assets.compactMap(\.coingeckoId)
        #expect(ids.count == symbols.count)
        #expect(Set(ids).count == ids.count)
        #expect(DemoUniverse.assets.first { $0.symbol == "BTC" }?.coingeckoId == "bitcoin")
    }

    @Test func stablecoinsAreFlaggedAndCapsRankRealistically() {
        let stables = DemoUniverse.assets.filter(\.isStablecoin).map(\.symbol).sorted()
        #expect(stables == ["USDC", "USDT"])
        #expect(DemoUniverse.assets.filter(\.isStablecoin).allSatisfy { $0.sector == "Stablecoin" })
        let caps = DemoUniverse.simAssets.map(\.startMarketCap)
        #expect(caps == caps.sorted(by: >))
        #expect(DemoUniverse.assets[0].symbol == "BTC")
        #expect(DemoUniverse.assets[1].symbol == "ETH")
        let sectors = Set(DemoUniverse.assets.map(\.sector))
        #expect(sectors.isSuperset(of: ["Layer-1", "DeFi", "AI", "Memecoins", "RWA", "Stablecoin"]))
    }
}

@Suite struct MarketSimulatorTests {
    let assets = DemoUniverse.simAssets

    private func path(seed: UInt64, steps: Int) -> [[PricePoint]] {
        var sim = MarketSimulator(seed: seed, assets: assets)
        return (0..<steps).map { sim.step(dt: 1, time: Int64($0) * 86_400) }
    }

    @Test func sameSeedSamePathDifferentSeedDifferentPath() {
        let a = path(seed: 1, steps: 200)
        let b = path(seed: 1, steps: 200)
        let c = path(seed: 2, steps: 200)
        #expect(a == b)
        #expect(a.last!.map(\.price) != c.last!.map(\.price))
    }

    @Test func longPathMatchesVolatilityCorrelationAndPeg() {
        let steps = 20_000
        let rows = path(seed: 2024, steps: steps)
        var series: [String: [Double]] = [:]
        for row in rows { for p in row { series[p.symbol, default: []].append(p.price) } }

        for param in assets where !param.asset.isStablecoin {
            let prices = series[param.asset.symbol]!
            #expect(prices.allSatisfy { $0.isFinite && $0 > 0 })
            let vol = sampleStdev(logReturns(prices)) * (365.0).squareRoot()
            let ratio = vol / param.annualVolatility
            #expect(ratio > 0.75 && ratio < 1.25, "\(param.asset.symbol): vol \(vol) vs \(param.annualVolatility)")
        }
        for pair in [("SOL", "AVAX"), ("UNI", "AAVE"), ("FET", "DOGE"), ("BTC", "ETH")] {
            let rho = correlation(logReturns(series[pair.0]!), logReturns(series[pair.1]!))
            #expect(rho > 0.3 && rho < 0.9, "\(pair): correlation \(rho)")
        }
        for stable in ["USDC", "USDT"] {
            #expect(series[stable]!.allSatisfy { abs($0 - 1) <= 0.01 })
        }
    }

    @Test func capsAreSupplyTimesPriceAndVolumesRiseWithMoves() {
        let rows = path(seed: 99, steps: 3_000)
        let supply = Dictionary(uniqueKeysWithValues: assets.map { ($0.asset.symbol, $0.circulatingSupply) })
        for row in rows {
            #expect(row.count == assets.count)
            for p in row {
                let cap = try! #require(p.marketCap)
                let volume = try! #require(p.volume)
                #expect(abs(cap / (p.price * supply[p.symbol]!) - 1) < 1e-12)
                #expect(volume.isFinite && volume > 0)
            }
        }
        // Volume relative to price level against the absolute return of the same day.
        let btc = rows.map { $0[0] }
        let absReturns = zip(btc.dropFirst(), btc).map { abs(log($0.price / $1.price)) }
        let turnover = btc.dropFirst().map { $0.volume! / $0.price }
        #expect(correlation(absReturns, Array(turnover)) > 0.3)
    }

    @Test func regimesAllOccurWithPlausibleShares() {
        var sim = MarketSimulator(seed: 5, assets: assets)
        var counts: [SimRegime: Int] = [:]
        var switches = 0
        var last = sim.regime
        for d in 0..<20_000 {
            _ = sim.step(dt: 1, time: Int64(d) * 86_400)
            counts[sim.regime, default: 0] += 1
            if sim.regime != last { switches += 1 }
            last = sim.regime
        }
        // Stationary shares are proportional to the mean durations 90 : 60 : 45 days.
        #expect(abs(Double(counts[.bull]!) / 20_000 - 90.0 / 195) < 0.1)
        #expect(abs(Double(counts[.bear]!) / 20_000 - 60.0 / 195) < 0.1)
        #expect(abs(Double(counts[.sideways]!) / 20_000 - 45.0 / 195) < 0.1)
        // About 20 000 / 65 ≈ 308 switches expected.
        #expect(switches > 200 && switches < 450)
    }

    @Test func smallTicksMoveByTheRightAmount() {
        var sim = MarketSimulator(seed: 11, assets: assets)
        var btc: [Double] = []
        for k in 0..<5_000 { btc.append(sim.step(dt: 2.0 / 86_400, time: Int64(2 * k))[0].price) }
        // BTC 55 % a year over a 2 s tick: 0.55 × √(2 / 86 400 / 365) ≈ 1.38e-4 per tick.
        let perTick = sampleStdev(logReturns(btc))
        #expect(perTick > 1.38e-4 * 0.6 && perTick < 1.38e-4 * 1.4)
        #expect(btc.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func startingPricesOverrideAndZeroDtIsHarmless() {
        var sim = MarketSimulator(seed: 3, assets: assets, startingPrices: ["BTC": 70_000, "ETH": -1])
        #expect(sim.prices["BTC"] == 70_000)
        #expect(sim.prices["ETH"] == 3_200)
        let points = sim.step(dt: 0, time: 10)
        #expect(points[0].price == 70_000)
        #expect(points[0].time == 10)
    }

    @Test func dailyHistoryIsMidnightAlignedAndEndsOnStartPrices() {
        let endDay: Int64 = 20_000  // 2024-10-04
        let history = MarketSimulator.dailyHistory(seed: 8, assets: assets, days: 730, endingAt: endDay)
        #expect(history.count == 730 * assets.count)
        #expect(history.first!.time == (endDay - 729) * 86_400)
        #expect(history.last!.time == endDay * 86_400)
        #expect(history.allSatisfy { $0.time % 86_400 == 0 && $0.price > 0 && $0.price.isFinite })
        let last = history.suffix(assets.count)
        for (param, point) in zip(assets, last) {
            #expect(point.symbol == param.asset.symbol)
            if !param.asset.isStablecoin {
                #expect(abs(point.price / param.startPrice - 1) < 1e-12)
            }
        }
        let again = MarketSimulator.dailyHistory(seed: 8, assets: assets, days: 730, endingAt: endDay)
        #expect(again == history)
        #expect(MarketSimulator.dailyHistory(seed: 8, assets: assets, days: 0, endingAt: endDay).isEmpty)
    }
}

@Suite struct SimAssetDefaultsTests {
    @Test func knownSymbolsKeepDemoParametersAndTakeTheLatestPrice() {
        let btc = Asset(symbol: "BTC", name: "Bitcoin", sector: "Layer-1", coingeckoId: "bitcoin")
        let sim = DemoUniverse.simAsset(for: btc, price: 50_000)
        #expect(sim.startPrice == 50_000)
        #expect(sim.annualVolatility == 0.55)
        // Market cap kept: 65 000 × 19.7 M = 1.2805e12.
        #expect(abs(sim.startPrice * sim.circulatingSupply - 1.2805e12) < 1)
    }

    @Test func unknownAssetsGetGenericParameters() {
        let x = DemoUniverse.simAsset(
            for: Asset(symbol: "XYZ", name: "X", sector: "DeFi"), price: 2, marketCap: 4e8)
        #expect(x.annualVolatility == 0.9)
        #expect(x.circulatingSupply == 2e8)
        let usd = DemoUniverse.simAsset(
            for: Asset(symbol: "DAI", name: "Dai", sector: "Stablecoin", isStablecoin: true))
        #expect(usd.startPrice == 1)
        #expect(usd.beta == 0)
    }
}
