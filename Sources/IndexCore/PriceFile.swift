import Foundation

/// Parses price files (DESIGN §8): CSV with header `time,symbol,price[,market_cap,volume]` or JSONL
/// objects with the same keys; time is ISO-8601 or Unix seconds.
public enum PriceFile {
    /// Parses `data`. `file` names it in errors; `knownSymbols` (when given) rejects other symbols.
    /// - Throws: `InputError` naming file, line and field of the first bad value; nothing is returned then.
    public static func parse(_ data: Data, file: String, knownSymbols: Set<String>? = nil) throws -> [PricePoint] {
        // Spreadsheets save "CSV UTF-8" with a byte-order mark, which would hide the header's first name.
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift: splitting on "\n" alone would leave CRLF files in one line.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let firstNonEmpty = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw InputError(file: file, "empty file: no prices")
        }
        let isJSONL = firstNonEmpty.trimmingCharacters(in: .whitespaces).hasPrefix("{")
        var out: [PricePoint] = []
        out.reserveCapacity(lines.count)
        var seen = Set<String>()
        func record(_ p: PricePoint, line: Int) throws {
            if let known = knownSymbols, !known.contains(p.symbol) {
                throw InputError(
                    file: file, line: line, field: "symbol",
                    "unknown symbol '\(p.symbol)' (add it with `indextop assets add`)")
            }
            let key = "\(p.symbol)@\(p.time)"
            if !seen.insert(key).inserted {
                throw InputError(
                    file: file, line: line, field: "time", "duplicate row for \(p.symbol) at \(UTCCalendar.iso(p.time))"
                )
            }
            out.append(p)
        }
        if isJSONL {
            for (i, raw) in lines.enumerated() {
                let line = i + 1
                if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                guard let obj = (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] else {
                    throw InputError(file: file, line: line, "not a JSON object")
                }
                let t = try timeValue(obj["time"], file: file, line: line)
                guard let sym = obj["symbol"] as? String, !sym.isEmpty else {
                    throw InputError(file: file, line: line, field: "symbol", "missing")
                }
                let price = try number(obj["price"], field: "price", file: file, line: line, positive: true)!
                let cap = try number(obj["market_cap"], field: "market_cap", file: file, line: line, optional: true)
                let vol = try number(obj["volume"], field: "volume", file: file, line: line, optional: true)
                try record(
                    PricePoint(symbol: sym.uppercased(), time: t, price: price, marketCap: cap, volume: vol), line: line
                )
            }
            return out
        }
        let header = lines[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let ti = header.firstIndex(of: "time"), let si = header.firstIndex(of: "symbol"),
            let pi = header.firstIndex(of: "price")
        else {
            throw InputError(file: file, line: 1, field: "header", "must be time,symbol,price[,market_cap,volume]")
        }
        let ci = header.firstIndex(of: "market_cap")
        let vi = header.firstIndex(of: "volume")
        if lines.count < 2 { throw InputError(file: file, "empty file: a header but no prices") }
        for i in 1..<lines.count {
            let line = i + 1
            let raw = lines[i]
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cols = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cols.count == header.count else {
                throw InputError(file: file, line: line, "has \(cols.count) fields, the header has \(header.count)")
            }
            guard let t = UTCCalendar.parse(cols[ti]) else {
                throw InputError(file: file, line: line, field: "time", "'\(cols[ti])' is not ISO-8601 or Unix seconds")
            }
            let sym = cols[si].uppercased()
            guard !sym.isEmpty else { throw InputError(file: file, line: line, field: "symbol", "missing") }
            let price = try parseNumber(cols[pi], field: "price", file: file, line: line, positive: true)!
            let cap = try ci.flatMap { try parseNumber(cols[$0], field: "market_cap", file: file, line: line) }
            let vol = try vi.flatMap { try parseNumber(cols[$0], field: "volume", file: file, line: line) }
            try record(PricePoint(symbol: sym, time: t, price: price, marketCap: cap, volume: vol), line: line)
        }
        return out
    }

    static func parseNumber(_ s: String, field: String, file: String, line: Int, positive: Bool = false) throws
        -> Double?
    {
        if s.isEmpty {
            if positive { throw InputError(file: file, line: line, field: field, "missing") }
            return nil
        }
        guard let v = Double(s) else {
            throw InputError(file: file, line: line, field: field, "'\(s)' is not a number")
        }
        guard v.isFinite else {
            throw InputError(file: file, line: line, field: field, "'\(s)' is not a finite number")
        }
        if positive, v <= 0 { throw InputError(file: file, line: line, field: field, "'\(s)' must be > 0") }
        if !positive, v < 0 { throw InputError(file: file, line: line, field: field, "'\(s)' must be ≥ 0") }
        return v
    }

    static func number(
        _ any: Any?, field: String, file: String, line: Int, positive: Bool = false, optional: Bool = false
    ) throws -> Double? {
        guard let any, !(any is NSNull) else {
            if optional { return nil }
            throw InputError(file: file, line: line, field: field, "missing")
        }
        if let s = any as? String {
            return try parseNumber(s, field: field, file: file, line: line, positive: positive)
        }
        guard !isJSONBool(any), let n = any as? NSNumber else {
            throw InputError(file: file, line: line, field: field, "'\(any)' is not a number")
        }
        return try parseNumber(
            "\(n.doubleValue)", field: field, file: file, line: line, positive: positive)
    }

    static func timeValue(_ any: Any?, file: String, line: Int) throws -> Int64 {
        if let s = any as? String, let t = UTCCalendar.parse(s) { return t }
        if let any, !isJSONBool(any), let n = any as? NSNumber, n.doubleValue.isFinite, n.doubleValue >= 0,
            n.doubleValue < 1e11
        {
            return Int64(n.doubleValue)
        }
        throw InputError(
            file: file, line: line, field: "time", "'\(any.map { "\($0)" } ?? "")' is not ISO-8601 or Unix seconds")
    }
}
