import Foundation

/// Seeded random mutation of input files, for the parsers' fuzz tests (issue 15): the same seed gives
/// the same inputs on every machine, so a failure is reproduced by its seed and iteration.
public struct Mutator {
    private var state: UInt64
    /// The seed inputs (read from `Tests/Fuzz/corpus/<name>/`).
    public let seeds: [[UInt8]]

    /// Bytes that matter to the formats: separators, quotes, braces, line ends, NUL, invalid UTF-8.
    static let interesting: [UInt8] = [
        0x2C, 0x22, 0x7B, 0x7D, 0x5B, 0x3A, 0x0A, 0x0D, 0x00, 0xFF, 0xC3, 0xEF, 0x2D, 0x2B, 0x2E, 0x65, 0x30, 0x39,
        0x23, 0x3D, 0x5C, 0x20, 0x09, 0x78, 0x54, 0x5A,
    ]

    /// A mutator over the corpus folder `name` (plus `extra` seeds).
    public init(corpus name: String, seed: UInt64, extra: [String] = []) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
        let dir = Self.corpusDirectory + "/" + name
        var seeds = extra.map { Array($0.utf8) }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        for f in files.sorted() {
            if let d = FileManager.default.contents(atPath: dir + "/" + f) { seeds.append(Array(d)) }
        }
        self.seeds = seeds.isEmpty ? [[]] : seeds
    }

    /// `Tests/Fuzz/corpus` of this checkout.
    public static var corpusDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus").path
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// The next input: a seed with 1–8 random edits (byte flips, inserts of interesting bytes, deletions,
    /// duplicated ranges, splices of another seed, long runs).
    public mutating func next() -> [UInt8] {
        var b = seeds[below(seeds.count)]
        for _ in 0...below(8) {
            let at = below(b.count + 1)
            switch below(7) {
            case 0 where !b.isEmpty: b[min(at, b.count - 1)] ^= UInt8(1 << below(8))
            case 1: b.insert(Self.interesting[below(Self.interesting.count)], at: at)
            case 2 where !b.isEmpty:
                let end = min(b.count, at + 1 + below(16))
                b.removeSubrange(min(at, b.count - 1)..<end)
            case 3 where at < b.count:
                let end = min(b.count, at + 1 + below(32))
                b.insert(contentsOf: b[at..<end], at: below(b.count + 1))
            case 4:
                let other = seeds[below(seeds.count)]
                let from = below(other.count + 1)
                b.insert(contentsOf: other[from..<min(other.count, from + below(64))], at: at)
            case 5:
                let byte = Self.interesting[below(Self.interesting.count)]
                b.insert(contentsOf: repeatElement(byte, count: below(300)), at: at)
            default:
                let digits = Array(String(next() >> UInt64(below(64))).utf8)
                b.insert(contentsOf: digits, at: at)
            }
        }
        return b
    }

    /// A problem with an error message, or nil when it is one line of at most `limit` characters.
    public static func problem(_ message: String, limit: Int = 200) -> String? {
        if message.contains("\n") || message.contains("\r") { return "more than one line: \(message.prefix(300))" }
        if message.count > limit { return "\(message.count) characters: \(message.prefix(300))" }
        return nil
    }
}
