import Foundation
import TestSupport
import Testing

/// End-to-end tests of `indextop keys|audit|scan` through the built binary.
@Suite struct VaultCLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/indextop")
    static let canary = "CANARYsecret7Qx9Zr4Lm2Wv8Np3Kt6"
    static let passphrase = "cli test passphrase"

    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("indextop-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    var dataDir: URL { home.appendingPathComponent("data/indextop") }

    struct Result {
        let code: Int32
        let out: String
        let err: String
    }

    /// Runs the binary with a clean environment; stdout and stderr go to files (no pipe deadlocks).
    func run(_ args: [String], stdin: String = "", passphrase: String? = VaultCLITests.passphrase) throws -> Result {
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": home.path, "XDG_DATA_HOME": home.appendingPathComponent("data").path,
            "INDEXTOP_VAULT_KDF": "pbkdf2",
        ]
        if let passphrase { environment["INDEXTOP_PASSPHRASE"] = passphrase }
        let r = try runCaptured(Self.binary, args, environment: environment, stdin: stdin, scratch: home)
        return Result(code: r.status, out: r.stdout, err: r.stderr)
    }

    /// Every byte of every file under the data folder.
    func allDataBytes() throws -> Data {
        var all = Data()
        let files = FileManager.default.enumerator(atPath: dataDir.path)?.allObjects as? [String] ?? []
        for name in files {
            var isDirectory: ObjCBool = false
            let path = dataDir.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                all.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return all
    }

    @Test func theCanaryNeverLeaks() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        var outputs: [Result] = []
        let add = try run(
            ["keys", "add", "--provider", "coingecko", "--scope", "read", "--label", "main", "--env", "test"],
            stdin: Self.canary + "\n")
        #expect(add.code == 0, "\(add.err)")
        outputs.append(add)
        let list = try run(["--env", "test", "keys", "list", "--json"])
        #expect(list.code == 0)
        outputs.append(list)
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        #expect(keys.count == 1)
        #expect(keys.first?["id"] as? String == "coingecko/test/read")
        #expect(keys.first?["masked"] as? String == "****3Kt6")
        #expect(keys.first?["state"] as? String == "active")
        #expect(keys.first?["version"] as? Int == 1)
        for field in ["provider", "env", "scope", "created", "expires", "last_used"] {
            #expect(keys.first?.keys.contains(field) == true, "missing \(field)")
        }
        outputs.append(try run(["keys", "list", "--env", "test"]))
        outputs.append(
            try run(["keys", "rotate", "coingecko/test/read", "--env", "test"], stdin: Self.canary + "ROT\n"))
        outputs.append(try run(["keys", "verify", "--env", "test"]))
        outputs.append(try run(["audit", "show", "--env", "test"]))
        outputs.append(try run(["audit", "show", "--json", "--env", "test"]))
        let verify = try run(["audit", "verify", "--env", "test"])
        #expect(verify.code == 0, "\(verify.err)")
        outputs.append(verify)
        outputs.append(try run(["keys", "revoke", "coingecko/test/read", "--env", "test"]))
        for output in outputs {
            #expect(output.code == 0, "\(output.err)")
            #expect(!output.out.contains("CANARY"))
            #expect(!output.err.contains("CANARY"))
            #expect(!output.out.contains(Self.passphrase))
            #expect(!output.err.contains(Self.passphrase))
        }
        let bytes = try allDataBytes()
        #expect(bytes.count > 0)
        #expect(bytes.range(of: Data("CANARY".utf8)) == nil)
        #expect(bytes.range(of: Data(Self.passphrase.utf8)) == nil)
    }

    @Test func wrongPassphraseIsOneLineAndChangesNothing() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let add = try run(["keys", "add", "--provider", "kraken", "--scope", "trade"], stdin: Self.canary + "\n")
        #expect(add.code == 0, "\(add.err)")
        let vaultURL = dataDir.appendingPathComponent("vault-dev.idxv")
        let before = try Data(contentsOf: vaultURL)
        let wrong = try run(["keys", "suspend", "kraken/dev/trade"], passphrase: "not it")
        #expect(wrong.code == 1)
        #expect(wrong.err.split(separator: "\n").count == 1)
        #expect(wrong.err.contains("wrong passphrase"))
        #expect(try Data(contentsOf: vaultURL) == before)
        let show = try run(["audit", "show", "--json"], passphrase: nil)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [[String: Any]])
        #expect(entries.last?["action"] as? String == "unlock")
        #expect(entries.last?["result"] as? String == "failed")
    }

    @Test func passphraseFromADescriptorAndAuditTampering() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        // --passphrase-fd 0: the first stdin line is the passphrase, the second the secret.
        let add = try run(
            ["keys", "add", "--provider", "tokenmetrics", "--passphrase-fd", "0"],
            stdin: "fd passphrase\n\(Self.canary)\n", passphrase: nil)
        #expect(add.code == 0, "\(add.err)")
        let list = try run(["keys", "list", "--passphrase-fd", "0"], stdin: "fd passphrase\n", passphrase: nil)
        #expect(list.code == 0)
        #expect(list.out.contains("tokenmetrics/dev/read"))
        let auditURL = dataDir.appendingPathComponent("audit-dev.jsonl")
        var lines = try String(contentsOf: auditURL, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "\"actor\":\"cli\"", with: "\"actor\":\"eve\"")
        try (lines.joined(separator: "\n") + "\n").write(to: auditURL, atomically: false, encoding: .utf8)
        let verify = try run(["audit", "verify", "--passphrase-fd", "0"], stdin: "fd passphrase\n", passphrase: nil)
        #expect(verify.code == 1)
        #expect(verify.err.contains("line 2"))
    }

    @Test func scanExitCodes() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let project = home.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try "placeholder = REDACTED\n".write(
            to: project.appendingPathComponent("clean.ini"), atomically: false, encoding: .utf8)
        let clean = try run(["scan", project.path], passphrase: nil)
        #expect(clean.code == 0)
        #expect(clean.out.isEmpty)
        try "COINGECKO=CG-Zq81Lk2Pw93Mx7Nb4Vc6Rt5Y\n".write(
            to: project.appendingPathComponent(".env"), atomically: false, encoding: .utf8)
        let found = try run(["scan", project.path], passphrase: nil)
        #expect(found.code == 1)
        #expect(found.out.hasSuffix(".env:1: coingecko-demo: xxxx…Rt5Y\n"))
        #expect(!found.out.contains("Zq81"))
        #expect(try run(["scan"], passphrase: nil).code == 2)
        #expect(try run(["keys", "frobnicate"], passphrase: nil).code == 2)
    }
}
