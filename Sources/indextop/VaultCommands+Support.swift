import Foundation
import PortfolioStore
import Vault

#if canImport(Glibc)
    import Glibc
#endif

extension VaultCommands {
    /// Refuses words left over. A stray word is never echoed: it may be a secret typed where it
    /// does not belong (secrets come from stdin or a prompt, never from arguments). Only a
    /// well-formed option name (`--word-word`, no value) is named.
    static func finish(_ args: Args) throws {
        guard let extra = args.unconsumed.first else { return }
        let name = extra.dropFirst(2)
        if extra.hasPrefix("--"), (1...32).contains(name.count),
            name.allSatisfy({ ("a"..."z").contains($0) || $0 == "-" })
        {
            throw UsageError("unknown option \(extra)")
        }
        throw UsageError(
            "unexpected argument (\(args.unconsumed.count) word(s), not shown: secrets are read from stdin or a prompt, never from arguments)"
        )
    }

    /// The one positional `<provider>/<env>/<scope>` of `rotate`, `revoke`, `suspend`, `resume`.
    /// A word of another shape is refused without being echoed (it may be a misplaced secret).
    static func keyID(_ args: inout Args) throws -> String {
        guard let id = args.optionalPositional() else { throw UsageError("missing key id (PROVIDER/ENV/SCOPE)") }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_.")
        guard parts.count == 3, id.count <= 80, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed.contains) })
        else {
            throw UsageError(
                "the key id must look like PROVIDER/ENV/SCOPE, e.g. coingecko/dev/read (argument not shown)")
        }
        try finish(args)
        return id
    }

    /// After the first key is added, binds the database (when it exists) to this environment's
    /// vault, so that its applies ask this vault's passphrase under any --env (DESIGN §9).
    static func bindDatabase(_ cli: CLI) {
        guard FileManager.default.fileExists(atPath: cli.dbPath) else { return }
        do {
            let store = try cli.openStore()
            let before = try store.vaultBinding()
            let bound = try store.bindVault(env: cli.env)
            if before == nil {
                Output.error("indextop: applies on \(cli.dbPath) are now confirmed by the \(bound) vault")
            }
        } catch {
            Output.error("indextop: warning: could not record the vault binding in \(cli.dbPath): \(error)")
        }
    }

    static func unlock(_ location: VaultLocation, _ source: PassphraseSource) throws -> UnlockedVault {
        let vault = try UnlockedVault.unlock(location: location, passphrase: source)
        if let problem = vault.auditProblem { Output.error("indextop: warning: \(problem)") }
        return vault
    }

    /// For a new vault asked on the terminal, asks twice and compares.
    static func newPassphrase(_ source: PassphraseSource) throws -> PassphraseSource {
        guard case .prompt = source else { return source }
        let first = try source.read(prompt: "New vault passphrase: ")
        let second = try source.read(prompt: "Repeat the passphrase: ")
        guard first.constantTimeEquals(second) else { throw VaultError(.passphrase, "the passphrases differ") }
        return .secret(first)
    }

    /// The API secret: a no-echo prompt when stdin is a terminal, else the first line of stdin.
    static func readSecret(prompt: String) throws -> SecretBytes {
        if isatty(0) == 1 { return try SecretInput.prompt(prompt) }
        return try SecretInput.readLine(fd: 0)
    }

    static func keyJSON(_ key: KeyInfo) -> [String: Any] {
        [
            "id": key.id, "provider": key.provider, "env": key.env, "scope": key.scope, "version": Int(key.version),
            "state": key.displayState, "created": AuditEntry.formatTime(key.created),
            "expires": AuditEntry.formatTime(key.expires),
            "last_used": key.lastUsed.map { AuditEntry.formatTime($0) as Any } ?? NSNull(),
            "masked": key.masked.map { $0 as Any } ?? NSNull(), "label": key.label.map { $0 as Any } ?? NSNull(),
            "expired": key.expiryStatus() == .expired,
        ]
    }

    static func entryJSON(_ e: AuditEntry) -> [String: Any] {
        [
            "seq": e.seq, "time": AuditEntry.formatTime(e.time), "actor": e.actor, "action": e.action,
            "key_id": e.keyId.map { $0 as Any } ?? NSNull(), "result": e.result, "detail": e.detail, "mac": e.mac,
        ]
    }

    static func printKeyTable(_ keys: [KeyInfo]) {
        let header = ["ID", "VER", "STATE", "CREATED", "EXPIRES", "LAST USED", "SECRET", "LABEL"]
        var rows = [header]
        for k in keys {
            let state = k.state.isUsable && k.expiryStatus() == .expired ? "\(k.state.name) (expired)" : k.displayState
            rows.append([
                k.id, String(k.version), state, day(k.created), day(k.expires), k.lastUsed.map(day) ?? "never",
                k.masked ?? "", k.label ?? "",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            Output.line(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }

    static func day(_ date: Date) -> String { String(AuditEntry.formatTime(date).prefix(10)) }

    static func printJSON(_ object: Any) {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return }
        Output.line(String(decoding: data, as: UTF8.self))
    }
}
