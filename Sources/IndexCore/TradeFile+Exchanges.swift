import Foundation

/// Rows of the exchanges' own trade-history exports (headers in `TradeFormat.headers`; sources in the
/// README's "Trades" section).
enum ExchangeRows {
    /// Binance `Date(UTC),Pair,Side,Price,Executed,Amount,Fee`: `Executed`, `Amount` and `Fee` carry their
    /// currency as a suffix (`4.000KAVA`, `2.000USDT`, `0.04000KAVA`); numbers may have thousands commas.
    static func binance(_ c: [String], file: String, line: Int) throws -> TradeLine {
        let executed = try amount(c[4], field: "Executed", file: file, line: line, positive: true)
        let total = try amount(c[5], field: "Amount", file: file, line: line, positive: true)
        let fee = try amount(c[6], field: "Fee", file: file, line: line, positive: false)
        let price = try number(c[3], field: "Price", file: file, line: line)
        let pair = c[1].uppercased()
        guard pair == executed.unit + total.unit else {
            throw InputError(
                file: file, line: line, field: "Pair",
                "'\(TradeFile.clip(c[1]))' is not \(executed.unit) + \(total.unit) (from Executed and Amount)")
        }
        return TradeLine(
            line: line, time: try TradeFile.time(c[0], file: file, line: line, field: "Date(UTC)"),
            symbol: try TradeFile.symbol(executed.unit, file: file, line: line, field: "Executed"),
            side: try TradeFile.side(c[2], file: file, line: line), quantity: executed.value, price: price,
            quote: total.unit, fee: fee.value, feeSymbol: fee.unit.isEmpty ? total.unit : fee.unit, venue: "binance")
    }

    /// Coinbase fills `portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit`.
    static func coinbase(_ c: [String], file: String, line: Int) throws -> TradeLine {
        let t = c
        let unit = t[10].uppercased()
        let product = t[2].uppercased().split(separator: "-").map(String.init)
        let symbol = try TradeFile.symbol(t[6], file: file, line: line, field: "size unit")
        guard product.count == 2, product[0] == symbol, product[1] == unit else {
            throw InputError(
                file: file, line: line, field: "product",
                "'\(TradeFile.clip(t[2]))' is not \(symbol)-\(unit) (size unit and price/fee/total unit)")
        }
        return TradeLine(
            line: line, time: try TradeFile.time(t[4], file: file, line: line, field: "created at"), symbol: symbol,
            side: try TradeFile.side(t[3], file: file, line: line),
            quantity: try number(t[5], field: "size", file: file, line: line),
            price: try number(t[7], field: "price", file: file, line: line), quote: unit,
            fee: try number(t[8], field: "fee", file: file, line: line, positive: false), feeSymbol: unit,
            venue: "coinbase", id: t[1].isEmpty ? nil : t[1])
    }

    /// Kraken `txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers`; `price`
    /// and `fee` are in the pair's quote currency, `vol` in its base.
    static func kraken(_ c: [String], file: String, line: Int) throws -> TradeLine {
        let t = c
        guard let (base, quote) = krakenPair(t[2]) else {
            throw InputError(file: file, line: line, field: "pair", "'\(TradeFile.clip(t[2]))' is not a known pair")
        }
        return TradeLine(
            line: line, time: try TradeFile.time(t[3], file: file, line: line),
            symbol: try TradeFile.symbol(base, file: file, line: line, field: "pair"),
            side: try TradeFile.side(t[4], file: file, line: line),
            quantity: try number(t[9], field: "vol", file: file, line: line),
            price: try number(t[6], field: "price", file: file, line: line), quote: quote,
            fee: try number(t[8], field: "fee", file: file, line: line, positive: false), feeSymbol: quote,
            venue: "kraken", id: t[0].isEmpty ? nil : t[0])
    }

    /// Kraken's asset codes in our symbols.
    static let krakenAssets = ["XBT": "BTC", "XDG": "DOGE", "XXBT": "BTC", "XXDG": "DOGE", "XETH": "ETH"]
    static let krakenQuotes = [
        "ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY", "USDT", "USDC", "USD", "EUR", "GBP", "CAD", "JPY", "CHF", "XXBT", "XBT",
        "XETH", "ETH", "DAI",
    ]

    /// `XXBTZUSD` → (BTC, USD), `ETHUSDT` → (ETH, USDT), `XBT/USD` → (BTC, USD).
    static func krakenPair(_ s: String) -> (String, String)? {
        func norm(_ a: String) -> String {
            if let m = krakenAssets[a] { return m }
            if a.count == 4, a.first == "Z", ["ZUSD", "ZEUR", "ZGBP", "ZCAD", "ZJPY"].contains(a) {
                return String(a.dropFirst())
            }
            if a.count == 4, a.first == "X", ["XETH", "XLTC", "XXRP", "XXLM", "XZEC", "XXMR", "XETC"].contains(a) {
                return String(a.dropFirst())
            }
            return a
        }
        let p = s.uppercased()
        if p.contains("/") {
            let parts = p.split(separator: "/").map(String.init)
            return parts.count == 2 && !parts[0].isEmpty ? (norm(parts[0]), norm(parts[1])) : nil
        }
        for q in krakenQuotes where p.hasSuffix(q) && p.count > q.count {
            return (norm(String(p.dropLast(q.count))), norm(q))
        }
        return nil
    }

    /// A number that may carry thousands commas; > 0 (or ≥ 0 when not `positive`).
    static func number(_ s: String, field: String, file: String, line: Int, positive: Bool = true) throws -> Double {
        let clean = s.contains(",") ? s.replacingOccurrences(of: ",", with: "") : s
        guard let v = try TradeFile.number(clean, field: field, file: file, line: line, positive: positive) else {
            if positive { throw InputError(file: file, line: line, field: field, "missing") }
            return 0
        }
        return v
    }

    /// `4.000KAVA` → (4.0, "KAVA").
    static func amount(_ s: String, field: String, file: String, line: Int, positive: Bool) throws
        -> (value: Double, unit: String)
    {
        let t = s.replacingOccurrences(of: ",", with: "")
        // Plain decimals only: an exponent letter would be taken from the unit (`1E` of `1ETH`).
        let numberPart = String(t.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") })
        let unit = String(t.dropFirst(numberPart.count)).uppercased()
        let v = try number(numberPart, field: field, file: file, line: line, positive: positive)
        guard unit.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw InputError(file: file, line: line, field: field, "'\(TradeFile.clip(s))' is not an amount")
        }
        return (v, unit)
    }
}
