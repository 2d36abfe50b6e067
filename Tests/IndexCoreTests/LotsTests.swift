import Foundation
import IndexCore
import Testing

/// Lot accounting against hand-worked cases and against an independent computation written here from
/// the definitions (per-unit costs for FIFO, running totals for average cost) over a year of trades.
@Suite struct LotsTests {
    static let t0: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z

    static func close(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
        abs(a - b) <= tol * max(1, abs(b))
    }

    @Test func fifoAndAverageByHand() throws {
        // Buy 1 @ 100 (fee 1), buy 1 @ 200 (fee 1), sell 1.5 @ 300 (fee 3).
        let trades = [
            Trade(time: Self.t0, symbol: "BTC", kind: .buy, quantity: 1, price: 100, feeValue: 1),
            Trade(time: Self.t0 + 10, symbol: "BTC", kind: .buy, quantity: 1, price: 200, feeValue: 1),
            Trade(time: Self.t0 + 20, symbol: "BTC", kind: .sell, quantity: 1.5, price: 300, feeValue: 3),
        ]
        // FIFO: lots (1, 101) and (1, 201); the sale releases 101 + 0.5 × 201 = 201.5 against proceeds
        // 450 − 3 = 447: realised 245.5; left 0.5 units costing 100.5.
        let fifo = try #require(try Lots.positions(trades, method: .fifo).first)
        #expect(Self.close(fifo.quantity, 0.5))
        #expect(Self.close(fifo.costBasis, 100.5))
        #expect(Self.close(fifo.realised, 245.5))
        #expect(Self.close(fifo.unrealised(at: 400), 200 - 100.5))
        #expect(fifo.lots.count == 1)
        #expect(Self.close(fifo.fees, 5))
        // Average: pool (2, 302); 1.5 units release 226.5: realised 220.5; left 0.5 costing 75.5.
        let avg = try #require(try Lots.positions(trades, method: .average).first)
        #expect(Self.close(avg.quantity, 0.5))
        #expect(Self.close(avg.costBasis, 75.5))
        #expect(Self.close(avg.realised, 220.5))
        #expect(Self.close(avg.averageCost ?? 0, 151))
        #expect(Self.close(avg.unrealised(at: 400), 124.5))
    }

    @Test func feeInTheTradedAsset() throws {
        // Buy 1 ETH @ 2000 paying 0.001 ETH: 0.999 ETH received for 2000 paid (the fee is in the basis).
        // Then sell 0.5 ETH @ 3000 paying 0.0005 ETH: 0.5005 ETH leave, proceeds 1500.
        let trades = [
            Trade(
                time: Self.t0, symbol: "ETH", kind: .buy, quantity: 1, price: 2000, feeValue: 2, feeQuantity: 0.001),
            Trade(
                time: Self.t0 + 1, symbol: "ETH", kind: .sell, quantity: 0.5, price: 3000, feeValue: 1.5,
                feeQuantity: 0.0005),
        ]
        let p = try #require(try Lots.positions(trades, method: .fifo).first)
        #expect(Self.close(p.quantity, 0.999 - 0.5005))
        // Released: 2000 × 0.5005 / 0.999; realised = 1500 − that.
        #expect(Self.close(p.realised, 1500 - 2000 * 0.5005 / 0.999))
        #expect(Self.close(p.costBasis, 2000 * (0.999 - 0.5005) / 0.999))
    }

    @Test func realisedSplitsByYearAndAdjustmentResets() throws {
        let y2026: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
        let trades = [
            Trade(time: Self.t0, symbol: "SOL", kind: .buy, quantity: 10, price: 100),
            Trade(time: y2026 - 1, symbol: "SOL", kind: .sell, quantity: 2, price: 150),  // +100 in 2025
            Trade(time: y2026, symbol: "SOL", kind: .sell, quantity: 3, price: 80),  // −60 in 2026
            Trade(time: y2026 + 5, symbol: "SOL", kind: .adjust, quantity: 4, price: 0, costBasis: 300),
            Trade(time: y2026 + 6, symbol: "SOL", kind: .sell, quantity: 1, price: 100),  // 100 − 75 = +25
        ]
        for method in CostMethod.allCases {
            let p = try #require(try Lots.positions(trades, method: method).first)
            #expect(Self.close(p.realisedByYear[2025] ?? .nan, 100))
            #expect(Self.close(p.realisedByYear[2026] ?? .nan, -60 + 25))
            #expect(Self.close(p.quantity, 3))
            #expect(Self.close(p.costBasis, 225))
            let report = PnLReport(positions: [p], prices: ["SOL": 90], method: method, year: 2026)
            #expect(Self.close(report.realised, -35))
            #expect(Self.close(report.unrealised, 270 - 225))
            #expect(report.realisedByYear.map(\.year) == [2025, 2026])
        }
    }

    @Test func sellingMoreThanHeldNamesTheTrade() {
        let trades = [
            Trade(time: Self.t0, symbol: "BTC", kind: .buy, quantity: 1, price: 100),
            Trade(time: Self.t0 + 5, symbol: "ETH", kind: .buy, quantity: 1, price: 100),
            Trade(time: Self.t0 + 9, symbol: "BTC", kind: .sell, quantity: 1.01, price: 100),
        ]
        #expect(throws: LotError.self) { try Lots.positions(trades, method: .fifo) }
        do {
            _ = try Lots.positions(trades, method: .average)
        } catch let e as LotError {
            #expect(e.index == 2)
            #expect(e.field == "quantity")
        } catch {
            Issue.record("unexpected \(error)")
        }
        // Time order decides, not list order: the sale listed first but made later is fine.
        let reordered = [trades[2].with(quantity: 1), trades[0]]
        #expect((try? Lots.positions(reordered, method: .fifo))?.first?.quantity == 0)
    }

    // MARK: A year of real-shaped trades against the definitions

    struct Generated {
        var trades: [Trade]
        var prices: [String: Double]
    }

    /// ~400 trades over 2025 in six assets: random-walk prices, buys of a few hundred to a few thousand
    /// dollars, partial and full sales, fees of 0.1 % in USD, in the asset itself, or in BNB at BNB's price.
    static func generate(seed: UInt64) -> Generated {
        var state = seed
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var price = ["BTC": 42_000.0, "ETH": 2_300.0, "SOL": 95.0, "DOGE": 0.08, "LINK": 14.5, "BNB": 310.0]
        let symbols = price.keys.sorted()
        var held: [String: Double] = [:]
        var trades: [Trade] = []
        var t = t0 + 3600
        while trades.count < 400 {
            t += Int64(600 + next() * 80_000)
            for s in symbols { price[s]! *= exp((next() - 0.5) * 0.06) }
            let s = symbols[Int(next() * Double(symbols.count))]
            let p = price[s]!
            let have = held[s] ?? 0
            let sell = have > 0 && next() < 0.4
            var q: Double
            if sell {
                q = next() < 0.2 ? have : have * (0.1 + 0.6 * next())
            } else {
                q = (200 + next() * 4_000) / p
            }
            let feeRate = 0.001
            let how = next()
            var trade = Trade(time: t, symbol: s, kind: sell ? .sell : .buy, quantity: q, price: p)
            if how < 0.5 {
                trade.feeValue = q * p * feeRate
            } else if how < 0.75, !sell {
                trade.feeQuantity = q * feeRate
                trade.feeValue = trade.feeQuantity * p
            } else if how < 0.75 {
                // A sale paying its fee in the asset delivers quantity + fee: sell a little less.
                q /= 1 + feeRate
                trade.quantity = q
                trade.feeQuantity = q * feeRate
                trade.feeValue = trade.feeQuantity * p
            } else {
                let bnb = q * p * feeRate * 0.75 / price["BNB"]!
                trade.feeValue = bnb * price["BNB"]!
            }
            held[s, default: 0] += sell ? -(trade.quantity + trade.feeQuantity) : trade.quantity - trade.feeQuantity
            if held[s]! < 1e-12 * max(1, have) { held[s] = 0 }
            trades.append(trade)
        }
        return Generated(trades: trades, prices: price)
    }

    /// FIFO from the definition: each lot keeps its cost per unit; a sale takes units from the oldest lot.
    static func referenceFIFO(_ trades: [Trade]) -> [String: (q: Double, basis: Double, realised: Double)] {
        var lots: [String: [(units: Double, unitCost: Double)]] = [:]
        var realised: [String: Double] = [:]
        for tr in trades {
            switch tr.kind {
            case .buy:
                let units = tr.quantity - tr.feeQuantity
                // Paid quantity × price in cash plus the fee in other currencies, for `units` received.
                let paid = tr.quantity * tr.price + (tr.feeValue - tr.feeQuantity * tr.price)
                lots[tr.symbol, default: []].append((units, paid / units))
            case .sell:
                var need = tr.quantity + tr.feeQuantity
                let proceeds = tr.quantity * tr.price - (tr.feeValue - tr.feeQuantity * tr.price)
                var cost = 0.0
                var queue = lots[tr.symbol] ?? []
                let total = queue.reduce(0) { $0 + $1.units }
                if need >= total * (1 - 1e-9) { need = total }
                while need > 1e-15, !queue.isEmpty {
                    let take = min(need, queue[0].units)
                    cost += take * queue[0].unitCost
                    queue[0].units -= take
                    need -= take
                    if queue[0].units <= 1e-15 * max(1, take) { queue.removeFirst() }
                }
                lots[tr.symbol] = queue
                realised[tr.symbol, default: 0] += proceeds - cost
            case .adjust:
                break
            }
        }
        var out: [String: (q: Double, basis: Double, realised: Double)] = [:]
        for s in Set(lots.keys).union(realised.keys) {
            let l = lots[s] ?? []
            out[s] = (
                l.reduce(0) { $0 + $1.units }, l.reduce(0) { $0 + $1.units * $1.unitCost }, realised[s] ?? 0
            )
        }
        return out
    }

    /// Average cost from the definition: running totals; a sale costs units × (total cost / total units).
    static func referenceAverage(_ trades: [Trade]) -> [String: (q: Double, basis: Double, realised: Double)] {
        var out: [String: (q: Double, basis: Double, realised: Double)] = [:]
        for tr in trades {
            var a = out[tr.symbol] ?? (0, 0, 0)
            let otherFees = tr.feeValue - tr.feeQuantity * tr.price
            if tr.kind == .buy {
                a.q += tr.quantity - tr.feeQuantity
                a.basis += tr.quantity * tr.price + otherFees
            } else if tr.kind == .sell {
                let units = tr.quantity + tr.feeQuantity
                let avg = a.basis / a.q
                let cost = units >= a.q * (1 - 1e-9) ? a.basis : units * avg
                a.realised += tr.quantity * tr.price - otherFees - cost
                a.q = units >= a.q * (1 - 1e-9) ? 0 : a.q - units
                a.basis -= cost
                if a.q == 0 { a.basis = 0 }
            }
            out[tr.symbol] = a
        }
        return out
    }

    @Test(arguments: [UInt64(1), 7, 2025])
    func aYearOfTradesMatchesTheDefinitions(seed: UInt64) throws {
        let g = Self.generate(seed: seed)
        #expect(g.trades.count == 400)
        #expect(g.trades.contains { $0.kind == .sell })
        for (method, reference) in [
            (CostMethod.fifo, Self.referenceFIFO(g.trades)), (.average, Self.referenceAverage(g.trades)),
        ] {
            let positions = try Lots.positions(g.trades, method: method)
            #expect(positions.map(\.symbol) == reference.keys.sorted())
            for p in positions {
                let r = try #require(reference[p.symbol])
                #expect(Self.close(p.quantity, r.q), "\(method) \(p.symbol) quantity")
                #expect(Self.close(p.costBasis, r.basis), "\(method) \(p.symbol) basis \(p.costBasis) vs \(r.basis)")
                #expect(Self.close(p.realised, r.realised), "\(method) \(p.symbol) realised")
                let price = g.prices[p.symbol]!
                #expect(Self.close(p.unrealised(at: price), r.q * price - r.basis), "\(method) \(p.symbol) unrealised")
            }
            let report = PnLReport(positions: positions, prices: g.prices, method: method)
            let realised = reference.keys.sorted().reduce(0.0) { $0 + reference[$1]!.realised }
            let unrealised = reference.keys.sorted().reduce(0.0) {
                $0 + reference[$1]!.q * g.prices[$1]! - reference[$1]!.basis
            }
            #expect(Self.close(report.realised, realised))
            #expect(Self.close(report.unrealised, unrealised))
        }
    }
}

extension Trade {
    fileprivate func with(quantity: Double) -> Trade {
        var t = self
        t.quantity = quantity
        return t
    }
}
