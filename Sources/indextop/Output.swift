import Foundation
import IndexCore

/// Printing helpers for the headless commands: JSON with stable names, and aligned tables.
enum Output {
    /// Writes `text` and a newline to stdout.
    static func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

    /// Writes `text` and a newline to stderr.
    static func error(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// A JSON number, or null for nil and non-finite values.
    static func num(_ v: Double?) -> Any {
        guard let v, v.isFinite else { return NSNull() }
        return v
    }

    /// ISO-8601 UTC time, or null.
    static func time(_ t: Int64?) -> Any {
        guard let t else { return NSNull() }
        return UTCCalendar.iso(t)
    }

    /// Prints `object` as pretty JSON with sorted keys.
    static func json(_ object: Any) {
        do {
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } catch {
            Output.error("indextop: cannot encode JSON: \(error)")
        }
    }

    /// Prints an `Encodable` shape (Printers.swift) as pretty JSON with sorted keys, like ``json(_:)``.
    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            FileHandle.standardOutput.write(try encoder.encode(value))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } catch {
            Output.error("indextop: cannot encode JSON: \(error)")
        }
    }

    /// Prints an aligned table; columns in `right` are right-aligned.
    static func table(_ headers: [String], _ rows: [[String]], right: Set<Int> = []) {
        var widths = headers.map(\.count)
        for r in rows {
            for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
        }
        func fmt(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return right.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        line(fmt(headers))
        for r in rows { line(fmt(r)) }
    }

    /// `1234.5` → `1,234.50`.
    static func money(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return grouped(v)
    }

    /// `v` with two decimals and thousands separators.
    static func grouped(_ v: Double) -> String {
        let s = String(format: "%.2f", abs(v))
        let parts = s.split(separator: ".")
        var intPart = String(parts[0])
        var out = ""
        while intPart.count > 3 {
            out = "," + intPart.suffix(3) + out
            intPart = String(intPart.dropLast(3))
        }
        return (v < 0 && s != "0.00" ? "-" : "") + intPart + out + "." + parts[1]
    }

    /// A fraction as a percentage with sign: `0.0123` → `+1.23%`.
    static func pct(_ v: Double?, signed: Bool = true) -> String {
        guard let v, v.isFinite else { return "—" }
        return String(format: signed ? "%+.2f%%" : "%.2f%%", v * 100)
    }

    /// A quantity with up to 8 significant digits.
    static func qty(_ v: Double) -> String { String(format: "%.8g", v) }

    /// A price with sensible precision.
    static func price(_ v: Double?) -> String {
        guard let v else { return "—" }
        if v >= 1000 { return String(format: "%.2f", v) }
        if v >= 1 { return String(format: "%.4f", v) }
        return String(format: "%.6g", v)
    }
}
