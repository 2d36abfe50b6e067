import Foundation
import Testing

@testable import Vault

@Suite struct AuditChainTests {
    let dir = TempDir()

    /// A vault with a few audited events; returns it and the log's lines.
    func populated() throws -> (UnlockedVault, [String]) {
        let vault = try makeVault(in: dir)
        _ = try vault.secret(for: "coingecko/test/read", actor: "feed")
        try vault.rotate(keyId: "coingecko/test/read", secret: SecretBytes("CG-NextSecretValue02"))
        try vault.audit(action: "rebalance.apply", keyId: nil, result: "ok", detail: ["index": "top10"])
        let text = try String(contentsOf: dir.location.auditURL, encoding: .utf8)
        return (vault, text.split(separator: "\n").map(String.init))
    }

    func rewrite(_ lines: [String]) throws {
        try (lines.joined(separator: "\n") + "\n").write(to: dir.location.auditURL, atomically: false, encoding: .utf8)
    }

    @Test func anUntouchedChainVerifies() throws {
        let (vault, lines) = try populated()
        // vault.create and key.add (intent, ok each), key.use, key.rotate (intent, ok), rebalance.apply
        #expect(lines.count == 8)
        let result = vault.verifyAudit()
        #expect(result.ok)
        #expect(result.entries == 8)
    }

    /// The MAC follows the published formula: HMAC-SHA256(K_audit, mac_{i-1} | canonical(entry_i)).
    @Test func macFollowsTheFormula() throws {
        let (vault, lines) = try populated()
        let key = try Crypto.hkdfSHA256(
            key: vault.dek, salt: vault.image.header.vaultId, infoBytes: Array("IDXV1/audit".utf8))
        var previous = [UInt8](repeating: 0, count: 32)
        for line in lines {
            let entry = try AuditEntry.parse(line: line)
            // canonical(entry) is the stored line without its "mac" member.
            let canonical = line.replacingOccurrences(of: ",\"mac\":\"\(entry.mac)\"", with: "")
            #expect(Array(canonical.utf8) == entry.canonical())
            let mac = try Crypto.hmacSHA256(key: key, bytes: previous + Array(canonical.utf8))
            #expect(hexString(mac) == entry.mac)
            previous = mac
        }
    }

    @Test func anEditedLineIsNamed() throws {
        let (vault, lines) = try populated()
        var edited = lines
        edited[4] = edited[4].replacingOccurrences(of: "\"result\":\"ok\"", with: "\"result\":\"failed\"")
        #expect(edited[4] != lines[4])
        try rewrite(edited)
        let result = vault.verifyAudit()
        #expect(!result.ok)
        #expect(result.firstBrokenLine == 5)
    }

    @Test func aDeletedLineIsDetected() throws {
        let (vault, lines) = try populated()
        var edited = lines
        edited.remove(at: 1)
        try rewrite(edited)
        #expect(vault.verifyAudit().firstBrokenLine == 2)
    }

    @Test func truncatingTheTailIsNotVisibleToTheChainAlone() throws {
        let (vault, lines) = try populated()
        // Deleting the last line leaves a valid prefix; the next entry chains from the real
        // previous MAC only if the writer trusts the file, so verify the shortened file plus a new entry.
        try rewrite(Array(lines.dropLast()))
        try vault.audit(action: "key.use", keyId: nil, result: "ok", detail: [:])
        #expect(vault.verifyAudit().ok)  // append-only logs cannot see a truncated tail by themselves
        #expect(vault.verifyAudit().entries == 8)
    }

    @Test func reorderedLinesAreDetected() throws {
        let (vault, lines) = try populated()
        var edited = lines
        edited.swapAt(2, 3)
        try rewrite(edited)
        let result = vault.verifyAudit()
        #expect(!result.ok)
        #expect(result.firstBrokenLine == 3)
    }

    @Test func failedUnlocksAreSealedByTheNextKeyedEntry() throws {
        _ = try makeVault(in: dir)
        #expect(throws: VaultError.self) {
            _ = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("bad")))
        }
        let failed = AuditLog.tail(url: dir.location.auditURL, count: 1)[0]
        #expect(failed.mac.isEmpty)
        let vault = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("correct horse")))
        let result = vault.verifyAudit()
        #expect(result.ok)
        #expect(result.unsealedTail == 0)
        // Removing the sealed failed-unlock entry breaks the chain at the entry after it.
        let lines = try String(contentsOf: dir.location.auditURL, encoding: .utf8).split(separator: "\n").map(
            String.init)
        var edited = lines
        let index = lines.firstIndex { $0.contains("\"result\":\"failed\"") }!
        edited.remove(at: index)
        try rewrite(edited)
        #expect(vault.verifyAudit().firstBrokenLine == index + 1)
    }

    @Test func anUnsealedEntryThatIsNotAFailedUnlockIsRefused() throws {
        let (vault, lines) = try populated()
        var edited = lines
        let entry = try AuditEntry.parse(line: lines[lines.count - 1])
        var stripped = entry
        stripped.mac = ""
        stripped.result = "denied"
        edited[lines.count - 1] = stripped.line()
        try rewrite(edited)
        #expect(vault.verifyAudit().firstBrokenLine == lines.count)
        #expect { try vault.audit(action: "x", keyId: nil, result: "ok", detail: [:]) } throws: {
            ($0 as? VaultError)?.code == .audit
        }
    }

    @Test func entriesHoldFingerprintsNotSecrets() throws {
        _ = try populated()
        let text = try String(contentsOf: dir.location.auditURL, encoding: .utf8)
        #expect(!text.contains("TestSecretValue0001"))
        #expect(!text.contains("NextSecretValue02"))
        #expect(text.contains("\"fingerprint\":\"fp:"))
    }

    /// Regression: edits that parse back to the same values (a renamed `key_id` when it is null, an
    /// extra field, another escape, whitespace) used to verify because only the
    /// re-encoded entry was hashed; a verifier hashing the stored text disagreed.
    @Test(arguments: [
        ("\"key_id\":null", "\"kez_id\":null"),
        (",\"result\":", ",\"extra\":\"x\",\"result\":"),
        ("\"index\":\"top10\"", "\"index\":\"top\\u0031\\u0030\""),
        ("{\"action\"", "{ \"action\""),
    ])
    func aLineNotInCanonicalFormIsNamed(original: String, replacement: String) throws {
        let (vault, lines) = try populated()
        var edited = lines
        let last = lines.count - 1  // rebalance.apply
        #expect(lines[last].contains(original))
        let range = lines[last].range(of: original)!
        edited[last] = lines[last].replacingCharacters(in: range, with: replacement)
        #expect(edited[last] != lines[last])
        // Each edit still parses to the same entry, so the MAC alone would not see it.
        #expect(try AuditEntry.parse(line: edited[last]) == AuditEntry.parse(line: lines[last]))
        try rewrite(edited)
        let result = vault.verifyAudit()
        #expect(!result.ok)
        #expect(result.firstBrokenLine == lines.count)
    }

    /// Control characters use the short JSON escapes (RFC 8785, Python's `json.dumps`).
    @Test func canonicalEscapesMatchRFC8785() {
        let entry = AuditEntry(
            seq: 1, time: Date(timeIntervalSince1970: 0), actor: "a\u{8}\u{9}\u{A}\u{C}\u{D}\u{1}\u{1F}\u{7F}\"\\/é",
            action: "x", keyId: nil, result: "ok", detail: [:])
        let expected =
            #"{"action":"x","actor":"a\b\t\n\f\r\u0001\u001f\#u{7F}\"\\/é","detail":{},"key_id":null,"#
            + #""result":"ok","seq":1,"time":"1970-01-01T00:00:00Z"}"#
        #expect(String(decoding: entry.canonical(), as: UTF8.self) == expected)
    }
}
