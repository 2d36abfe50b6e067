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

    // The number formats below delegate to `IndexCore.Format`, the one home shared with the dashboard:
    // grouped thousands, prices with at least 4 significant digits, never exponent notation.

    /// `1234.5` → `1,234.50`.
    static func money(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return grouped(v)
    }

    /// `v` with two decimals and thousands separators.
    static func grouped(_ v: Double) -> String { Format.fixed(v, 2, grouped: true) }

    /// A fraction as a percentage with sign: `0.0123` → `+1.23%`.
    static func pct(_ v: Double?, signed: Bool = true) -> String {
        guard let v, v.isFinite else { return "—" }
        return Format.percent(v, signed: signed)
    }

    /// A quantity, grouped, with at least 4 significant digits below 1 (`139,349,940`, `0.00002169`).
    static func qty(_ v: Double) -> String { Format.quantity(v) }

    /// A price with at least 4 significant digits (`61,250.00`, `0.00002169`).
    static func price(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return Format.price(v)
    }
}
