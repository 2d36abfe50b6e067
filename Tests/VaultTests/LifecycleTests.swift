import Foundation
import Testing

@testable import Vault

@Suite struct LifecycleTests {
    let dir = TempDir()
    let id = "coingecko/test/read"

    @Test func addRefusesADuplicateLiveKey() throws {
        let vault = try makeVault(in: dir)
        #expect {
            try vault.add(provider: "coingecko", scope: .read, secret: SecretBytes("another-secret-123456"))
        } throws: { ($0 as? VaultError)?.code == .invalid }
        #expect {
            try vault.add(provider: "Bad Provider", scope: .read, secret: SecretBytes("another-secret-123456"))
        } throws: { ($0 as? VaultError)?.code == .invalid }
    }

    /// Rotation keeps the old version until the new one worked once, then deactivates it.
    @Test func rotationActivatesOnFirstSuccessfulUse() throws {
        let vault = try makeVault(in: dir)
        try vault.rotate(keyId: id, secret: SecretBytes("CG-RotatedSecret0002"))
        var states = try vault.keys().map { ($0.version, $0.state) }
        #expect(states.map(\.0) == [1, 2])
        #expect(states.map(\.1) == [.active, .preActivation])
        // The new version is tried first; the old one is still active meanwhile.
        #expect(bytes(of: try vault.secret(for: id, actor: "feed")) == Array("CG-RotatedSecret0002".utf8))
        try vault.markUsed(keyId: id)
        states = try vault.keys().map { ($0.version, $0.state) }
        #expect(states.map(\.1) == [.deactivated, .active])
        // Persisted: a fresh unlock sees the same states.
        let again = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("correct horse")))
        #expect(try again.keys().map(\.state) == [.deactivated, .active])
        #expect(try again.keys().last?.lastUsed != nil)
    }

    @Test func aRejectedNewVersionFallsBackToTheOldOne() throws {
        let vault = try makeVault(in: dir)
        try vault.rotate(keyId: id, secret: SecretBytes("CG-BrokenNewSecret03"))
        _ = try vault.secret(for: id, actor: "feed")
        try vault.markRejected(keyId: id)
        #expect(try vault.keys().map(\.state) == [.active, .suspended])
        #expect(bytes(of: try vault.secret(for: id, actor: "feed")) == Array("CG-TestSecretValue0001".utf8))
        let results = AuditLog.tail(url: dir.location.auditURL, count: 4).map { "\($0.action) \($0.result)" }
        #expect(results == ["key.use ok", "key.rejected intent", "key.rejected ok", "key.use ok"])
    }

    @Test func revokedSuspendedAndExpiredKeysAreRefused() throws {
        let vault = try makeVault(in: dir)
        try vault.suspend(keyId: id)
        #expect { _ = try vault.secret(for: id, actor: "feed") } throws: { ($0 as? VaultError)?.code == .keyUnusable }
        try vault.resume(keyId: id)
        _ = try vault.secret(for: id, actor: "feed")
        #expect(try vault.revoke(keyId: id) == [1])
        #expect(try vault.keys().first?.state == .compromised)
        #expect { _ = try vault.secret(for: id, actor: "feed") } throws: { ($0 as? VaultError)?.code == .keyUnusable }
        #expect { _ = try vault.secret(for: "nope/test/read", actor: "feed") } throws: {
            ($0 as? VaultError)?.code == .unknownKey
        }
        // A key added 100 days ago with the default 90-day expiry is expired now.
        let old = Date().addingTimeInterval(-100 * 86_400)
        try vault.add(provider: "tokenmetrics", scope: .read, secret: SecretBytes("tm-OldSecret-9999xyz"), now: old)
        let info = try vault.keys().first { $0.id == "tokenmetrics/test/read" }!
        #expect(info.expiryStatus() == .expired)
        #expect(info.expires.timeIntervalSince(info.created) == 90 * 86_400)
        #expect { _ = try vault.secret(for: "tokenmetrics/test/read", actor: "feed") } throws: {
            ($0 as? VaultError)?.message.contains("expired") == true
        }
        let report = try vault.verify()
        #expect(report.expired.map(\.id) == ["tokenmetrics/test/read"])
        #expect(report.audit.ok)
    }

    @Test func expiryStatusThresholds() throws {
        let metadata = RecordMetadata(
            keyId: "a/dev/read", version: 1, state: .active, notBefore: 0, notAfter: 100 * 86_400)
        let info = KeyInfo(metadata: metadata, lastUsed: nil, masked: nil, label: nil)
        #expect(info.expiryStatus(now: Date(timeIntervalSince1970: 85 * 86_400)) == .ok)
        #expect(info.expiryStatus(now: Date(timeIntervalSince1970: 86 * 86_400)) == .warning)
        #expect(info.expiryStatus(now: Date(timeIntervalSince1970: 100 * 86_400)) == .expired)
        #expect(info.provider == "a" && info.env == "dev" && info.scope == "read")
    }

    /// A trade key asks for the passphrase again: the second line of the descriptor here.
    @Test func tradeKeyNeedsStepUp() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let lines = Array("correct horse\ncorrect horse\nwrong horse\n".utf8)
        #expect(write(fds[1], lines, lines.count) == lines.count)
        close(fds[1])
        let vault = try UnlockedVault.create(location: dir.location, passphrase: .fd(fds[0]), kdf: .defaultPBKDF2)
        try vault.add(provider: "binance", scope: .trade, secret: SecretBytes("trade-secret-abcdef-1234"))
        _ = try vault.secret(for: "binance/test/trade", actor: "exec")  // second line: right
        #expect { _ = try vault.secret(for: "binance/test/trade", actor: "exec") } throws: {
            ($0 as? VaultError)?.code == .wrongPassphrase
        }
        let steps = AuditLog.tail(url: dir.location.auditURL, count: 10).filter { $0.action == "key.use.trade" }
        #expect(steps.map(\.result) == ["ok", "failed"])
    }

    @Test func stepUpConfirm() throws {
        #expect(
            try StepUp.confirm(location: dir.location, action: "rebalance.apply", detail: [:], source: .prompt) == false
        )
        _ = try makeVault(in: dir)
        #expect {
            _ = try StepUp.confirm(
                location: dir.location, action: "rebalance.apply", detail: ["index": "top10"],
                source: .secret(SecretBytes("wrong")))
        } throws: { ($0 as? VaultError)?.code == .wrongPassphrase }
        #expect(
            try StepUp.confirm(
                location: dir.location, action: "rebalance.apply", detail: ["index": "top10"],
                source: .secret(SecretBytes("correct horse"))))
        let last = AuditLog.tail(url: dir.location.auditURL, count: 1).first
        #expect(last?.action == "rebalance.apply")
        #expect(last?.detail["index"] == "top10")
    }

    @Test func metadataReadNeedsNoPassphrase() throws {
        #expect(try VaultMetadata.read(location: dir.location) == nil)
        let vault = try makeVault(in: dir)
        _ = try vault.secret(for: id, actor: "feed")
        let keys = try #require(try VaultMetadata.read(location: dir.location))
        #expect(keys.map(\.id) == [id])
        #expect(keys[0].masked == nil)
        #expect(keys[0].lastUsed != nil)
        #expect(keys[0].state == .active)
    }
}
