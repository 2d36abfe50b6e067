// libFuzzer entry points for the input parsers (issue 15), built by `.ci/fuzz.sh` into a throwaway
// package under `.build/fuzz` (never part of `swift build` / `swift test`). One target per parser,
// chosen with `-D FUZZ_<NAME>`. A refusal must be an `InputError` of one line ≤ 200 characters;
// anything else (a trap, a sanitizer report, another error) is a finding.
import Foundation
import IndexCore

#if FUZZ_THEME
    import TerminalUI
#endif
#if FUZZ_CONFIG
    import Dashboard
#endif

private let bounds = TimeBounds.standard(now: 1_764_547_200)

private func check(_ body: () throws -> Void) {
    do {
        try body()
    } catch let e as InputError {
        let m = e.description
        precondition(!m.contains("\n") && !m.contains("\r") && m.count <= 200, "bad message: \(m.prefix(300))")
    } catch {
        preconditionFailure("not an InputError: \(error)")
    }
}

private func oneLine(_ messages: [String]) {
    for m in messages { precondition(!m.contains("\n") && m.count <= 200, "bad message: \(m.prefix(300))") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = Data(bytes: bytes, count: size)
    #if FUZZ_PRICES_CSV || FUZZ_PRICES_JSONL
        check { _ = try PriceFile.parse(data, file: "f", knownSymbols: ["BTC", "ETH", "SOL"], bounds: bounds) }
        var parser = PriceLineParser(file: "f", bounds: bounds, known: nil, requireHeader: false)
        var lines = LineReader()
        var problems: [String] = []
        let take: (UnsafeBufferPointer<UInt8>, Int) throws -> Void = { line, n in
            do { _ = try parser.parse(line, number: n) } catch { problems.append("\(error)") }
        }
        check {
            try data.withUnsafeBytes { raw in
                try lines.feed(raw.bindMemory(to: UInt8.self), take)
                try lines.finish(take)
            }
        }
        oneLine(problems)
    #elseif FUZZ_SIGNALS
        check { _ = try SignalFile.parse(data, file: "f", knownSymbols: ["BTC", "SOL"], bounds: bounds) }
    #elseif FUZZ_ASSETS
        check { _ = try AssetFile.parse(data, file: "f") }
    #elseif FUZZ_THEME
        let text = String(decoding: data, as: UTF8.self)
        oneLine(ThemeParser.parse(text, name: "t", file: "t").diagnostics.map(\.description))
    #elseif FUZZ_CONFIG
        oneLine(DashboardConfig(text: String(decoding: data, as: UTF8.self), path: "c").problems)
    #endif
    return 0
}
