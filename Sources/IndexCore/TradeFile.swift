import Foundation

/// One trade as read from a file, before it is valued in the index's base currency.
public struct TradeLine: Sendable, Equatable {
    /// 1-based line in the file (for `FILE:LINE: field: problem`).
    public var line: Int
    /// Unix seconds (UTC).
    public var time: Int64
    /// The traded asset, upper case.
    public var symbol: String
    /// `buy` or `sell`.
    public var side: TradeKind
    /// Gross quantity (> 0).
    public var quantity: Double
    /// Price per unit in `quote` (> 0).
    public var price: Double
    /// The currency of `price`; "" is the index's base currency.
    public var quote: String
    /// Fee amount (≥ 0) in `feeSymbol`.
    public var fee: Double
    /// The fee's currency; "" is the currency of `price`.
    public var feeSymbol: String
    /// Where it was executed (free text, may be empty).
    public var venue: String
    /// The trade's id in its venue; nil when the file has none (an id is then derived from the row).
    public var id: String?

    /// A trade line; see each property.
    public init(
        line: Int, time: Int64, symbol: String, side: TradeKind, quantity: Double, price: Double, quote: String = "",
        fee: Double = 0, feeSymbol: String = "", venue: String = "", id: String? = nil
    ) {
        self.line = line
        self.time = time
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.price = price
        self.quote = quote
        self.fee = fee
        self.feeSymbol = feeSymbol
        self.venue = venue
        self.id = id
    }
}

/// The trade-file formats `indextop trades import` reads (README "Trades" documents each header and its
/// source).
public enum TradeFormat: String, Sendable, CaseIterable {
    /// `time,symbol,side,quantity,price,fee[,fee_symbol][,venue][,id]` (any column order), or JSONL objects
    /// with the same keys. Price and fee are in the base currency unless `fee_symbol` says otherwise.
    case generic
    /// Binance's spot trade history export: `Date(UTC),Pair,Side,Price,Executed,Amount,Fee`.
    case binance
    /// Coinbase's fills report: `portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit`.
    case coinbase
    /// Kraken's trades export: `txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers`.
    case kraken

    /// The exact header each exchange export starts with (lower-cased, quotes removed).
    public static let headers: [TradeFormat: [String]] = [
        .binance: ["date(utc)", "pair", "side", "price", "executed", "amount", "fee"],
        .coinbase: [
            "portfolio", "trade id", "product", "side", "created at", "size", "size unit", "price", "fee", "total",
            "price/fee/total unit",
        ],
        .kraken: [
            "txid", "ordertxid", "pair", "time", "type", "ordertype", "price", "cost", "fee", "vol", "margin", "misc",
            "ledgers",
        ],
    ]
}

/// Parses trade files (generic CSV/JSONL and the exchange exports), pure: no prices, no store.
public enum TradeFile {
    /// Parses `data` as `format` (nil: recognised from the header, else generic).
    /// - Throws: `InputError` naming the file, line and field of the first problem.
    public static func parse(_ data: Data, file: String, format: TradeFormat? = nil) throws -> [TradeLine] {
        let lines = ByteLines.split(data)
        guard let first = lines.firstIndex(where: { !$0.text.allSatisfy { $0 == 32 || $0 == 9 } }) else {
            throw InputError(file: file, "empty file: no trades")
        }
        let head = lines[first]
        if head.text.first == UInt8(ascii: "{") {
            guard format == nil || format == .generic else {
                throw InputError(file: file, line: head.number, field: "header", "JSONL is the generic format only")
            }
            return try parseJSONL(lines, file: file)
        }
        let header = CSVRow.fields(head.text).map { $0.lowercased() }
        let detected = TradeFormat.headers.first { $0.value == header }?.key
        let chosen = format ?? detected ?? .generic
        if chosen != .generic, detected != chosen {
            throw InputError(
                file: file, line: head.number, field: "header",
                "not a \(chosen.rawValue) export: expected \(TradeFormat.headers[chosen]!.joined(separator: ","))")
        }
        var out: [TradeLine] = []
        out.reserveCapacity(lines.count)
        let parseRow: ([String], Int) throws -> TradeLine
        switch chosen {
        case .generic:
            let g = try GenericColumns(header, file: file, line: head.number)
            parseRow = { try g.trade($0, file: file, line: $1) }
        case .binance: parseRow = { try ExchangeRows.binance($0, file: file, line: $1) }
        case .coinbase: parseRow = { try ExchangeRows.coinbase($0, file: file, line: $1) }
        case .kraken: parseRow = { try ExchangeRows.kraken($0, file: file, line: $1) }
        }
        for l in lines[(first + 1)...] where !l.text.allSatisfy({ $0 == 32 || $0 == 9 }) {
            let cols = CSVRow.fields(l.text)
            guard cols.count == header.count else {
                throw InputError(file: file, line: l.number, "has \(cols.count) fields, the header has \(header.count)")
            }
            out.append(try parseRow(cols, l.number))
        }
        if out.isEmpty { throw InputError(file: file, "empty file: a header but no trades") }
        return out
    }

    static func parseJSONL(_ lines: [ByteLines.Line], file: String) throws -> [TradeLine] {
        var out: [TradeLine] = []
        for l in lines where !l.text.allSatisfy({ $0 == 32 || $0 == 9 }) {
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(l.text))) as? [String: Any] else {
                throw InputError(file: file, line: l.number, "not a JSON object")
            }
            func text(_ key: String) throws -> String? {
                guard let v = obj[key], !(v is NSNull) else { return nil }
                if let s = v as? String { return s }
                if let n = v as? NSNumber, !isJSONBool(n) { return n.stringValue }
                throw InputError(file: file, line: l.number, field: key, "must be a string")
            }
            guard let timeText = try text("time") else {
                throw InputError(file: file, line: l.number, field: "time", "missing")
            }
            let time = try self.time(timeText, file: file, line: l.number)
            let quantity = try number(text("quantity") ?? "", field: "quantity", file: file, line: l.number)!
            let price = try number(text("price") ?? "", field: "price", file: file, line: l.number)!
            let fee = try number(text("fee") ?? "", field: "fee", file: file, line: l.number, positive: false) ?? 0
            out.append(
                TradeLine(
                    line: l.number, time: time,
                    symbol: try symbol(text("symbol") ?? "", file: file, line: l.number),
                    side: try side(text("side") ?? "", file: file, line: l.number), quantity: quantity, price: price,
                    fee: fee, feeSymbol: try text("fee_symbol")?.uppercased() ?? "", venue: try text("venue") ?? "",
                    id: try text("id").flatMap { $0.isEmpty ? nil : $0 }))
        }
        return out
    }

    /// A number by the one strict number parser (`StrictNumber`): a price in `NumberLimits.price` and > 0,
    /// a quantity > 0 and at most 1e15, a fee ≥ 0; empty is missing (an error when `positive`, else nil).
    static func number(_ s: String, field: String, file: String, line: Int, positive: Bool = true) throws -> Double? {
        if s.isEmpty {
            if positive { throw InputError(file: file, line: line, field: field, "missing") }
            return nil
        }
        let range = field.lowercased().contains("price") ? NumberLimits.price : 0...1e15
        return try StrictNumber.value(s, in: range, exclusiveLower: positive, file: file, line: line, field: field)
    }

    /// `buy` or `sell`, any case.
    static func side(_ s: String, file: String, line: Int) throws -> TradeKind {
        // The exact spellings first: lower-casing every row costs more than the rest of the row.
        if s == "buy" { return .buy }
        if s == "sell" { return .sell }
        switch trim(s).lowercased() {
        case "buy": return .buy
        case "sell": return .sell
        default:
            throw InputError(file: file, line: line, field: "side", "'\(clip(s))' is not buy or sell")
        }
    }

    /// An asset symbol, upper-cased.
    static func symbol(_ s: String, file: String, line: Int, field: String = "symbol") throws -> String {
        var t = trim(s)
        guard !t.isEmpty else { throw InputError(file: file, line: line, field: field, "missing") }
        // Fast path: ASCII upper-case letters, digits, '-' and '.' (almost every symbol).
        if t.utf8.count <= 20,
            t.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 })
        {
            return t
        }
        t = t.uppercased()
        guard t.count <= 20, t.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw InputError(file: file, line: line, field: field, "'\(clip(s))' is not a symbol")
        }
        return t
    }

    static func time(_ s: String, file: String, line: Int, field: String = "time") throws -> Int64 {
        guard let t = UTCCalendar.parse(s) else {
            throw InputError(file: file, line: line, field: field, "'\(clip(s))' is not ISO-8601 or Unix seconds")
        }
        return t
    }

    /// `s` without leading and trailing spaces and tabs (unchanged, without copying, when it has none).
    static func trim(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return s }
        if f != 32 && f != 9 && l != 32 && l != 9 { return s }
        return String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// At most 80 characters of a bad value, for error messages.
    static func clip(_ s: String) -> String { s.count <= 80 ? s : String(s.prefix(77)) + "..." }
}

/// Column positions of a generic trades CSV, found by name.
struct GenericColumns {
    let time, symbol, side, quantity, price, fee: Int
    let feeSymbol, venue, id: Int?

    init(_ header: [String], file: String, line: Int) throws {
        func need(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else {
                throw InputError(
                    file: file, line: line, field: "header",
                    "must have time,symbol,side,quantity,price,fee[,fee_symbol][,venue][,id] (no '\(name)')")
            }
            return i
        }
        time = try need("time")
        symbol = try need("symbol")
        side = try need("side")
        quantity = try need("quantity")
        price = try need("price")
        fee = try need("fee")
        feeSymbol = header.firstIndex(of: "fee_symbol")
        venue = header.firstIndex(of: "venue")
        id = header.firstIndex(of: "id")
    }

    func trade(_ t: [String], file: String, line: Int) throws -> TradeLine {
        TradeLine(
            line: line, time: try TradeFile.time(t[time], file: file, line: line),
            symbol: try TradeFile.symbol(t[symbol], file: file, line: line),
            side: try TradeFile.side(t[side], file: file, line: line),
            quantity: try TradeFile.number(t[quantity], field: "quantity", file: file, line: line)!,
            price: try TradeFile.number(t[price], field: "price", file: file, line: line)!,
            fee: try TradeFile.number(t[fee], field: "fee", file: file, line: line, positive: false) ?? 0,
            feeSymbol: feeSymbol.map { t[$0].uppercased() } ?? "", venue: venue.map { t[$0] } ?? "",
            id: id.flatMap { t[$0].isEmpty ? nil : t[$0] })
    }
}

/// Lines of a text file as bytes, numbered from 1 (blank lines counted): a byte-order mark dropped; LF,
/// CRLF or a lone CR ends a line: the lines of ``TextLines/ranges(_:)`` with their numbers.
enum ByteLines {
    struct Line {
        var number: Int
        var text: ArraySlice<UInt8>
    }

    /// The lines of `data` by the one line rule (``TextLines/ranges(_:)``).
    static func split(_ data: Data) -> [Line] {
        let bytes = [UInt8](data)
        return TextLines.ranges(bytes).enumerated().map { Line(number: $0.offset + 1, text: bytes[$0.element]) }
    }
}

/// One CSV row split into fields (RFC 4180 quotes: `"a,b"` and `""` inside quotes), each without the
/// spaces and tabs around it.
enum CSVRow {
    static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        func trimmed(_ f: ArraySlice<UInt8>) -> String {
            var a = f.startIndex
            var b = f.endIndex
            while a < b, f[a] == 32 || f[a] == 9 { a += 1 }
            while b > a, f[b - 1] == 32 || f[b - 1] == 9 { b -= 1 }
            return f[a..<b].withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
        }
        if !line.contains(quote) {
            return line.split(separator: comma, omittingEmptySubsequences: false).map(trimmed)
        }
        var out: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < line.endIndex, line[i + 1] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == quote {
                inQuotes = true
                field.removeAll { $0 == 32 || $0 == 9 }  // spaces before the opening quote
            } else if c == comma {
                out.append(trimmed(field[...]))
                field.removeAll(keepingCapacity: true)
            } else {
                field.append(c)
            }
            i += 1
        }
        out.append(trimmed(field[...]))
        return out
    }
}
