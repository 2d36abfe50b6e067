import Foundation
import Vault

#if canImport(Glibc)
    import Glibc
#endif

/// The `keys`, `audit` and `scan` commands (DESIGN §9, §12).
enum VaultCommands {
    /// Usage text for the three commands.
    static let usage = """
        usage: indextop keys add --provider P --scope read|trade [--expires DAYS] [--label L]
               indextop keys list [--json]
               indextop keys rotate ID [--expires DAYS]
               indextop keys revoke|suspend|resume ID
               indextop keys verify [--json]
               indextop audit show [--json] [--tail N]
               indextop audit verify
               indextop scan PATH...
        The secret is read from stdin (one line) or a no-echo prompt, never from arguments.
        The passphrase comes from --passphrase-fd N, --passphrase-file PATH (mode 0600),
        INDEXTOP_PASSPHRASE, or a no-echo prompt.
        """

    struct UsageError: Error { let message: String }

    /// `command` is "keys", "audit" or "scan"; `args` are the words after it with the global options
    /// (--db, --env) already removed. Writes to stdout/stderr, returns the exit code (0 ok, 1 failure, 2 usage).
    static func run(command: String, args: [String], env: String) -> Int32 {
        var args = args
        do {
            switch command {
            case "keys":
                let source = try PassphraseSource.fromOptions(&args)
                return try keys(args, env: env, source: source)
            case "audit":
                let source = try PassphraseSource.fromOptions(&args)
                return try audit(args, env: env, source: source)
            case "scan":
                return scan(args)
            default:
                throw UsageError(message: "unknown command \(command)")
            }
        } catch let error as UsageError {
            // One line on stderr, as for every usage error; the full text is `indextop help COMMAND`.
            printError("\(error.message) (see 'indextop help \(command)')")
            return 2
        } catch let error as VaultError where error.code == .invalid && error.message.hasPrefix("--passphrase") {
            printError(error.description)
            return 2
        } catch {
            printError("\(error)")
            return 1
        }
    }

    // MARK: keys

    static func keys(_ args: [String], env: String, source: PassphraseSource) throws -> Int32 {
        guard let sub = args.first else { throw UsageError(message: "keys needs a subcommand") }
        var options = Options(Array(args.dropFirst()))
        let location = VaultLocation.standard(env: env)
        switch sub {
        case "add":
            let provider = try options.value("--provider", required: true)!.lowercased()
            guard let scope = KeyScope(rawValue: try options.value("--scope") ?? "read") else {
                throw UsageError(message: "--scope must be read or trade")
            }
            let days = try options.int("--expires") ?? UnlockedVault.defaultExpiryDays
            let label = try options.value("--label") ?? ""
            try options.finish(positional: 0)
            let vault: UnlockedVault
            if location.vaultExists {
                vault = try unlock(location, source)
            } else {
                vault = try UnlockedVault.create(location: location, passphrase: try newPassphrase(source))
                printError("created vault \(location.vaultURL.path)")
            }
            let secret = try readSecret(prompt: "API secret for \(provider) (\(scope.rawValue)): ")
            let info = try vault.add(
                provider: provider, scope: scope, secret: secret, label: label, expiresInDays: days)
            print("added \(info.id) v\(info.version) \(info.masked ?? "") expires \(day(info.expires))")
        case "list":
            let json = options.flag("--json")
            try options.finish(positional: 0)
            guard location.vaultExists else {
                print(json ? "[]" : "no vault for environment \(env)")
                return 0
            }
            let vault = try unlock(location, source)
            let keys = try vault.keys()
            if json {
                printJSON(keys.map(keyJSON))
            } else {
                printKeyTable(keys)
            }
        case "rotate":
            let days = try options.int("--expires") ?? UnlockedVault.defaultExpiryDays
            let id = try options.finish(positional: 1)[0]
            let vault = try unlock(location, source)
            let secret = try readSecret(prompt: "New API secret for \(id): ")
            let info = try vault.rotate(keyId: id, secret: secret, expiresInDays: days)
            print("rotated \(info.id): v\(info.version) \(info.masked ?? "") pending its first successful use")
        case "revoke", "suspend", "resume":
            let id = try options.finish(positional: 1)[0]
            let vault = try unlock(location, source)
            let versions: [UInt32]
            switch sub {
            case "revoke": versions = try vault.revoke(keyId: id)
            case "suspend": versions = try vault.suspend(keyId: id)
            default: versions = try vault.resume(keyId: id)
            }
            let verb = sub == "revoke" ? "revoked (compromised)" : sub == "suspend" ? "suspended" : "resumed"
            print("\(verb) \(id) version(s) \(versions.map(String.init).joined(separator: ","))")
        case "verify":
            let json = options.flag("--json")
            try options.finish(positional: 0)
            let vault = try unlock(location, source)
            let report = try vault.verify()
            if json {
                printJSON(
                    [
                        "records": report.records, "generation": report.generation,
                        "expired": report.expired.map(keyJSON), "expiring_soon": report.expiringSoon.map(keyJSON),
                        "audit": ["ok": report.audit.ok, "message": report.audit.message],
                    ] as [String: Any])
            } else {
                print(
                    "vault ok: \(report.records) record(s) decrypted, file MAC verified, generation \(report.generation)"
                )
                for key in report.expired { print("EXPIRED  \(key.id) v\(key.version) since \(day(key.expires))") }
                for key in report.expiringSoon { print("expiring \(key.id) v\(key.version) on \(day(key.expires))") }
                print("audit: \(report.audit.message)")
            }
            return report.audit.ok ? 0 : 1
        default:
            throw UsageError(message: "unknown keys subcommand \(sub)")
        }
        return 0
    }

    // MARK: audit

    static func audit(_ args: [String], env: String, source: PassphraseSource) throws -> Int32 {
        guard let sub = args.first else { throw UsageError(message: "audit needs a subcommand") }
        var options = Options(Array(args.dropFirst()))
        let location = VaultLocation.standard(env: env)
        switch sub {
        case "show":
            let json = options.flag("--json")
            let count = try options.int("--tail") ?? Int.max
            try options.finish(positional: 0)
            let entries = AuditLog.tail(url: location.auditURL, count: count)
            if json {
                printJSON(entries.map(entryJSON))
            } else {
                for e in entries {
                    let detail = e.detail.keys.sorted().map { "\($0)=\(e.detail[$0]!)" }.joined(separator: " ")
                    print(
                        "\(e.seq)\t\(AuditEntry.formatTime(e.time))\t\(e.actor)\t\(e.action)\t\(e.keyId ?? "-")\t\(e.result)\t\(detail)"
                    )
                }
            }
            return 0
        case "verify":
            try options.finish(positional: 0)
            let vault = try UnlockedVault.unlock(location: location, passphrase: source)
            let result = vault.verifyAudit()
            if result.ok {
                print("audit: \(result.message)")
                return 0
            }
            printError("audit: \(result.message)")
            return 1
        default:
            throw UsageError(message: "unknown audit subcommand \(sub)")
        }
    }

    // MARK: scan

    static func scan(_ args: [String]) -> Int32 {
        guard !args.isEmpty, !args.contains(where: { $0.hasPrefix("-") && $0 != "-" }) else {
            printError("usage: indextop scan PATH...")
            return 2
        }
        var errors: [String] = []
        let findings = SecretScanner.scan(paths: args, errors: &errors)
        for finding in findings { print(finding.description) }
        for error in errors { printError(error) }
        return findings.isEmpty && errors.isEmpty ? 0 : 1
    }
}
