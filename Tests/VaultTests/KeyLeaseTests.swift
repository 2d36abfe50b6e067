import Foundation
import Testing

@testable import Vault

/// Regression (issue 15 #2): `keys revoke` did not reach a running feed, which had captured the
/// secret once at start. A lease re-checks the key before every request.
@Suite struct KeyLeaseTests {
    let dir = TempDir()
    let id = "coingecko/test/read"
    let pass = PassphraseSource.secret(SecretBytes("correct horse"))

    /// Another process: a second unlock of the same files.
    func otherProcess() throws -> UnlockedVault {
        try UnlockedVault.unlock(location: dir.location, passphrase: pass, actor: "other")
    }

    @Test(arguments: ["revoke", "suspend"])
    func aChangeInAnotherProcessStopsTheLeaseAtOnce(change: String) throws {
        let feedVault = try makeVault(in: dir)
        let lease = try feedVault.lease(keyId: id, actor: "feed")
        #expect(bytes(of: try lease.current()) == Array("CG-TestSecretValue0001".utf8))
        let other = try otherProcess()
        if change == "revoke" { try other.revoke(keyId: id) } else { try other.suspend(keyId: id) }
        let state = change == "revoke" ? "compromised" : "suspended"
        #expect {
            _ = try lease.current()
        } throws: {
            let e = $0 as? VaultError
            return e?.code == .keyUnusable && e?.message == "key \(id) v1 is now \(state); the feed stops"
        }
        // It stays stopped, even after the key is resumed elsewhere.
        if change == "suspend" { try other.resume(keyId: id) }
        #expect(throws: VaultError.self) { _ = try lease.current() }
        let denied = AuditLog.tail(url: dir.location.auditURL, count: 20).filter {
            $0.action == "key.use" && $0.result == "denied"
        }
        #expect(denied.count == 1)
        #expect(denied.first?.detail["by"] == "feed")
    }

    @Test func anExpiredKeyStopsTheLease() throws {
        let vault = try makeVault(in: dir)
        let lease = try vault.lease(keyId: id, actor: "feed")
        let info = try #require(try vault.keys().first)
        _ = try lease.current(now: info.expires.addingTimeInterval(-1))
        #expect {
            _ = try lease.current(now: info.expires)
        } throws: { ($0 as? VaultError)?.message.contains("expired on") == true }
    }

    @Test func aRotationCompletedElsewhereIsFollowed() throws {
        let vault = try makeVault(in: dir)
        let lease = try vault.lease(keyId: id, actor: "feed")
        let other = try otherProcess()
        try other.rotate(keyId: id, secret: SecretBytes("CG-RotatedSecret0002"))
        // Still v1 while v2 awaits its first use (rotation keeps the old one usable).
        #expect(bytes(of: try lease.current()) == Array("CG-TestSecretValue0001".utf8))
        _ = try other.secret(for: id, actor: "other")
        try other.markUsed(keyId: id)  // v2 active, v1 deactivated
        #expect(bytes(of: try lease.current()) == Array("CG-RotatedSecret0002".utf8))
        #expect(lease.leasedVersion == 2)
    }

    @Test func aVaultRolledBackUnderTheLeaseStopsIt() throws {
        let vault = try makeVault(in: dir)
        let lease = try vault.lease(keyId: id, actor: "feed")
        let backup = readBytes(dir.location.vaultURL)
        try otherProcess().suspend(keyId: id)
        try otherProcess().resume(keyId: id)
        _ = try lease.current()
        try Data(backup).write(to: dir.location.vaultURL)
        #expect { _ = try lease.current() } throws: { ($0 as? VaultError)?.code == .rollback }
    }
}
