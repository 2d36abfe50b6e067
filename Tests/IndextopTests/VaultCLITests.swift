import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import TestSupport
import Testing

/// End-to-end tests of `indextop keys|audit|scan` through the built binary.
@Suite struct VaultCLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = URL(fileURLWithPath: BuiltProduct.path("indextop"))
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

    /// A database with three assets, two days of prices and the index `l1`, at the default path.
    func seedDatabase() throws {
        let prices = home.appendingPathComponent("prices.csv")
        try """
        time,symbol,price,market_cap,volume
        2025-01-01T00:00:00Z,BTC,50000,1000,10
        2025-01-01T00:00:00Z,ETH,2500,400,10
        2025-01-01T00:00:00Z,SOL,100,100,10

        """.write(to: prices, atomically: false, encoding: .utf8)
        let spec = home.appendingPathComponent("l1.json")
        try """
        {"slug":"l1","name":"Layer 1","initial_capital":100000,"universe":["BTC","ETH","SOL"],
         "methodology":{"type":"market-cap","cap":0.5},"rebalance":{"schedule":"weekly","weekday":1},
         "fees_bps":10,"slippage_bps":5,"min_trade":1}
        """.write(to: spec, atomically: false, encoding: .utf8)
        var steps: [[String]] = [["init"]]
        for (symbol, name) in [("BTC", "Bitcoin"), ("ETH", "Ethereum"), ("SOL", "Solana")] {
            steps.append(["assets", "add", symbol, "--name", name, "--sector", "Layer-1"])
        }
        steps += [["import", "prices", prices.path], ["index", "create", spec.path]]
        for step in steps {
            let r = try run(step, passphrase: nil)
            #expect(r.code == 0, "\(step): \(r.err)")
        }
    }

    func auditEntries(_ env: String) throws -> [[String: Any]] {
        let show = try run(["--env", env, "audit", "show", "--json"], passphrase: nil)
        return try #require(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [[String: Any]])
    }

    /// Regression (issue 15 #3): with a vault only for dev, `--env test rebalance SLUG --apply`
    /// applied with no passphrase and no audit entry. The database is bound to the dev vault when
    /// its first key is added; an apply under any --env asks that vault's passphrase.
    @Test func theStepUpFollowsTheDatabaseNotTheEnvironmentName() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        try seedDatabase()
        let add = try run(["keys", "add", "--provider", "coingecko"], stdin: Self.canary + "\n")
        #expect(add.code == 0, "\(add.err)")
        #expect(add.err.contains("confirmed by the dev vault"))
        let appliesBefore = try auditEntries("dev").filter { ($0["action"] as? String) == "rebalance.apply" }.count
        // No passphrase at all: refused, nothing applied.
        let bare = try run(["--env", "test", "rebalance", "l1", "--apply"], passphrase: nil)
        #expect(bare.code == 1)
        #expect(bare.err.contains("rebalance.apply not confirmed"), "\(bare.err)")
        #expect(try run(["history", "l1", "--json"], passphrase: nil).out.contains("\"manual rebalance\"") == false)
        // The wrong passphrase: refused.
        let wrong = try run(["--env", "prod", "rebalance", "l1", "--apply"], passphrase: "not the dev one")
        #expect(wrong.code == 1)
        #expect(wrong.err.contains("wrong passphrase"))
        // The dev passphrase under --env test: applied, and audited in the dev chain.
        let applied = try run(["--env", "test", "rebalance", "l1", "--apply"])
        #expect(applied.code == 0, "\(applied.err)")
        let entries = try auditEntries("dev")
        let applies = entries.filter { ($0["action"] as? String) == "rebalance.apply" }
        #expect(applies.count == appliesBefore + 1)
        let confirm = entries.last { ($0["action"] as? String) == "rebalance.apply.confirm" }
        #expect((confirm?["detail"] as? [String: String])?["env"] == "test")
        #expect(try auditEntries("test").isEmpty)
    }

    /// Regression (#10): a secret given as a stray argument was echoed in the usage error; a long
    /// secret was called a passphrase; an empty one said "no passphrase available".
    @Test func secretsInArgumentsAreNotEchoedAndSecretErrorsSaySecret() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        for args in [
            ["keys", "add", "--provider", "coingecko", Self.canary],
            ["keys", "add", "--provider", "coingecko", "--\(Self.canary)"],
            ["keys", "rotate", Self.canary],
            ["keys", "revoke", "coingecko/dev/read", Self.canary],
            ["keys", "list", "--x=\(Self.canary)"],
        ] {
            let r = try run(args, stdin: "whatever\n")
            #expect(r.code == 2, "\(args)")
            #expect(!r.err.contains("CANARY"), "\(r.err)")
            #expect(r.err.split(separator: "\n").count == 1)
        }
        let long = try run(
            ["keys", "add", "--provider", "coingecko"], stdin: String(repeating: "k", count: 5000) + "\n")
        #expect(long.code == 1)
        #expect(long.err.contains("the API secret is longer than 4096 bytes"), "\(long.err)")
        #expect(!long.err.contains("passphrase"))
        let empty = try run(["keys", "add", "--provider", "tokenmetrics"], stdin: "\n")
        #expect(empty.code == 1)
        #expect(empty.err.contains("the API secret is empty"), "\(empty.err)")
        let none = try run(["keys", "add", "--provider", "binance"], stdin: "")
        #expect(none.err.contains("no API secret given"), "\(none.err)")
        // One source of the passphrase at most.
        let both = try run(["keys", "list", "--passphrase-fd", "0", "--passphrase-file", "/nonexistent"])
        #expect(both.code == 2)
    }

    /// Regression (#10): `audit --help` printed the keys text.
    @Test func auditHelpIsTheAuditHelp() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let help = try run(["audit", "--help"], passphrase: nil)
        #expect(help.code == 0)
        #expect(help.out.contains("indextop audit verify"))
        #expect(!help.out.contains("keys add"))
        #expect(try run(["keys", "--help"], passphrase: nil).out.contains("keys accept-restore"))
    }

    /// Regression (#12): `audit show` on a log it refuses to read printed nothing and exited 0.
    @Test func auditShowOnARefusedLogIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(try run(["keys", "add", "--provider", "coingecko"], stdin: Self.canary + "\n").code == 0)
        let auditURL = dataDir.appendingPathComponent("audit-dev.jsonl")
        #expect(chmod(auditURL.path, 0o644) == 0)
        let show = try run(["audit", "show"], passphrase: nil)
        #expect(show.code == 1)
        #expect(show.out.isEmpty)
        #expect(show.err.split(separator: "\n").count == 1)
        #expect(show.err.contains("chmod 600"), "\(show.err)")
    }

    /// Regression (#6) end to end: a restored older vault is refused by `keys verify` and `audit
    /// verify`; `keys accept-restore` accepts it (audited).
    @Test func aRestoredVaultIsRefusedUntilAccepted() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        #expect(try run(["keys", "add", "--provider", "coingecko"], stdin: Self.canary + "\n").code == 0)
        let vaultURL = dataDir.appendingPathComponent("vault-dev.idxv")
        let backup = try Data(contentsOf: vaultURL)
        #expect(try run(["keys", "revoke", "coingecko/dev/read"]).code == 0)
        try backup.write(to: vaultURL)
        for args in [["keys", "verify"], ["audit", "verify"], ["keys", "list"]] {
            let r = try run(args)
            #expect(r.code == 1, "\(args)")
            #expect(r.err.contains("generation 2 but the audit log recorded generation 3"), "\(r.err)")
        }
        let accept = try run(["keys", "accept-restore"])
        #expect(accept.code == 0, "\(accept.err)")
        #expect(accept.out.contains("generation 2"))
        #expect(try run(["keys", "verify"]).code == 0)
        #expect(try auditEntries("dev").contains { ($0["action"] as? String) == "vault.accept-restore" })
    }
}
