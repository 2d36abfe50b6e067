import Foundation

/// Parses the assets CSV (DESIGN §12): header `symbol,name,sector,coingecko_id,stablecoin` (any order),
/// on the same record layer as the price files (one line reader, UTF-8 checked, unknown and duplicate
/// columns named, 80-character quotes). Symbols follow ``SymbolRule`` (at most 32 bytes: a 1 000-character
/// symbol is refused); names and sectors are at most ``maxText`` bytes.
public enum AssetFile {
    /// The column names.
    public static let columns = ["symbol", "name", "sector", "coingecko_id", "stablecoin"]
    /// The longest name, sector or CoinGecko id accepted, in bytes.
    public static let maxText = 200

    /// - Throws: `InputError` naming file, line and field of the first problem; nothing is returned then.
    public static func parse(_ data: Data, file: String) throws -> [Asset] {
        var reader = RecordReader(
            file: file, columns: columns, required: ["symbol", "stablecoin"], header: Set(columns))
        var out: [Asset] = []
        var seen = Set<String>()
        func take(_ line: UnsafeBufferPointer<UInt8>, _ number: Int) throws {
            if reader.format == nil, let first = UTCCalendar.trimmed(line).first, first == UInt8(ascii: "{") {
                throw InputError(file: file, line: number, "the assets file is CSV, not JSONL")
            }
            let asset = try reader.read(line, number: number) { f -> Asset in
                let sym = f.bytes(0)
                guard SymbolRule.isValid(sym), SymbolRule.isValid(f.string(0)) else {
                    throw InputError(file: file, line: f.line, field: "symbol", SymbolRule.problem(sym))
                }
                for i in 1...3 where f.bytes(i).count > maxText {
                    throw InputError(
                        file: file, line: f.line, field: columns[i],
                        "\(InputError.quote(bytes: f.bytes(i))) is longer than \(maxText) bytes")
                }
                let stable: Bool
                switch f.string(4).lowercased() {
                case "true": stable = true
                case "false": stable = false
                default:
                    throw InputError(
                        file: file, line: f.line, field: "stablecoin",
                        "\(InputError.quote(bytes: f.bytes(4))) must be true or false")
                }
                let symbol = f.string(0).uppercased()
                let name = f.kind(1) == .absent ? symbol : f.string(1)
                let id = f.kind(3) == .absent ? nil : f.string(3)
                return Asset(symbol: symbol, name: name, sector: f.string(2), isStablecoin: stable, coingeckoId: id)
            }
            guard let asset else { return }
            guard seen.insert(asset.symbol).inserted else {
                throw InputError(file: file, line: number, field: "symbol", "duplicate \(asset.symbol)")
            }
            out.append(asset)
        }
        var lines = LineReader()
        do {
            try data.withUnsafeBytes { raw in
                try lines.feed(raw.bindMemory(to: UInt8.self), take)
                try lines.finish(take)
            }
        } catch let e as LineReader.LineTooLong {
            throw InputError(file: file, line: e.line, "line longer than \(lines.maxLineLength) bytes")
        }
        try reader.finish(what: "assets")
        return out
    }
}
