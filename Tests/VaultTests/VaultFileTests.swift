import Foundation
import Testing

@testable import Vault

@Suite struct VaultFileTests {
    let dir = TempDir()

    struct Crash: Error {}

    @Test func aCrashBeforeRenameLeavesTheOldFileIntact() throws {
        let vault = try makeVault(in: dir)
        let before = readBytes(dir.location.vaultURL)
        var next = vault.image
        next.records.removeAll()
        #expect(throws: Crash.self) {
            try vault.commit(next, action: "key.remove", keyId: nil, detail: [:]) { throw Crash() }
        }
        #expect(readBytes(dir.location.vaultURL) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.contains(".tmp-")
        }
        #expect(leftovers.isEmpty)
        // The in-memory state did not move on either: the next write still works.
        try vault.suspend(keyId: "coingecko/test/read")
        #expect(try IDXV1.parse(readBytes(dir.location.vaultURL)).generation == vault.generation)
    }

    @Test func generationIncrementsAndModeIs0600() throws {
        let vault = try makeVault(in: dir)
        #expect(vault.generation == 2)
        try vault.suspend(keyId: "coingecko/test/read")
        #expect(try IDXV1.parse(readBytes(dir.location.vaultURL)).generation == 3)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.location.vaultURL.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let auditAttributes = try FileManager.default.attributesOfItem(atPath: dir.location.auditURL.path)
        #expect((auditAttributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func loosePermissionsAreRefusedWithTheFix(mode: Int) throws {
        _ = try makeVault(in: dir)
        #expect(chmod(dir.location.vaultURL.path, mode_t(mode)) == 0)
        #expect {
            _ = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("correct horse")))
        } throws: { error in
            guard let error = error as? VaultError else { return false }
            return error.code == .permissions && error.message.contains("chmod 600")
        }
        #expect(throws: VaultError.self) { _ = try VaultMetadata.read(location: dir.location) }
    }

    @Test func aConcurrentWriterIsDetected() throws {
        let first = try makeVault(in: dir)
        let second = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("correct horse")))
        try first.suspend(keyId: "coingecko/test/read")
        #expect { try second.revoke(keyId: "coingecko/test/read") } throws: { ($0 as? VaultError)?.code == .conflict }
    }

    @Test func passphraseFileMustBePrivate() throws {
        let path = dir.write("pass.txt", "correct horse\n")
        #expect(chmod(path, 0o644) == 0)
        #expect { _ = try PassphraseSource.file(path).read() } throws: { ($0 as? VaultError)?.code == .permissions }
        #expect(chmod(path, 0o600) == 0)
        #expect(bytes(of: try PassphraseSource.file(path).read()) == Array("correct horse".utf8))
    }
}
