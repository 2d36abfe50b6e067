import Foundation
import TestSupport
import Testing

@testable import TerminalUI

/// Seeded random-mutation fuzzing of the theme parser: never crashes, every diagnostic one short line.
@Suite struct ThemeFuzzTests {
    @Test func themeFiles() {
        var m = Mutator(corpus: "theme", seed: 6)
        for i in 0..<4000 {
            let text = String(decoding: m.next(), as: UTF8.self)
            let (_, diagnostics) = ThemeParser.parse(text, name: "t", file: "t.theme")
            for d in diagnostics {
                if let p = Mutator.problem(d.description) { Issue.record("#\(i): \(p)") }
            }
        }
    }
}
