import Foundation

/// Parses a balances CSV (`symbol,quantity`, e.g. an exchange's balances export reduced to those two
/// columns) for `indextop holdings SLUG --check FILE`.
public enum BalanceFile {
    /// Symbol → quantity. A symbol listed twice is summed (balances on several venues).
    /// - Throws: `InputError` naming the line and field of the first problem.
    public static func parse(_ data: Data, file: String) throws -> [String: Double] {
        let lines = ByteLines.split(data).filter { !$0.text.allSatisfy { $0 == 32 || $0 == 9 } }
        guard let head = lines.first else { throw InputError(file: file, "empty file: no balances") }
        let header = CSVRow.fields(head.text).map { $0.lowercased() }
        guard let si = header.firstIndex(of: "symbol"), let qi = header.firstIndex(of: "quantity") else {
            throw InputError(file: file, line: head.number, field: "header", "must be symbol,quantity")
        }
        var out: [String: Double] = [:]
        for l in lines.dropFirst() {
            let cols = CSVRow.fields(l.text)
            guard cols.count == header.count else {
                throw InputError(file: file, line: l.number, "has \(cols.count) fields, the header has \(header.count)")
            }
            let symbol = try TradeFile.symbol(cols[si], file: file, line: l.number)
            let q = try TradeFile.number(cols[qi], field: "quantity", file: file, line: l.number, positive: false)
            guard let q else { throw InputError(file: file, line: l.number, field: "quantity", "missing") }
            out[symbol, default: 0] += q
        }
        return out
    }
}
