import Foundation
import Testing

@testable import Vault

@Suite struct IDXV1FormatTests {
    let dir = TempDir()

    /// The byte layout of DESIGN §9, checked at fixed offsets of a hand-assembled image.
    @Test func layoutMatchesTheContract() throws {
        let metadata = RecordMetadata(
            keyId: "cg/dev/read", version: 7, state: .active, notBefore: 0x0102_0304_0506_0708, notAfter: 9)
        let image = VaultImage(
            header: VaultHeader(
                kdf: .defaultScrypt, salt: [UInt8](repeating: 0xAA, count: 16),
                vaultId: [UInt8](repeating: 0xBB, count: 16)),
            wrapNonce: [UInt8](repeating: 0xCC, count: 12), wrappedDEK: [UInt8](repeating: 0xDD, count: 48),
            generation: 5,
            records: [
                SealedRecord(
                    metadata: metadata, nonce: [UInt8](repeating: 0xEE, count: 12),
                    sealed: [UInt8](repeating: 0xFF, count: 20))
            ],
            mac: [])
        let body = image.encodedBody()
        #expect(Array(body[0..<8]) == Array("IDXVAULT".utf8))
        #expect(body[8] == 1)  // ver
        #expect(body[9] == 1)  // kdf scrypt
        #expect(Array(body[10..<22]) == [0, 0, 0, 17, 0, 0, 0, 8, 0, 0, 0, 1])  // p1 p2 p3
        #expect(body[22] == 16)  // salt_len
        #expect(Array(body[23..<39]) == [UInt8](repeating: 0xAA, count: 16))
        #expect(Array(body[39..<55]) == [UInt8](repeating: 0xBB, count: 16))
        #expect(Array(body[55..<67]) == [UInt8](repeating: 0xCC, count: 12))
        #expect(Array(body[67..<115]) == [UInt8](repeating: 0xDD, count: 48))
        #expect(Array(body[115..<123]) == [0, 0, 0, 0, 0, 0, 0, 5])  // generation
        #expect(Array(body[123..<127]) == [0, 0, 0, 1])  // count
        #expect(Array(body[127..<129]) == [0, 11])  // key_id_len
        #expect(Array(body[129..<140]) == Array("cg/dev/read".utf8))
        #expect(Array(body[140..<144]) == [0, 0, 0, 7])
        #expect(body[144] == 2)
        #expect(Array(body[145..<153]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(body[153..<161]) == [0, 0, 0, 0, 0, 0, 0, 9])
        #expect(Array(body[161..<173]) == [UInt8](repeating: 0xEE, count: 12))
        #expect(Array(body[173..<177]) == [0, 0, 0, 20])
        #expect(body.count == 177 + 20)
        // The record AAD is "IDXV1/record" | vault_id | metadata.
        #expect(
            VaultCodec.recordAAD(vaultId: image.header.vaultId, metadata: metadata) == Array("IDXV1/record".utf8)
                + image.header.vaultId + Array(body[127..<161]))
    }

    @Test func roundTripWithTheRealKDF() throws {
        let vault = try makeVault(in: dir)
        try vault.add(provider: "tokenmetrics", scope: .read, secret: SecretBytes("tm-secret-ABCDEFGH-4242"))
        let again = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("correct horse")))
        let keys = try again.keys()
        #expect(keys.map(\.id) == ["coingecko/test/read", "tokenmetrics/test/read"])
        #expect(keys.map(\.masked) == ["****0001", "****4242"])
        #expect(keys[0].label == "demo")
        #expect(again.generation == 3)  // create, add, add
        #expect(
            bytes(of: try again.secret(for: "tokenmetrics/test/read", actor: "t"))
                == Array("tm-secret-ABCDEFGH-4242".utf8))
        let bytesOnDisk = readBytes(dir.location.vaultURL)
        #expect(!Data(bytesOnDisk).contains(Data("tm-secret".utf8)))
    }

    @Test func wrongPassphraseChangesNothingAndIsAudited() throws {
        _ = try makeVault(in: dir)
        let before = readBytes(dir.location.vaultURL)
        #expect {
            _ = try UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("wrong horse")))
        } throws: { ($0 as? VaultError)?.code == .wrongPassphrase }
        #expect(readBytes(dir.location.vaultURL) == before)
        let last = AuditLog.tail(url: dir.location.auditURL, count: 1)
        #expect(last.first?.action == "unlock")
        #expect(last.first?.result == "failed")
    }

    /// Every single-bit flip and every truncation of a small vault file is rejected.
    @Test func everyBitFlipAndTruncationIsRejected() throws {
        _ = try makeVault(in: dir)
        let original = readBytes(dir.location.vaultURL)
        let image = try IDXV1.parse(original)
        let memo = MemoKDF()
        let pass = SecretBytes("correct horse")
        let originalKDF = (image.header.kdf, image.header.salt)
        let open = { (bytes: [UInt8]) throws in
            _ = try VaultCodec.open(bytes: bytes) { kdf, salt in
                try memo.deriveOrDiffer(original: originalKDF, kdf, salt, pass)
            }
        }
        try open(original)  // sanity: the untouched file opens
        var accepted: [Int] = []
        for bit in 0..<(original.count * 8) {
            var flipped = original
            flipped[bit / 8] ^= UInt8(1 << (bit % 8))
            if (try? open(flipped)) != nil { accepted.append(bit) }
        }
        #expect(accepted.isEmpty, "bit flips accepted: \(accepted.prefix(10))")
        for length in 0..<original.count {
            #expect(throws: VaultError.self) { try open(Array(original[0..<length])) }
        }
        #expect(throws: VaultError.self) { try open(original + [0]) }
    }

    /// Rewriting a record's state or version and recomputing the file MAC with the DEK still fails:
    /// the record's AEAD tag binds its metadata.
    @Test(arguments: ["state", "version"])
    func rewrittenMetadataIsRejectedDespiteAValidFileMAC(field: String) throws {
        let vault = try makeVault(in: dir)
        let original = readBytes(dir.location.vaultURL)
        var image = try IDXV1.parse(original)
        if field == "state" {
            image.records[0].metadata.state = .suspended
        } else {
            image.records[0].metadata.version = 2
        }
        let forged = try VaultCodec.serialize(image, dek: vault.dek)
        let check = try IDXV1.parse(forged)
        // The file MAC itself is valid for the forged bytes...
        let mac = try forged.withUnsafeBytes {
            try VaultCodec.fileMAC(
                body: UnsafeRawBufferPointer(rebasing: $0[0..<(forged.count - 32)]), dek: vault.dek,
                vaultId: image.header.vaultId)
        }
        #expect(mac == check.mac)
        // ...but the record tag is not.
        #expect {
            try VaultCodec.authenticate(bytes: forged, image: check, dek: vault.dek)
        } throws: { ($0 as? VaultError)?.code == .tampered }
    }

    struct Bound: Sendable, CustomStringConvertible {
        let description: String
        let offset: Int
        let value: [UInt8]
    }

    /// Out-of-range parameters are refused before any key is derived.
    @Test(arguments: [
        Bound(description: "scrypt log2 N 16", offset: 10, value: [0, 0, 0, 16]),
        Bound(description: "scrypt log2 N 23", offset: 10, value: [0, 0, 0, 23]),
        Bound(description: "scrypt r 4", offset: 14, value: [0, 0, 0, 4]),
        Bound(description: "scrypt p 5", offset: 18, value: [0, 0, 0, 5]),
        Bound(description: "scrypt p 0", offset: 18, value: [0, 0, 0, 0]),
        Bound(description: "salt_len 15", offset: 22, value: [15]),
        Bound(description: "salt_len 65", offset: 22, value: [65]),
        Bound(description: "unknown kdf", offset: 9, value: [3]),
        Bound(description: "version 2", offset: 8, value: [2]),
    ])
    func outOfRangeHeaderIsRefusedBeforeDerivation(bound: Bound) throws {
        let image = VaultImage(
            header: VaultHeader(
                kdf: .defaultScrypt, salt: [UInt8](repeating: 1, count: 16), vaultId: [UInt8](repeating: 2, count: 16)),
            wrapNonce: [UInt8](repeating: 0, count: 12), wrappedDEK: [UInt8](repeating: 0, count: 48), generation: 1,
            records: [], mac: [])
        var bytes = image.encodedBody() + [UInt8](repeating: 0, count: 32)
        bytes.replaceSubrange(bound.offset..<(bound.offset + bound.value.count), with: bound.value)
        var derived = false
        #expect {
            _ = try VaultCodec.open(bytes: bytes) { _, _ in
                derived = true
                return SecretBytes("unused")
            }
        } throws: { ($0 as? VaultError)?.code == .format }
        #expect(!derived)
    }

    @Test func pbkdf2BoundsAndCiphertextBounds() throws {
        #expect(throws: VaultError.self) { try KDFParameters(algorithm: .pbkdf2, p1: 599_999, p2: 0, p3: 0).validate() }
        #expect(throws: VaultError.self) { try KDFParameters(algorithm: .pbkdf2, p1: 600_000, p2: 1, p3: 0).validate() }
        #expect(throws: VaultError.self) { try KDFParameters(algorithm: .pbkdf2, p1: 600_000, p2: 0, p3: 1).validate() }
        try KDFParameters.defaultPBKDF2.validate()
        try KDFParameters(algorithm: .pbkdf2, p1: 10_000_000, p2: 0, p3: 0).validate()
        for length in [15, (1 << 20) + 1] {
            let record = SealedRecord(
                metadata: RecordMetadata(keyId: "a/b/read", version: 1, state: .active, notBefore: 0, notAfter: 1),
                nonce: [UInt8](repeating: 0, count: 12), sealed: [UInt8](repeating: 0, count: length))
            let image = VaultImage(
                header: VaultHeader(
                    kdf: .defaultPBKDF2, salt: [UInt8](repeating: 1, count: 16),
                    vaultId: [UInt8](repeating: 2, count: 16)),
                wrapNonce: [UInt8](repeating: 0, count: 12), wrappedDEK: [UInt8](repeating: 0, count: 48),
                generation: 1,
                records: [record], mac: [])
            #expect(throws: VaultError.self) {
                _ = try IDXV1.parse(image.encodedBody() + [UInt8](repeating: 0, count: 32))
            }
        }
    }

    /// Regression: key_id_len is a u16 and §9 sets no smaller maximum; ids over 1024 bytes were refused.
    @Test func aKeyIdLongerThan1024BytesParses() throws {
        let longId = String(repeating: "p", count: 2000) + "/test/read"
        let image = VaultImage(
            header: VaultHeader(
                kdf: .defaultPBKDF2, salt: [UInt8](repeating: 1, count: 16), vaultId: [UInt8](repeating: 2, count: 16)),
            wrapNonce: [UInt8](repeating: 0, count: 12), wrappedDEK: [UInt8](repeating: 0, count: 48), generation: 1,
            records: [
                SealedRecord(
                    metadata: RecordMetadata(keyId: longId, version: 1, state: .active, notBefore: 0, notAfter: 1),
                    nonce: [UInt8](repeating: 0, count: 12), sealed: [UInt8](repeating: 0, count: 16))
            ], mac: [])
        let parsed = try IDXV1.parse(image.encodedBody() + [UInt8](repeating: 0, count: 32))
        #expect(parsed.records[0].metadata.keyId == longId)
    }

    /// Regression: a file written elsewhere with generation = u64 max crashed (overflow trap) on
    /// the next write; it is now refused with an error.
    @Test func aWriteAtTheMaximumGenerationIsRefused() throws {
        let vault = try makeVault(in: dir)
        var image = vault.image
        image.generation = .max
        try SafeFile.writeAtomically(try VaultCodec.serialize(image, dek: vault.dek), to: dir.location.vaultURL)
        vault.image = image
        #expect {
            try vault.add(provider: "tokenmetrics", scope: .read, secret: SecretBytes("TM-SecretValue0001"))
        } throws: { ($0 as? VaultError)?.code == .format }
        #expect(try IDXV1.parse(readBytes(dir.location.vaultURL)).generation == .max)
    }
}
