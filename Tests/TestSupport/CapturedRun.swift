import Foundation

/// What a finished command printed and how it ended.
public struct CapturedRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` with `arguments` and exactly `environment`, feeding `stdin`; stdout and stderr go
/// through files in `scratch` (not pipes, so nothing can block on a full pipe buffer), removed afterwards.
public func runCaptured(
    _ executable: URL, _ arguments: [String], environment: [String: String], stdin: String = "", scratch: URL
) throws -> CapturedRun {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    let id = UUID().uuidString
    let outURL = scratch.appendingPathComponent(".out-\(id)")
    let errURL = scratch.appendingPathComponent(".err-\(id)")
    let inURL = scratch.appendingPathComponent(".in-\(id)")
    try Data(stdin.utf8).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    let inHandle = try FileHandle(forReadingFrom: inURL)
    defer {
        try? outHandle.close()
        try? errHandle.close()
        try? inHandle.close()
        for url in [outURL, errURL, inURL] { try? FileManager.default.removeItem(at: url) }
    }
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = inHandle
    try process.runToCompletion()
    return CapturedRun(
        status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
        stderr: try String(contentsOf: errURL, encoding: .utf8))
}
