import Foundation
import Vault

#if canImport(Glibc)
    import Glibc
#endif

extension VaultCommands {
    /// Minimal option parsing for the vault commands: `--name value`, `--name=value`, flags, positionals.
    struct Options {
        var words: [String]
        init(_ words: [String]) { self.words = words }

        mutating func value(_ name: String, required: Bool = false) throws -> String? {
            for (index, word) in words.enumerated() {
                if word == name {
                    guard index + 1 < words.count else { throw UsageError(message: "\(name) needs a value") }
                    let value = words[index + 1]
                    words.removeSubrange(index...(index + 1))
                    return value
                }
                if word.hasPrefix(name + "=") {
                    words.remove(at: index)
                    return String(word.dropFirst(name.count + 1))
                }
            }
            if required { throw UsageError(message: "\(name) is required") }
            return nil
        }

        mutating func int(_ name: String) throws -> Int? {
            guard let text = try value(name) else { return nil }
            guard let number = Int(text) else { throw UsageError(message: "\(name) needs a whole number") }
            return number
        }

        mutating func flag(_ name: String) -> Bool {
            guard let index = words.firstIndex(of: name) else { return false }
            words.remove(at: index)
            return true
        }

        /// Checks that exactly `positional` words are left and none is an option.
        @discardableResult
        func finish(positional: Int) throws -> [String] {
            if let unknown = words.first(where: { $0.hasPrefix("--") }) {
                throw UsageError(message: "unknown option \(unknown)")
            }
            guard words.count == positional else {
                throw UsageError(
                    message: positional == 0 ? "unexpected argument \(words[0])" : "expected \(positional) argument(s)")
            }
            return words
        }
    }

    static func unlock(_ location: VaultLocation, _ source: PassphraseSource) throws -> UnlockedVault {
        let vault = try UnlockedVault.unlock(location: location, passphrase: source)
        if let problem = vault.auditProblem { printError("warning: \(problem)") }
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
        if isatty(0) == 1 {
            return try PassphraseSource.prompt.read(prompt: prompt)
        }
        return try PassphraseSource.fd(0).read()
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
            print(
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
        print(String(decoding: data, as: UTF8.self))
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("indextop: \(message)\n".utf8))
    }
}
