import Foundation

var args = Array(CommandLine.arguments.dropFirst())
var filter: String?
if let i = args.firstIndex(of: "--filter"), i + 1 < args.count {
    filter = args[i + 1]
    args.removeSubrange(i...(i + 1))
}
let json = args.contains("--json")
if args.contains("--help") || args.contains("-h") {
    print(
        """
        usage: indextop-bench [--filter SUBSTRING] [--json]

        Runs each benchmark several times after a warm-up and prints its name, the median, the minimum
        and the unit (ms, rows/s, MB). --filter runs only the benchmarks whose name contains SUBSTRING
        (and builds only the data they need); --json prints [{name, median, min, unit, runs}].
        Build it in release mode: swift run -c release indextop-bench
        """)
    exit(0)
}
if let unknown = args.first(where: { $0 != "--json" }) {
    FileHandle.standardError.write(Data("indextop-bench: unknown argument '\(unknown)' (see --help)\n".utf8))
    exit(2)
}
let harness = Harness(filter: filter, json: json)
let scratch = NSTemporaryDirectory() + "indextop-bench-\(getpid())"
try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
do {
    try CoreBenchmarks.run(harness, scratch: scratch)
    try IngestBenchmarks.run(harness, scratch: scratch)
    try DashboardBenchmarks.run(harness, scratch: scratch)
    try SignalBenchmarks.run(harness)
    try BacktestBenchmarks.run(harness)
    try MarketBenchmarkRunner.run(harness)
    try StoredTickBenchmark.run(harness, scratch: scratch)
    try VaultBenchmarks.run(harness)
    try AlertBenchmarks.run(harness, scratch: scratch)
    try HistoryBenchmark.run(harness, scratch: scratch)
} catch {
    FileHandle.standardError.write(Data("indextop-bench: \(error)\n".utf8))
    exit(1)
}
harness.finish()
