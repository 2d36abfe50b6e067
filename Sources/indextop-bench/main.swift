import Foundation

var args = Array(CommandLine.arguments.dropFirst())
var filter: String?
if let i = args.firstIndex(of: "--filter"), i + 1 < args.count {
    filter = args[i + 1]
    args.removeSubrange(i...(i + 1))
}
let json = args.contains("--json")
let harness = Harness(filter: filter, json: json)
let scratch = NSTemporaryDirectory() + "indextop-bench-\(getpid())"
try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
do {
    try CoreBenchmarks.run(harness, scratch: scratch)
    try DashboardBenchmarks.run(harness, scratch: scratch)
    try SignalBenchmarks.run(harness)
    try MarketBenchmarkRunner.run(harness)
    try StoredTickBenchmark.run(harness, scratch: scratch)
    try TradeBenchmarks.run(harness, scratch: scratch)
} catch {
    FileHandle.standardError.write(Data("indextop-bench: \(error)\n".utf8))
    exit(1)
}
harness.finish()
