import Dashboard
import Foundation
import TestSupport
import Testing

/// Seeded random-mutation fuzzing of the config reader: never crashes, every problem one short line.
@Suite struct ConfigFuzzTests {
    @Test func configFiles() {
        var m = Mutator(corpus: "config", seed: 7)
        for i in 0..<4000 {
            let config = DashboardConfig(text: String(decoding: m.next(), as: UTF8.self), path: "c")
            for p in config.problems {
                if let q = Mutator.problem(p) { Issue.record("#\(i): \(q)") }
            }
        }
    }
}
