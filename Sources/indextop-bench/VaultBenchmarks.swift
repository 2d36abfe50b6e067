import Foundation
import Vault

/// The secret scanner on adversarial long lines (issue 15 #11: one 40 000-character line took
/// 247 s with the earlier regexes), uncapped so that the figure shows the algorithm itself.
enum VaultBenchmarks {
    static func run(_ harness: Harness) throws {
        let lines: [(String, String)] = [
            ("alnum", String(repeating: "a1", count: 20_000)),
            ("base64", "coinbase " + String(repeating: "Ab9+", count: 10_000)),
            ("assignments", String(repeating: "secret=", count: 5_715)),
        ]
        for (name, line) in lines {
            try harness.time("scan.line40k.\(name)", runs: 5) {
                var notes: [String] = []
                _ = SecretScanner.scan(text: line, path: "bench", lineCap: .max, notes: &notes)
            }
        }
    }
}
