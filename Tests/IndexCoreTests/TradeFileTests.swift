import Foundation
import IndexCore
import Testing

/// The trade-file formats: generic CSV and JSONL, and rows shaped like each exchange's export.
@Suite struct TradeFileTests {
    func parse(_ text: String, _ format: TradeFormat? = nil) throws -> [TradeLine] {
        try TradeFile.parse(Data(text.utf8), file: "t.csv", format: format)
    }

    func problem(_ text: String, _ format: TradeFormat? = nil) -> String {
        do {
            _ = try parse(text, format)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func genericCSVInAnyColumnOrderWithBOMAndCRLF() throws {
        let text =
            "\u{FEFF}id,side,symbol,time,quantity,price,fee,fee_symbol\r\nx1,BUY,btc,2025-03-01T12:00:00Z,0.5,60000,1.5,\r\n"
            + "x2,sell,ETH,1740830400,2,3000,0.002,eth\r\n"
        let t = try parse(text)
        #expect(
            t == [
                TradeLine(
                    line: 2, time: 1_740_830_400, symbol: "BTC", side: .buy, quantity: 0.5, price: 60_000, fee: 1.5,
                    id: "x1"),
                TradeLine(
                    line: 3, time: 1_740_830_400, symbol: "ETH", side: .sell, quantity: 2, price: 3_000, fee: 0.002,
                    feeSymbol: "ETH", id: "x2"),
            ])
    }

    @Test func aLoneCREndsALineToo() throws {
        let t = try parse("time,symbol,side,quantity,price,fee\r2025-01-01,BTC,buy,1,2,0\r\r2025-01-02,BTC,sell,1,3,0")
        #expect(t.map(\.line) == [2, 4])
    }

    @Test func jsonlWithTheSameKeys() throws {
        let text = """
            {"time":"2025-03-01","symbol":"SOL","side":"buy","quantity":10,"price":"140.5","fee":0.1,"venue":"kraken","id":7}

            {"time":1740787200,"symbol":"SOL","side":"sell","quantity":4,"price":150}
            """
        let t = try parse(text)
        #expect(t.count == 2)
        #expect(t[0].id == "7" && t[0].venue == "kraken" && t[0].price == 140.5 && t[0].line == 1)
        #expect(t[1].line == 3 && t[1].fee == 0 && t[1].id == nil && t[1].time == 1_740_787_200)
    }

    @Test(arguments: [
        ("time,symbol,side,quantity,price,fee\n2025-01-01,BTC,buy,0,1,0\n", "t.csv:2: quantity: '0' must be > 0"),
        (
            "time,symbol,side,quantity,price,fee\n2025-01-01,BTC,buy,1,abc,0\n",
            "t.csv:2: price: 'abc' is not a decimal number"
        ),
        (
            "time,symbol,side,quantity,price,fee\n2025-01-01,BTC,short,1,1,0\n",
            "t.csv:2: side: 'short' is not buy or sell"
        ),
        (
            "time,symbol,side,quantity,price,fee\n2025-13-01,BTC,buy,1,1,0\n",
            "t.csv:2: time: '2025-13-01' is not ISO-8601"
        ),
        ("time,symbol,side,quantity,price,fee\n2025-01-01,BTC,buy,1,1,-2\n", "t.csv:2: fee: '-2' must be ≥ 0"),
        ("time,symbol,side,quantity,price\n2025-01-01,BTC,buy,1,1\n", "t.csv:1: header: must have time,symbol,side"),
        ("time,symbol,side,quantity,price,fee\n2025-01-01,BTC,buy,1\n", "t.csv:2: has 4 fields, the header has 6"),
        ("time,symbol,side,quantity,price,fee\n", "t.csv: empty file"),
    ])
    func badRowsNameLineAndField(text: String, message: String) {
        let p = problem(text)
        #expect(p.hasPrefix(message), "\(p)")
    }

    @Test func binanceSpotTradeHistory() throws {
        // The header and a row shaped like the public samples of the export (fee in the bought coin).
        let text = """
            "Date(UTC)","Pair","Side","Price","Executed","Amount","Fee"
            "2020-06-23 17:12:05","KAVAUSDT","BUY","0.50","4.000KAVA","2.000USDT","0.04000KAVA"
            "2021-02-01 08:00:00","BTCUSDT","SELL","33,500.00","0.0100BTC","335.00USDT","0.00075BNB"
            """
        let t = try parse(text)
        #expect(t.count == 2)
        #expect(
            t[0]
                == TradeLine(
                    line: 2, time: 1_592_932_325, symbol: "KAVA", side: .buy, quantity: 4, price: 0.5, quote: "USDT",
                    fee: 0.04, feeSymbol: "KAVA", venue: "binance"))
        #expect(t[1].price == 33_500 && t[1].feeSymbol == "BNB" && t[1].quote == "USDT" && t[1].side == .sell)
        let bad = text.replacingOccurrences(of: "\"BTCUSDT\"", with: "\"ETHUSDT\"")
        #expect(problem(bad).hasPrefix("t.csv:3: Pair:"))
    }

    @Test func coinbaseFillsReport() throws {
        let text = """
            portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit
            default,12345,BTC-USD,BUY,2021-03-15T19:04:11.123Z,0.01,BTC,56000.00,2.80,-562.80,USD
            """
        let t = try #require(try parse(text).first)
        #expect(
            t
                == TradeLine(
                    line: 2, time: 1_615_835_051, symbol: "BTC", side: .buy, quantity: 0.01, price: 56_000,
                    quote: "USD",
                    fee: 2.8, feeSymbol: "USD", venue: "coinbase", id: "12345"))
        #expect(problem(text, .kraken).hasPrefix("t.csv:1: header: not a kraken export"))
    }

    @Test func krakenTradesExport() throws {
        let text = """
            "txid","ordertxid","pair","time","type","ordertype","price","cost","fee","vol","margin","misc","ledgers"
            "TXA1","OQ1","XXBTZUSD","2021-01-05 14:22:33.1234","buy","limit","31000.0","310.0","0.80","0.01","0.0","","LA,LB"
            "TXA2","OQ2","SOLUSDT","2021-01-06 00:00:00","sell","market","2.0","20.0","0.05","10","0.0","","LC"
            """
        let t = try parse(text, .kraken)
        #expect(
            t[0]
                == TradeLine(
                    line: 2, time: 1_609_856_553, symbol: "BTC", side: .buy, quantity: 0.01, price: 31_000,
                    quote: "USD",
                    fee: 0.8, feeSymbol: "USD", venue: "kraken", id: "TXA1"))
        #expect(t[1].symbol == "SOL" && t[1].quote == "USDT" && t[1].quantity == 10 && t[1].side == .sell)
    }

    @Test func balances() throws {
        let b = try BalanceFile.parse(Data("symbol,quantity\nbtc,0.5\nETH,2\nBTC,0.25\n".utf8), file: "b.csv")
        #expect(b == ["BTC": 0.75, "ETH": 2])
        #expect(throws: InputError.self) { try BalanceFile.parse(Data("coin,amount\nBTC,1\n".utf8), file: "b.csv") }
    }
}
