import Foundation

/// One benchmark's result.
struct BenchResult {
    var name: String
    var median: Double
    var min: Double
    var unit: String
    var runs: Int
}

/// Runs benchmarks several times after a warm-up and reports the median and the minimum.
final class Harness {
    let filter: String?
    let json: Bool
    private(set) var results: [BenchResult] = []

    init(filter: String?, json: Bool) {
        self.filter = filter
        self.json = json
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func wants(_ name: String) -> Bool { filter.map { name.contains($0) } ?? true }

    /// Times `body` (milliseconds): one warm-up, then `runs` measured runs.
    func time(_ name: String, runs: Int = 7, setup: () throws -> Void = {}, _ body: () throws -> Void) rethrows {
        guard wants(name) else { return }
        try setup()
        try body()
        var samples: [Double] = []
        for _ in 0..<runs {
            try setup()
            let t0 = Harness.now()
            try body()
            samples.append((Harness.now() - t0) * 1000)
        }
        record(name, samples, unit: "ms")
    }

    /// Records a throughput figure computed by the caller (higher is better: min is the worst run).
    func throughput(_ name: String, runs: Int = 3, _ body: () throws -> Double) rethrows {
        guard wants(name) else { return }
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try body()) }
        let sorted = samples.sorted()
        let r = BenchResult(
            name: name, median: sorted[sorted.count / 2], min: sorted.first!, unit: "rows/s", runs: runs)
        results.append(r)
        print(r)
    }

    func record(_ name: String, _ samples: [Double], unit: String) {
        let sorted = samples.sorted()
        let r = BenchResult(
            name: name, median: sorted[sorted.count / 2], min: sorted.first!, unit: unit, runs: samples.count)
        results.append(r)
        print(r)
    }

    func print(_ r: BenchResult) {
        guard !json else { return }
        let name = r.name.padding(toLength: max(24, r.name.count), withPad: " ", startingAt: 0)
        let line =
            name + String(format: " median %12.4f  min %12.4f  ", r.median, r.min) + "\(r.unit)  (\(r.runs) runs)"
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func finish() {
        guard json else { return }
        let arr = results.map {
            ["name": $0.name, "median": $0.median, "min": $0.min, "unit": $0.unit, "runs": $0.runs] as [String: Any]
        }
        if let data = try? JSONSerialization.data(withJSONObject: arr, options: [.prettyPrinted, .sortedKeys]) {
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
    }
}
