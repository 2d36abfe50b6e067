import Foundation
import TestSupport
import Testing

/// Runs the built `indextop` in a private home folder (XDG folders, vault, feed log all inside it).
struct ProcessHarness {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = URL(fileURLWithPath: BuiltProduct.path("indextop"))
    static let passphrase = "integration test passphrase"

    struct Result {
        let code: Int32
        let out: String
        let err: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("indextop-integ-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// The database the tests use.
    var db: String { home.appendingPathComponent("indextop.db").path }
    /// `$XDG_DATA_HOME/indextop`: vault and audit log.
    var dataDir: URL { home.appendingPathComponent("data/indextop") }

    /// Removes the home folder (call in `defer`).
    func cleanUp() { try? FileManager.default.removeItem(at: home) }

    /// Copies the suite's demo database (see ``DemoDatabase``) to ``db``.
    func copyDemo() throws {
        guard let template = DemoDatabase.template else {
            throw Failure(description: "the suite needs the DemoDatabase trait")
        }
        for suffix in ["", "-wal", "-shm"] {
            let from = template.path + suffix
            if FileManager.default.fileExists(atPath: from) {
                try FileManager.default.copyItem(atPath: from, toPath: db + suffix)
            }
        }
    }

    /// Runs `indextop ARGS` with a clean environment; stdout and stderr go to files (no pipe deadlocks) and
    /// stdin comes from a file removed afterwards.
    func run(
        _ args: [String], stdin: String = "", passphrase: String? = ProcessHarness.passphrase,
        environment: [String: String] = [:]
    ) throws -> Result {
        try Self.run(Self.binary, args, home: home, stdin: stdin, passphrase: passphrase, extra: environment)
    }

    /// `sqlite3 -readonly DB SQL`, trimmed.
    func sqlite(_ sql: String) throws -> String {
        let r = try Self.run(
            URL(fileURLWithPath: "/usr/bin/sqlite3"), ["-readonly", db, sql], home: home, stdin: "", passphrase: nil)
        guard r.code == 0 else { throw Failure(description: "sqlite3 failed: \(r.err)") }
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every byte of every file under the home folder.
    func allBytes() throws -> Data {
        var all = Data()
        let names = FileManager.default.enumerator(atPath: home.path)?.allObjects as? [String] ?? []
        for name in names {
            var isDirectory: ObjCBool = false
            let path = home.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                all.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return all
    }

    static func run(
        _ executable: URL, _ args: [String], home: URL, stdin: String, passphrase: String?,
        extra: [String: String] = [:]
    ) throws -> Result {
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": home.path, "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
            "XDG_CONFIG_HOME": home.appendingPathComponent("config").path, "INDEXTOP_VAULT_KDF": "pbkdf2",
        ]
        if let passphrase { environment["INDEXTOP_PASSPHRASE"] = passphrase }
        environment.merge(extra) { _, new in new }
        let r = try runCaptured(executable, args, environment: environment, stdin: stdin, scratch: home)
        return Result(code: r.status, out: r.stdout, err: r.stderr)
    }
}

/// A suite trait that creates one `indextop init --demo` database for the whole suite (about 3 s in debug)
/// and removes it when the suite ends; each test copies it with ``ProcessHarness/copyDemo()``.
struct DemoDatabase: SuiteTrait, TestScoping {
    /// The suite's demo database, while the suite runs.
    @TaskLocal static var template: URL?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("indextop-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("demo.db")
        let r = try ProcessHarness.run(
            ProcessHarness.binary, ["init", "--demo", "--db", db.path], home: folder, stdin: "", passphrase: nil)
        guard r.code == 0 else { throw ProcessHarness.Failure(description: "init --demo failed: \(r.err)") }
        try await Self.$template.withValue(db) { try await function() }
    }
}

extension Trait where Self == DemoDatabase {
    /// One demo database per suite.
    static var demoDatabase: Self { DemoDatabase() }
}

/// Parses JSON output.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
