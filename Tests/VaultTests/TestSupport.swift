import Foundation

@testable import Vault

/// A temporary folder removed when released.
final class TempDir {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vault-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    var location: VaultLocation { VaultLocation(env: "test", directory: url) }

    func write(_ name: String, _ text: String) -> String {
        let path = url.appendingPathComponent(name).path
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }
}

func hex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(text.utf8)[...]
    while chars.count >= 2 {
        out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
        chars = chars.dropFirst(2)
    }
    return out
}

func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

func bytes(of secret: SecretBytes) -> [UInt8] { secret.withUnsafeBytes { Array($0) } }

/// A KEK derivation for tests: the real KDF once for the original parameters and salt (memoised),
/// and for any other parameters/salt a distinct key, as a real KDF would give with overwhelming
/// probability. This keeps thousands of bit-flip decodes fast while every other step is real.
final class MemoKDF: @unchecked Sendable {
    private var cache: [String: SecretBytes] = [:]
    private let lock = NSLock()

    func derive(_ kdf: KDFParameters, _ salt: [UInt8], _ passphrase: SecretBytes) throws -> SecretBytes {
        try kdf.validate()
        let key =
            "\(kdf.algorithm.rawValue)/\(kdf.p1)/\(kdf.p2)/\(kdf.p3)/\(hexString(salt))/\(hexString(bytes(of: passphrase)))"
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[key] { return hit }
        let kek = try kdf.deriveKEK(passphrase: passphrase, salt: salt)
        cache[key] = kek
        return kek
    }

    /// For parameters other than `original`, a different key without running the KDF.
    func deriveOrDiffer(original: (KDFParameters, [UInt8]), _ kdf: KDFParameters, _ salt: [UInt8], _ pass: SecretBytes)
        throws -> SecretBytes
    {
        try kdf.validate()
        if kdf == original.0 && salt == original.1 { return try derive(kdf, salt, pass) }
        return try Crypto.hkdfSHA256(key: pass, salt: salt, info: "test-other-\(kdf.p1)-\(kdf.p2)-\(kdf.p3)")
    }
}

/// Creates a PBKDF2 vault (the cheapest accepted KDF) holding one key, in `dir`.
func makeVault(in dir: TempDir, passphrase: String = "correct horse", secret: String = "CG-TestSecretValue0001")
    throws -> UnlockedVault
{
    let vault = try UnlockedVault.create(
        location: dir.location, passphrase: .secret(SecretBytes(passphrase)), kdf: .defaultPBKDF2, actor: "test")
    try vault.add(provider: "coingecko", scope: .read, secret: SecretBytes(secret), label: "demo")
    return vault
}

func readBytes(_ url: URL) -> [UInt8] { Array(try! Data(contentsOf: url)) }
