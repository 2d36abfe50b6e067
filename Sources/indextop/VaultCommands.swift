import Foundation
import PortfolioStore
import Vault

#if canImport(Glibc)
    import Glibc
#endif

/// The `keys`, `audit` and `scan` commands (DESIGN §9, §12), parsed with the shared `Args`.
enum VaultCommands {
    /// `indextop help keys`.
    static let keysUsage = """
        indextop keys add --provider P --scope read|trade [--expires DAYS] [--label L]
               indextop keys list [--json]
               indextop keys rotate ID [--expires DAYS]
               indextop keys revoke|suspend|resume ID
               indextop keys verify [--json]
               indextop keys accept-restore
        The secret is read from stdin (one line) or a no-echo prompt, never from arguments.
        The passphrase comes from --passphrase-fd N, --passphrase-file PATH (mode 0600),
        INDEXTOP_PASSPHRASE, or a no-echo prompt. The first key added binds the database
        (--db) to this environment's vault: its applies then ask that vault's passphrase.
        accept-restore accepts a vault file older than the audit log's record (a deliberate
        restore from a backup) and audits it.
        """

    /// `indextop help audit`.
    static let auditUsage = """
        indextop audit show [--json] [--tail N]
               indextop audit verify
        show prints the log without the passphrase; verify checks the HMAC chain with it and
        names the first broken line (exit 1), and reports writes interrupted after their intent.
        """

    /// `indextop help scan`.
    static let scanUsage = """
        indextop scan PATH...
        Looks for exposed API keys, PEM private keys and secrets assigned to key/secret/token
        names; prints FILE:LINE: RULE: xxxx…last4 and exits 1 when it finds any. Lines longer
        than 16384 bytes are scanned in their first 16384 and named in a note on stderr.
        """

    /// Runs `keys`, `audit` or `scan` with the words after the command (global options removed).
    /// Returns the exit code; throws `UsageError` (exit 2) and `Failure` (exit 1).
    static func run(command: String, _ args: inout Args, cli: CLI) throws -> Int32 {
        do {
            switch command {
            case "keys":
                let source = try VaultBridge.passphraseOptions(&args)
                return try keys(&args, cli: cli, source: source)
            case "audit":
                let source = try VaultBridge.passphraseOptions(&args)
                return try audit(&args, cli: cli, source: source)
            default:
                return try scan(&args)
            }
        } catch let error as VaultError {
            throw Failure(error.description)
        }
    }

    // MARK: keys

    static func keys(_ args: inout Args, cli: CLI, source: PassphraseSource) throws -> Int32 {
        guard let sub = args.optionalPositional() else { throw UsageError("keys needs a subcommand") }
        let location = VaultLocation.standard(env: cli.env)
        switch sub {
        case "add":
            guard let provider = try args.option("--provider")?.lowercased() else {
                throw UsageError("--provider is required")
            }
            guard let scope = KeyScope(rawValue: try args.option("--scope") ?? "read") else {
                throw UsageError("--scope must be read or trade")
            }
            let days = try args.int("--expires") ?? UnlockedVault.defaultExpiryDays
            let label = try args.option("--label") ?? ""
            try finish(args)
            let vault: UnlockedVault
            if location.vaultExists {
                vault = try unlock(location, source)
            } else {
                vault = try UnlockedVault.create(location: location, passphrase: try newPassphrase(source))
                Output.error("indextop: created vault \(location.vaultURL.path)")
            }
            let secret = try readSecret(prompt: "API secret for \(provider) (\(scope.rawValue)): ")
            let info = try vault.add(
                provider: provider, scope: scope, secret: secret, label: label, expiresInDays: days)
            Output.line("added \(info.id) v\(info.version) \(info.masked ?? "") expires \(day(info.expires))")
            bindDatabase(cli)
        case "list":
            try finish(args)
            guard location.vaultExists else {
                Output.line(cli.json ? "[]" : "no vault for environment \(cli.env)")
                return 0
            }
            let keys = try unlock(location, source).keys()
            if cli.json { printJSON(keys.map(keyJSON)) } else { printKeyTable(keys) }
        case "rotate":
            let days = try args.int("--expires") ?? UnlockedVault.defaultExpiryDays
            let id = try keyID(&args)
            let vault = try unlock(location, source)
            let secret = try readSecret(prompt: "New API secret for \(id): ")
            let info = try vault.rotate(keyId: id, secret: secret, expiresInDays: days)
            Output.line("rotated \(info.id): v\(info.version) \(info.masked ?? "") pending its first successful use")
        case "revoke", "suspend", "resume":
            let id = try keyID(&args)
            let vault = try unlock(location, source)
            let versions: [UInt32]
            switch sub {
            case "revoke": versions = try vault.revoke(keyId: id)
            case "suspend": versions = try vault.suspend(keyId: id)
            default: versions = try vault.resume(keyId: id)
            }
            let verb = sub == "revoke" ? "revoked (compromised)" : sub == "suspend" ? "suspended" : "resumed"
            Output.line("\(verb) \(id) version(s) \(versions.map(String.init).joined(separator: ","))")
        case "verify":
            try finish(args)
            return try verify(try unlock(location, source), json: cli.json)
        case "accept-restore":
            try finish(args)
            guard let outcome = try UnlockedVault.acceptRestore(location: location, passphrase: source) else {
                Output.line("nothing to accept: the vault file is not older than the audit log's record")
                return 0
            }
            Output.line(
                "accepted the restored vault at generation \(outcome.found) (the audit log had recorded \(outcome.recorded)); audited as vault.accept-restore"
            )
        default:
            throw UsageError("unknown keys subcommand '\(sub.prefix(40))'")
        }
        return 0
    }

    static func verify(_ vault: UnlockedVault, json: Bool) throws -> Int32 {
        let report = try vault.verify()
        if json {
            printJSON(
                [
                    "records": report.records, "generation": report.generation,
                    "expired": report.expired.map(keyJSON), "expiring_soon": report.expiringSoon.map(keyJSON),
                    "audit": ["ok": report.audit.ok, "message": report.audit.message],
                ] as [String: Any])
        } else {
            Output.line(
                "vault ok: \(report.records) record(s) decrypted, file MAC verified, generation \(report.generation)")
            for key in report.expired { Output.line("EXPIRED  \(key.id) v\(key.version) since \(day(key.expires))") }
            for key in report.expiringSoon { Output.line("expiring \(key.id) v\(key.version) on \(day(key.expires))") }
            Output.line("audit: \(report.audit.message)")
        }
        return report.audit.ok ? 0 : 1
    }

    // MARK: audit

    static func audit(_ args: inout Args, cli: CLI, source: PassphraseSource) throws -> Int32 {
        guard let sub = args.optionalPositional() else { throw UsageError("audit needs a subcommand") }
        let location = VaultLocation.standard(env: cli.env)
        switch sub {
        case "show":
            let count = try args.int("--tail") ?? Int.max
            guard count >= 0 else { throw UsageError("--tail must be 0 or more") }
            try finish(args)
            // A log that is refused (permissions, a foreign folder) is an error, not an empty log.
            let entries = try AuditLog.entries(url: location.auditURL, count: count)
            if cli.json {
                printJSON(entries.map(entryJSON))
            } else {
                for e in entries {
                    let detail = e.detail.keys.sorted().map { "\($0)=\(e.detail[$0]!)" }.joined(separator: " ")
                    Output.line(
                        "\(e.seq)\t\(AuditEntry.formatTime(e.time))\t\(e.actor)\t\(e.action)\t\(e.keyId ?? "-")\t\(e.result)\t\(detail)"
                    )
                }
            }
            return 0
        case "verify":
            try finish(args)
            let result = try unlock(location, source).verifyAudit()
            if result.ok {
                Output.line("audit: \(result.message)")
                return 0
            }
            Output.error("indextop: audit: \(result.message)")
            return 1
        default:
            throw UsageError("unknown audit subcommand '\(sub.prefix(40))'")
        }
    }

    // MARK: scan

    static func scan(_ args: inout Args) throws -> Int32 {
        var paths: [String] = []
        while let path = args.optionalPositional() { paths.append(path) }
        try args.finish()
        guard !paths.isEmpty else { throw UsageError("scan needs at least one PATH") }
        var errors: [String] = []
        var notes: [String] = []
        let findings = SecretScanner.scan(paths: paths, errors: &errors, notes: &notes)
        for finding in findings { Output.line(finding.description) }
        for note in notes { Output.error("indextop: note: \(note)") }
        for error in errors { Output.error("indextop: \(error)") }
        return findings.isEmpty && errors.isEmpty ? 0 : 1
    }
}
