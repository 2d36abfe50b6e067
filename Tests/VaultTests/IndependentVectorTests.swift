import Foundation
import Testing

@testable import Vault

/// Known-answer vectors produced by an independent implementation of DESIGN §9 (written in Python
/// from the spec alone, with the `cryptography` package for PBKDF2, HKDF, HMAC and AES-GCM), not by
/// this code. The vault uses fixed salt, vault_id, DEK and nonces, so our writer must reproduce it
/// byte for byte; the audit log was chained by the same independent writer.
@Suite struct IndependentVectorTests {
    let dir = TempDir()

    static let passphrase = "Independent vector passphrase ✓"
    static let salt = hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
    static let vaultId = hex("5ca1ab1e0ddba11c0ffee00ddeadbeef")
    static let dek = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    static let wrapNonce = hex("f0f1f2f3f4f5f6f7f8f9fafb")
    /// PBKDF2-HMAC-SHA256(passphrase, salt, 600 000, 32).
    static let kek = "d6a9bdf47cda9508b96b92ea873e69530eb1b02f02da57492a6ae4f714a7018c"
    /// HKDF-SHA256(DEK, salt = vault_id, info = "IDXV1/file-mac").
    static let fileMACKey = "1f7046da170d6958fcfa4efc92ab40a17f6db44640fc43f40489cacb5d6bcb2c"
    /// HKDF-SHA256(DEK, salt = vault_id, info = "IDXV1/audit").
    static let auditKey = "4f371171cb3cf6f05a4d7c1db63aa985023d28b669481a9ff6a0d9ff8f3b6aae"

    /// The independent writer's vault: PBKDF2 600 000, generation 3, five records (record i has the
    /// nonce `0x10 + i` repeated 12 times). Record 4's plaintext was written with spaces, `\u`
    /// escapes and an unknown field to show the decoder parses JSON rather than one byte layout.
    static let vaultBase64 = [
        "SURYVkFVTFQBAgAJJ8AAAAAAAAAAABCgoaKjpKWmp6ipqqusra6vXKGrHg3boRwP/uAN3q2+7/Dx8vP09fb3+Pn6+2ssNQ1ITmR7",
        "AzN5iOXum/EOhq0mhWJ0DOnaHjalb8LIXwt6eGFu53eUYJIIXShJ7QAAAAAAAAADAAAABQATY29pbmdlY2tvL3Rlc3QvcmVhZAAA",
        "AAEEAAAAAGd0hYAAAAAAZ+ssgBAQEBAQEBAQEBAQEAAAAEPiz5yikKMvoPArxLydJK7lOKEBBmXVqWkVB6smxXjQYUByEvbR5jD5",
        "OUJlBtHhkJ1e1879k364P5jeDFGc4ViTqG6pABNjb2luZ2Vja28vdGVzdC9yZWFkAAAAAgIAAAAAZ8JOAAAAAAD0hlcAERERERER",
        "ERERERERAAAAR/tC/9rBIhWMSlMHcSRGYt+XPbqHVna9B0istjYYU/EwvHV0itWnJDrEZyeMTM+zAdHEVJdpxrqdq/3BIz4MqIzS",
        "EIeGZ6L9ABJiaW5hbmNlL3Rlc3QvdHJhZGUAAAABAwAAAABnwk4AAAAAAPSGVwASEhISEhISEhISEhIAAABvpLPxt6i0u+5NXenr",
        "0pvVRD8fc08SBVS1oymE38JTsuXUW/DFwWgnSqUon4MSfU+Xtlh+pO4G7hciShWbmQU3CvnvtrayrRCFP2eCsMDevrxbZu5L/gpN",
        "pJoFIdgjcPcW+rtpjQJxYbWJYRiyfofsABZ0b2tlbm1ldHJpY3MvdGVzdC9yZWFkAAAAAQEAAAAA8qUjgAAAAAD0hlcAExMTExMT",
        "ExMTExMTAAAAR2hrY6Yw+WHlGlQTiDkucxk7JCDHliyReMf5k941YdgClH+4renGg39Lie9kMLJZs6D3G4L7mSn/Lr3lORr3lOa0",
        "ANCv0hGUABFrcmFrZW4vdGVzdC90cmFkZQAAAAMFAAAAAGfCTgAAAAAA9IZXABQUFBQUFBQUFBQUFAAAAGrR5vYPXyE9B76YsPk/",
        "zazD+Z7oWPBM35E46POLDUnFvPkJWp6jT1UQCIsFMeaGi2Hy7PU7KYu37IKfIFhCOkWCA4NZZ3IcmDWYf6o4dxrBDgBlBE/jfGtG",
        "EoyHZLOcfU92qWnxd6+eMgM48krvGILwB+EhmFtX8XcajZTq56x/91rHxshJI58PK54=",
    ].joined()

    struct Expected {
        var keyId: String
        var version: UInt32
        var state: KeyState
        var notBefore: UInt64
        var notAfter: UInt64
        var key: String
        var secret: String
        var label: String
        /// The plaintext exactly as the independent writer encrypted it.
        var plaintext: String
    }

    static let records: [Expected] = [
        Expected(
            keyId: "coingecko/test/read", version: 1, state: .deactivated, notBefore: 1_735_689_600,
            notAfter: 1_743_465_600, key: "", secret: "CG-old-0001aaaa", label: "old",
            plaintext: #"{"key":"","secret":"CG-old-0001aaaa","label":"old"}"#),
        Expected(
            keyId: "coingecko/test/read", version: 2, state: .active, notBefore: 1_740_787_200,
            notAfter: 4_102_444_800, key: "", secret: "CG-new-0002bbbb", label: "CG main",
            plaintext: #"{"key":"","secret":"CG-new-0002bbbb","label":"CG main"}"#),
        Expected(
            keyId: "binance/test/trade", version: 1, state: .suspended, notBefore: 1_740_787_200,
            notAfter: 4_102_444_800, key: "BNB-PUBLIC-KEY-123", secret: "bn\"sec\\ret/é漢-9999",
            label: "desk é漢 \"q\"",
            plaintext: #"{"key": "BNB-PUBLIC-KEY-123", "secret": "bn\"sec\\ret/é漢-9999", "label": "desk é漢 \"q\""}"#),
        Expected(
            keyId: "tokenmetrics/test/read", version: 1, state: .preActivation, notBefore: 4_070_908_800,
            notAfter: 4_102_444_800, key: "", secret: "tm-pre-activation-0000", label: "",
            plaintext: #"{"key":"","secret":"tm-pre-activation-0000","label":""}"#),
        Expected(
            keyId: "kraken/test/trade", version: 3, state: .compromised, notBefore: 1_740_787_200,
            notAfter: 4_102_444_800, key: "kpub", secret: "kr-é-5555", label: "k\n2",
            plaintext: #"{ "secret" : "kr-\u00e9-5555", "label": "k\n2", "key": "kpub", "note": {"extra": [1, 2]} }"#),
    ]

    static var vaultBytes: [UInt8] { Array(Data(base64Encoded: vaultBase64)!) }

    private func secret(_ bytes: [UInt8]) -> SecretBytes { bytes.withUnsafeBytes { SecretBytes(copying: $0) } }

    @Test func theIndependentVaultDecodesToExactlyItsRecords() throws {
        let file = Self.vaultBytes
        #expect(file.count == 875)
        var derivations = 0
        let (image, dek) = try VaultCodec.open(bytes: file) { kdf, salt in
            derivations += 1
            #expect(kdf == KDFParameters(algorithm: .pbkdf2, p1: 600_000, p2: 0, p3: 0))
            #expect(salt == Self.salt)
            let kek = try kdf.deriveKEK(passphrase: SecretBytes(Self.passphrase), salt: salt)
            #expect(hexString(bytes(of: kek)) == Self.kek)
            return kek
        }
        #expect(derivations == 1)
        #expect(bytes(of: dek) == Self.dek)
        #expect(image.header.vaultId == Self.vaultId)
        #expect(image.wrapNonce == Self.wrapNonce)
        #expect(image.generation == 3)
        #expect(image.records.count == Self.records.count)
        for (index, (record, expected)) in zip(image.records, Self.records).enumerated() {
            let metadata = record.metadata
            #expect(metadata.keyId == expected.keyId)
            #expect(metadata.version == expected.version)
            #expect(metadata.state == expected.state)
            #expect(metadata.notBefore == expected.notBefore)
            #expect(metadata.notAfter == expected.notAfter)
            #expect(record.nonce == [UInt8](repeating: UInt8(0x10 + index), count: 12))
            let plaintext = try VaultCodec.openRecord(record, dek: dek, vaultId: Self.vaultId)
            #expect(bytes(of: plaintext) == Array(expected.plaintext.utf8))
            let payload = try RecordPayload.decode(plaintext)
            #expect(payload.key == expected.key)
            #expect(String(decoding: bytes(of: payload.secret), as: UTF8.self) == expected.secret)
            #expect(payload.label == expected.label)
        }
        let macKey = try Crypto.hkdfSHA256(key: dek, salt: Self.vaultId, info: VaultCodec.fileMACInfo)
        #expect(hexString(bytes(of: macKey)) == Self.fileMACKey)
    }

    /// Our encoder, fed the same inputs (KEK, DEK, nonces, plaintexts), writes the same bytes.
    @Test func ourWriterReproducesTheIndependentFileByteForByte() throws {
        let header = VaultHeader(
            kdf: KDFParameters(algorithm: .pbkdf2, p1: 600_000, p2: 0, p3: 0), salt: Self.salt, vaultId: Self.vaultId)
        let kek = secret(hex(Self.kek))
        let dek = secret(Self.dek)
        let wrapped = try Crypto.sealAESGCM(key: kek, nonce: Self.wrapNonce, plaintext: Self.dek, aad: header.encoded())
        let records = try Self.records.enumerated().map { index, expected in
            let metadata = RecordMetadata(
                keyId: expected.keyId, version: expected.version, state: expected.state,
                notBefore: expected.notBefore, notAfter: expected.notAfter)
            let nonce = [UInt8](repeating: UInt8(0x10 + index), count: 12)
            let sealed = try Crypto.sealAESGCM(
                key: dek, nonce: nonce, plaintext: Array(expected.plaintext.utf8),
                aad: VaultCodec.recordAAD(vaultId: Self.vaultId, metadata: metadata))
            return SealedRecord(metadata: metadata, nonce: nonce, sealed: sealed)
        }
        let image = VaultImage(
            header: header, wrapNonce: Self.wrapNonce, wrappedDEK: wrapped, generation: 3, records: records, mac: [])
        #expect(try VaultCodec.serialize(image, dek: dek) == Self.vaultBytes)
    }

    /// The public path: a file written elsewhere unlocks, lists and hands out its active secret.
    @Test func theIndependentVaultUnlocksThroughThePublicAPI() throws {
        let location = dir.location
        try SafeFile.writeAtomically(Self.vaultBytes, to: location.vaultURL)
        let vault = try UnlockedVault.unlock(location: location, passphrase: .secret(SecretBytes(Self.passphrase)))
        #expect(vault.generation == 3)
        let keys = try vault.keys()
        #expect(
            keys.map { "\($0.id)#\($0.version)" } == [
                "binance/test/trade#1", "coingecko/test/read#1", "coingecko/test/read#2", "kraken/test/trade#3",
                "tokenmetrics/test/read#1",
            ])
        #expect(keys.map(\.state) == [.suspended, .deactivated, .active, .compromised, .preActivation])
        #expect(keys.map(\.masked) == ["****9999", "****aaaa", "****bbbb", "****5555", "****0000"])
        #expect(keys[2].expires == Date(timeIntervalSince1970: 4_102_444_800))
        let now = Date(timeIntervalSince1970: 1_748_736_000)  // 2025-06-01
        let secret = try vault.secret(for: "coingecko/test/read", actor: "test", now: now)
        #expect(String(decoding: bytes(of: secret), as: UTF8.self) == "CG-new-0002bbbb")
    }

    /// The independent chain writer's log: HMAC-SHA256(K_audit, mac_{i-1} | canonical(entry_i)),
    /// mac_0 = 32 zero bytes; lines 3, 4 and 8 are failed unlocks written with `"mac":""` (their
    /// link is computed and carried on), line 7 has control characters, quotes, a backslash,
    /// non-ASCII text and a raw 0x7F in a detail value.
    static let auditBase64 = [
        "eyJhY3Rpb24iOiJ2YXVsdC5jcmVhdGUiLCJhY3RvciI6ImNsaSIsImRldGFpbCI6eyJrZGYiOiJwYmtkZjIifSwia2V5X2lkIjpu",
        "dWxsLCJtYWMiOiIzNDY5ZWJjZDRjNWExMGQzZDcwYzM2Y2E2ZWFlZjIwMmZmNzY2NmNkMTE5OGU0NjYyZmNiOTAxNGRlZjhmOTVi",
        "IiwicmVzdWx0Ijoib2siLCJzZXEiOjEsInRpbWUiOiIyMDI1LTAzLTAxVDEyOjAwOjAwWiJ9CnsiYWN0aW9uIjoia2V5LmFkZCIs",
        "ImFjdG9yIjoiY2xpIiwiZGV0YWlsIjp7ImZpbmdlcnByaW50IjoiZnA6MDAxMTIyMzM0NDU1NjY3NyIsInNjb3BlIjoicmVhZCIs",
        "InZlcnNpb24iOiIyIn0sImtleV9pZCI6ImNvaW5nZWNrby90ZXN0L3JlYWQiLCJtYWMiOiIwMjY0OTkwM2ZkN2FlOWNhZGNjYjkx",
        "ZDQ5MzljMjA5NzA2MDlmZDFhYWJkOGM3MDMzN2ZkZjUzNTg1MjZmZDY2IiwicmVzdWx0Ijoib2siLCJzZXEiOjIsInRpbWUiOiIy",
        "MDI1LTAzLTAxVDEyOjAwOjAxWiJ9CnsiYWN0aW9uIjoidW5sb2NrIiwiYWN0b3IiOiJjbGkiLCJkZXRhaWwiOnsicmVhc29uIjoi",
        "d3JvbmdQYXNzcGhyYXNlIn0sImtleV9pZCI6bnVsbCwibWFjIjoiIiwicmVzdWx0IjoiZmFpbGVkIiwic2VxIjozLCJ0aW1lIjoi",
        "MjAyNS0wMy0wMVQxMjowMDowMloifQp7ImFjdGlvbiI6InVubG9jayIsImFjdG9yIjoiY2xpIiwiZGV0YWlsIjp7InJlYXNvbiI6",
        "Indyb25nUGFzc3BocmFzZSJ9LCJrZXlfaWQiOm51bGwsIm1hYyI6IiIsInJlc3VsdCI6ImZhaWxlZCIsInNlcSI6NCwidGltZSI6",
        "IjIwMjUtMDMtMDFUMTI6MDA6MDNaIn0KeyJhY3Rpb24iOiJ1bmxvY2siLCJhY3RvciI6ImRhc2hib2FyZCIsImRldGFpbCI6e30s",
        "ImtleV9pZCI6bnVsbCwibWFjIjoiZWFjZjRkNTA2OTRmZDFmNzU1NzkyY2FhYzJhZjU0OTFmMDZiMTgyZThjMzE2ZDEyODUxMjMx",
        "YjMzMTg0NjA5OCIsInJlc3VsdCI6Im9rIiwic2VxIjo1LCJ0aW1lIjoiMjAyNS0wMy0wMVQxMjowMDowNFoifQp7ImFjdGlvbiI6",
        "ImtleS51c2UiLCJhY3RvciI6ImNvaW5nZWNrbyIsImRldGFpbCI6eyJ2ZXJzaW9uIjoiMiJ9LCJrZXlfaWQiOiJjb2luZ2Vja28v",
        "dGVzdC9yZWFkIiwibWFjIjoiNDg2YmM2NDVmYjkyMWJkMzA1M2M2YjdiNzgzNTFiMTJiZjlmMWZiZjhlOTdiNTdmNzQwMmM5YTlk",
        "NDEwY2NhYiIsInJlc3VsdCI6Im9rIiwic2VxIjo2LCJ0aW1lIjoiMjAyNS0wMy0wMVQxMjowMDowNVoifQp7ImFjdGlvbiI6InJl",
        "YmFsYW5jZS5hcHBseSIsImFjdG9yIjoiY2xpIiwiZGV0YWlsIjp7ImluZGV4IjoidG9wMTAiLCJyZWFzb24iOiJ0YWJcdGhlcmVc",
        "bm5ldyBcInFcIiBiYWNrXFxzbGFzaCDDqea8oiBcdTAwMDFcdTAwMWZ/IC9zIiwieiI6IlxiXGZcciJ9LCJrZXlfaWQiOm51bGws",
        "Im1hYyI6IjM0ZWY0MzhkNDY4NjllMDZkMzgyZTU4NGE3YjVkNDFkZWQ5Yjg2ZTZiMDEwYzBkZGQ3NjQxOWFhN2Q2NzMzNDUiLCJy",
        "ZXN1bHQiOiJvayIsInNlcSI6NywidGltZSI6IjIwMjUtMDMtMDFUMTI6MDA6MDZaIn0KeyJhY3Rpb24iOiJ1bmxvY2siLCJhY3Rv",
        "ciI6ImNsaSIsImRldGFpbCI6eyJyZWFzb24iOiJ3cm9uZ1Bhc3NwaHJhc2UifSwia2V5X2lkIjpudWxsLCJtYWMiOiIiLCJyZXN1",
        "bHQiOiJmYWlsZWQiLCJzZXEiOjgsInRpbWUiOiIyMDI1LTAzLTAxVDEyOjAwOjA3WiJ9Cg==",
    ].joined()

    /// canonical(entry 7) as the independent writer computed it (hex of the UTF-8 bytes).
    static let canonical7 =
        "7b22616374696f6e223a22726562616c616e63652e6170706c79222c226163746f72223a22636c69222c2264657461696c223a7b"
        + "22696e646578223a22746f703130222c22726561736f6e223a227461625c74686572655c6e6e6577205c22715c22206261636b"
        + "5c5c736c61736820c3a9e6bca2205c75303030315c75303031667f202f73222c227a223a225c625c665c72227d2c226b65795f"
        + "6964223a6e756c6c2c22726573756c74223a226f6b222c22736571223a372c2274696d65223a22323032352d30332d30315431"
        + "323a30303a30365a227d"

    static var auditBytes: [UInt8] { Array(Data(base64Encoded: auditBase64)!) }

    private func writeLog(_ bytes: [UInt8]) throws -> URL {
        let url = dir.url.appendingPathComponent("audit-vector.jsonl")
        try SafeFile.writeAtomically(bytes, to: url)
        return url
    }

    @Test func theIndependentAuditKeyAndCanonicalFormMatch() throws {
        let key = try AuditLog.key(dek: secret(Self.dek), vaultId: Self.vaultId)
        #expect(hexString(bytes(of: key)) == Self.auditKey)
        let lines = String(decoding: Self.auditBytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 8)
        let entry = try AuditEntry.parse(line: String(lines[6]))
        #expect(hexString(entry.canonical()) == Self.canonical7)
        // The stored line is the canonical form with "mac" in its sorted place.
        #expect(Array(entry.line().utf8) == Array(lines[6].utf8))
    }

    @Test func theIndependentChainVerifies() throws {
        let key = try AuditLog.key(dek: secret(Self.dek), vaultId: Self.vaultId)
        let result = AuditLog.verify(url: try writeLog(Self.auditBytes), key: key)
        #expect(result.ok, "\(result.message)")
        #expect(result.entries == 8)
        #expect(result.unsealedTail == 1)
    }

    /// Every single-bit change in lines 1–7 breaks the chain at that line or, inside a failed
    /// unlock written without a MAC, at the next sealed line. (Line 8, a trailing failed unlock,
    /// is covered by the next keyed entry, which is what `unsealedTail` reports.)
    @Test func anyChangedByteBreaksTheChain() throws {
        let key = try AuditLog.key(dek: secret(Self.dek), vaultId: Self.vaultId)
        let original = Self.auditBytes
        let newlines = original.indices.filter { original[$0] == UInt8(ascii: "\n") }
        let sealed: Set<Int> = [1, 2, 5, 6, 7]
        let url = try writeLog(original)
        var checked = 0
        for offset in 0...newlines[6] {
            let line = newlines.firstIndex { $0 >= offset }! + 1
            let nextSealed = (line...7).first { sealed.contains($0) }!
            var edited = original
            edited[offset] ^= 0x01
            // Rewritten in place (the file keeps its 0600 mode) without a thousand fsyncs.
            try Data(edited).write(to: url)
            let result = AuditLog.verify(url: url, key: key)
            #expect(!result.ok, "byte \(offset) changed, chain still accepted")
            if let broken = result.firstBrokenLine {
                #expect((line...nextSealed).contains(broken), "byte \(offset) on line \(line): broken at \(broken)")
            }
            checked += 1
        }
        #expect(checked == 1476)
    }
}
