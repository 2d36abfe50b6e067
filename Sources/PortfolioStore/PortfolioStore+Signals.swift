import Foundation
import IndexCore
import SQLiteKit

extension PortfolioStore {
    /// Stores imported signals in one transaction (replacing the same symbol, day and source).
    public func insertImportedSignals(_ list: [ImportedSignal]) throws {
        try db.transaction {
            for s in list {
                let components = try JSONSerialization.data(
                    withJSONObject: ["source": s.source, "imported": true], options: [.sortedKeys])
                try db.run(
                    """
                    INSERT INTO signals(symbol, time, score, label, components, source) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(symbol, time, source) DO UPDATE SET score = excluded.score, label = excluded.label,
                        components = excluded.components
                    """, [s.symbol, s.day, s.score, s.label, String(decoding: components, as: UTF8.self), s.source])
            }
        }
    }
}
