import Foundation

/// A signal from outside (a file or a provider), for one asset and UTC day.
public struct ImportedSignal: Sendable, Equatable {
    public var symbol: String
    /// Start of the UTC day (Unix seconds).
    public var day: Int64
    /// `bullish`, `neutral` or `bearish`.
    public var label: String
    /// Score in [−1, 1] (from the file, else +1/0/−1 from the label).
    public var score: Double
    /// Where it came from (`import`, `tokenmetrics`...).
    public var source: String

    public init(symbol: String, day: Int64, label: String, score: Double, source: String) {
        self.symbol = symbol
        self.day = day
        self.label = label
        self.score = score
        self.source = source
    }
}

/// Parses signal files (DESIGN §5): CSV `time,symbol,signal[,score]` or JSONL with those keys;
/// signal is bullish|neutral|bearish or 1|0|−1.
public enum SignalFile {
    /// - Throws: `InputError` naming file, line and field of the first problem.
    public static func parse(_ data: Data, file: String, knownSymbols: Set<String>? = nil, source: String = "import")
        throws -> [ImportedSignal]
    {
        // Spreadsheets save "CSV UTF-8" with a byte-order mark, which would hide the header's first name.
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // "\r\n" is one Character in Swift: splitting on "\n" alone would leave CRLF files in one line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        guard let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw InputError(file: file, "empty file: no signals")
        }
        var out: [ImportedSignal] = []
        var seen = Set<String>()
        func add(time: Int64?, timeText: String, symbol: String, signal: String, score: String?, line: Int) throws {
            guard let t = time else {
                throw InputError(file: file, line: line, field: "time", "'\(timeText)' is not ISO-8601 or Unix seconds")
            }
            let sym = symbol.uppercased()
            guard !sym.isEmpty else { throw InputError(file: file, line: line, field: "symbol", "missing") }
            if let known = knownSymbols, !known.contains(sym) {
                throw InputError(file: file, line: line, field: "symbol", "unknown symbol '\(symbol)'")
            }
            let label: String
            switch signal.lowercased().replacingOccurrences(of: "−", with: "-") {
            case "bullish", "1", "+1", "1.0": label = "bullish"
            case "neutral", "0", "0.0", "-0": label = "neutral"
            case "bearish", "-1", "-1.0": label = "bearish"
            default:
                throw InputError(
                    file: file, line: line, field: "signal", "'\(signal)' must be bullish, neutral, bearish, 1, 0 or -1"
                )
            }
            var value = label == "bullish" ? 1.0 : label == "bearish" ? -1.0 : 0
            if let score, !score.isEmpty {
                guard let v = Double(score), v.isFinite, v >= -1, v <= 1 else {
                    throw InputError(file: file, line: line, field: "score", "'\(score)' must be a number in [-1, 1]")
                }
                value = v
            }
            let day = UTCCalendar.dayNumber(t) * UTCCalendar.day
            guard seen.insert("\(sym)@\(day)").inserted else {
                throw InputError(
                    file: file, line: line, field: "time", "duplicate signal for \(sym) on \(UTCCalendar.isoDate(day))")
            }
            out.append(ImportedSignal(symbol: sym, day: day, label: label, score: value, source: source))
        }
        if first.trimmingCharacters(in: .whitespaces).hasPrefix("{") {
            for (i, raw) in lines.enumerated() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let o = (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] else {
                    throw InputError(file: file, line: i + 1, "not a JSON object")
                }
                let tText = o["time"].map { "\($0)" } ?? ""
                var t: Int64?
                if let s = o["time"] as? String {
                    t = UTCCalendar.parse(s)
                } else if let n = o["time"] as? NSNumber, !isJSONBool(n) {
                    t = Int64(n.doubleValue)
                }
                let sig = o["signal"].map(Self.jsonText) ?? ""
                // A JSON null score is the same as no score.
                let score = o["score"].flatMap { $0 is NSNull ? nil : Self.jsonText($0) }
                try add(
                    time: t, timeText: tText, symbol: o["symbol"] as? String ?? "", signal: sig, score: score,
                    line: i + 1)
            }
            return out
        }
        let header = lines[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let ti = header.firstIndex(of: "time"), let si = header.firstIndex(of: "symbol"),
            let gi = header.firstIndex(of: "signal")
        else { throw InputError(file: file, line: 1, field: "header", "must be time,symbol,signal[,score]") }
        let sc = header.firstIndex(of: "score")
        for (i, raw) in lines.enumerated().dropFirst() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard f.count == header.count else {
                throw InputError(file: file, line: i + 1, "has \(f.count) fields, the header has \(header.count)")
            }
            try add(
                time: UTCCalendar.parse(f[ti]), timeText: f[ti], symbol: f[si], signal: f[gi], score: sc.map { f[$0] },
                line: i + 1)
        }
        if out.isEmpty { throw InputError(file: file, "empty file: a header but no signals") }
        return out
    }

    /// A JSON value as the text the CSV path would see; booleans stay `true`/`false` (Foundation reads them
    /// as the numbers 1 and 0, which would pass as a bullish signal or a score).
    private static func jsonText(_ value: Any) -> String {
        if isJSONBool(value), let b = value as? Bool { return b ? "true" : "false" }
        return "\(value)"
    }
}
