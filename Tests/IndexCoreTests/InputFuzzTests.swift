import Foundation
import IndexCore
import TestSupport
import Testing

/// Seeded random-mutation fuzzing of the file parsers (issue 15): no crash, and every refusal is one
/// line of at most 200 characters. `.ci/fuzz.sh` runs the same parsers under libFuzzer for minutes.
@Suite struct InputFuzzTests {
    static let iterations = 4000
    let bounds = TimeBounds.standard(now: 1_764_547_200)

    private func fuzz(_ corpus: String, seed: UInt64, _ parse: (Data) throws -> Void) {
        var m = Mutator(corpus: corpus, seed: seed)
        #expect(m.seeds.count > 1 || !m.seeds[0].isEmpty, "no corpus at \(Mutator.corpusDirectory)/\(corpus)")
        for i in 0..<Self.iterations {
            let input = m.next()
            do {
                try parse(Data(input))
            } catch let e as InputError {
                if let p = Mutator.problem(e.description) { Issue.record("seed \(seed) #\(i): \(p)") }
            } catch {
                Issue.record("seed \(seed) #\(i): not an InputError: \(error)")
            }
        }
    }

    @Test func priceCSV() {
        fuzz("prices-csv", seed: 1) {
            _ = try PriceFile.parse($0, file: "f", knownSymbols: ["BTC", "ETH", "SOL"], bounds: bounds)
        }
    }

    @Test func priceJSONL() {
        fuzz("prices-jsonl", seed: 2) { _ = try PriceFile.parse($0, file: "f", bounds: bounds) }
    }

    @Test func followedPriceLines() {
        // The follower's form: every line on its own, errors collected, never thrown out of the feed.
        fuzz("prices-csv", seed: 3) { data in
            var parser = PriceLineParser(file: "f", bounds: bounds, known: nil, requireHeader: false)
            var lines = LineReader()
            var problems: [String] = []
            let take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void = { line, n in
                do { _ = try parser.parse(line, number: n) } catch { problems.append("\(error)") }
            }
            try data.withUnsafeBytes { raw in
                try lines.feed(raw.bindMemory(to: UInt8.self), take)
                try lines.finish(take)
            }
            for p in problems { if let q = Mutator.problem(p) { Issue.record("follower: \(q)") } }
        }
    }

    @Test func signals() {
        fuzz("signals", seed: 4) {
            _ = try SignalFile.parse($0, file: "f", knownSymbols: ["BTC", "SOL"], bounds: bounds)
        }
    }

    @Test func assets() {
        fuzz("assets", seed: 5) { _ = try AssetFile.parse($0, file: "f") }
    }
}
