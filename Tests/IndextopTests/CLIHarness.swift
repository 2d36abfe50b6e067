import Foundation
import TestSupport

/// What one run of the built `indextop` binary did.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Non-empty lines of stderr.
    var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// stdout decoded as JSON.
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

    /// stdout decoded as a JSON object.
    func object() throws -> [String: Any] {
        guard let o = try json() as? [String: Any] else { throw CLIHarness.Failure("not a JSON object: \(stdout)") }
        return o
    }

    /// stdout decoded as a JSON array of objects.
    func array() throws -> [[String: Any]] {
        guard let a = try json() as? [[String: Any]] else { throw CLIHarness.Failure("not a JSON array: \(stdout)") }
        return a
    }
}

/// Runs the built `indextop` in a temporary folder with a private environment.
final class CLIHarness {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The package root, three folders above this file (Tests/IndextopTests/CLIHarness.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = BuiltProduct.path("indextop")

    let directory: String
    /// The `--db` path used by `run`.
    var db: String { directory + "/data/indextop.db" }

    init() throws {
        let base = FileManager.default.temporaryDirectory.path + "/indextop-cli-test-XXXXXX"
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else { throw Failure("mkdtemp failed") }
        directory = String(cString: made)
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure("\(Self.binary) is missing: run `swift build` first")
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `text` to `name` in the temporary folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `indextop ARGS --db <temp db>`.
    func run(_ args: [String]) throws -> CLIResult { try raw(args + ["--db", db]) }

    /// Runs `indextop ARGS` as given, with HOME and XDG_DATA_HOME inside the temporary folder.
    func raw(_ args: [String]) throws -> CLIResult {
        var env = ProcessInfo.processInfo.environment
        for key in ["INDEXTOP_DB", "INDEXTOP_ENV", "INDEXTOP_PASSPHRASE", "XDG_CONFIG_HOME", "NO_COLOR"] {
            env[key] = nil
        }
        env["HOME"] = directory + "/home"
        env["XDG_DATA_HOME"] = directory + "/home/.local/share"
        let r = try runCaptured(
            URL(fileURLWithPath: Self.binary), args, environment: env, scratch: URL(fileURLWithPath: directory))
        return CLIResult(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
}
