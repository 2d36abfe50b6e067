import Foundation
import IndexCore

/// Reads price lines: CSV `time,symbol,price[,market_cap,volume]` (a header line naming the
/// columns may reorder them) or JSONL objects with the same keys. Time is ISO-8601 or Unix
/// seconds. Used by the file follower (and usable by `import prices`).
public struct PriceLineParser: Sendable {
    private var columns: [String: Int] = ["time": 0, "symbol": 1, "price": 2, "market_cap": 3, "volume": 4]

    public init() {}

    /// The outcome of one line.
    public enum Line: Sendable, Equatable {
        /// A valid point.
        case point(PricePoint)
        /// A CSV header (columns taken from it) or a blank or `#` comment line.
        case skipped
        /// An invalid line, with the reason (field named).
        case rejected(String)
    }

    /// Parses one line (without its newline). A CSV header line changes the column order
    /// for the lines that follow.
    public mutating func parse(_ line: Substring) -> Line {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty || text.hasPrefix("#") { return .skipped }
        if text.hasPrefix("{") { return parseJSON(text) }
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let lowered = fields.map { $0.lowercased() }
        if lowered.contains("symbol"), lowered.contains("price") {
            var map: [String: Int] = [:]
            for (i, name) in lowered.enumerated() { map[name] = i }
            guard map["time"] != nil else { return .rejected("header has no time column") }
            columns = map
            return .skipped
        }
        func field(_ name: String) -> String? {
            guard let i = columns[name], i < fields.count, !fields[i].isEmpty else { return nil }
            return fields[i]
        }
        return build(
            time: field("time"), symbol: field("symbol"), price: field("price").map { Double($0) ?? .nan },
            priceText: field("price"), marketCap: field("market_cap").flatMap(Double.init),
            volume: field("volume").flatMap(Double.init))
    }

    private func parseJSON(_ text: String) -> Line {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Data(text.utf8))
        } catch {
            return .rejected("malformed JSON (\(error.message))")
        }
        var time: String?
        switch value["time"] {
        case .number(let seconds)?: time = seconds.isFinite ? String(Int64(seconds)) : nil
        case .string(let s)?: time = s
        default: time = nil
        }
        let priceValue = value["price"]
        return build(
            time: time, symbol: value["symbol"]?.string, price: priceValue?.double ?? (priceValue == nil ? nil : .nan),
            priceText: priceValue == nil || priceValue == .null ? nil : "x", marketCap: value["market_cap"]?.double,
            volume: value["volume"]?.double)
    }

    private func build(
        time: String?, symbol: String?, price: Double?, priceText: String?, marketCap: Double?, volume: Double?
    ) -> Line {
        guard let timeText = time else { return .rejected("missing time") }
        guard let t = ISOTime.parseFlexible(timeText) else { return .rejected("bad time '\(timeText.prefix(40))'") }
        guard let symbol = symbol?.uppercased(), !symbol.isEmpty else { return .rejected("missing symbol") }
        guard priceText != nil, let price else { return .rejected("\(symbol): missing price") }
        guard price.isFinite else { return .rejected("\(symbol): price is not a finite number") }
        guard price > 0 else { return .rejected("\(symbol): price is not positive") }
        let cap = marketCap.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        let vol = volume.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        return .point(PricePoint(symbol: symbol, time: t, price: price, marketCap: cap, volume: vol))
    }
}
