import Testing

@testable import Vault

/// Vectors from RFC 7914 (scrypt, PBKDF2-SHA256), the GCM specification (McGrew & Viega test
/// cases 13-16), RFC 5869 (HKDF) and RFC 4231 (HMAC-SHA256).
@Suite struct CryptoKnownAnswerTests {
    struct ScryptVector: Sendable {
        let password: String, salt: String, n: UInt64, r: UInt64, p: UInt64, expected: String
    }

    @Test(arguments: [
        ScryptVector(
            password: "", salt: "", n: 16, r: 1, p: 1,
            expected:
                "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        ),
        ScryptVector(
            password: "password", salt: "NaCl", n: 1024, r: 8, p: 16,
            expected:
                "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        ),
        ScryptVector(
            password: "pleaseletmein", salt: "SodiumChloride", n: 16384, r: 8, p: 1,
            expected:
                "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
        ),
    ])
    func scryptRFC7914(vector: ScryptVector) throws {
        let out = try Crypto.scrypt(
            password: SecretBytes(vector.password), salt: Array(vector.salt.utf8), n: vector.n, r: vector.r,
            p: vector.p, length: 64)
        #expect(hexString(bytes(of: out)) == vector.expected)
    }

    @Test func pbkdf2SHA256RFC7914() throws {
        let one = try Crypto.pbkdf2SHA256(
            password: SecretBytes("passwd"), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(
            hexString(bytes(of: one))
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        )
        let many = try Crypto.pbkdf2SHA256(
            password: SecretBytes("Password"), salt: Array("NaCl".utf8), iterations: 80_000, length: 64)
        #expect(
            hexString(bytes(of: many))
                == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
        )
    }

    struct GCMVector: Sendable {
        let name: String, key: String, iv: String, plaintext: String, aad: String, ciphertext: String, tag: String
    }

    static let gcmKey = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let gcmPlain =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
    static let gcmCipher =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"

    @Test(arguments: [
        GCMVector(
            name: "13", key: String(repeating: "00", count: 32), iv: String(repeating: "00", count: 12), plaintext: "",
            aad: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b"),
        GCMVector(
            name: "14", key: String(repeating: "00", count: 32), iv: String(repeating: "00", count: 12),
            plaintext: String(repeating: "00", count: 16), aad: "", ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
            tag: "d0d1c8a799996bf0265b98b5d48ab919"),
        GCMVector(
            name: "15", key: gcmKey, iv: "cafebabefacedbaddecaf888", plaintext: gcmPlain + "1aafd255", aad: "",
            ciphertext: gcmCipher + "898015ad", tag: "b094dac5d93471bdec1a502270e3cc6c"),
        GCMVector(
            name: "16", key: gcmKey, iv: "cafebabefacedbaddecaf888", plaintext: gcmPlain,
            aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2", ciphertext: gcmCipher,
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"
        ),
    ])
    func aesGCMSpecification(vector: GCMVector) throws {
        let key = hex(vector.key).withUnsafeBytes { SecretBytes(copying: $0) }
        let sealed = try Crypto.sealAESGCM(
            key: key, nonce: hex(vector.iv), plaintext: hex(vector.plaintext), aad: hex(vector.aad))
        #expect(hexString(sealed) == vector.ciphertext + vector.tag, "test case \(vector.name)")
        let opened = try Crypto.openAESGCM(key: key, nonce: hex(vector.iv), sealed: sealed, aad: hex(vector.aad))
        #expect(hexString(bytes(of: opened)) == vector.plaintext)
        var forged = sealed
        forged[forged.count - 1] ^= 1
        #expect(throws: VaultError.self) {
            _ = try Crypto.openAESGCM(key: key, nonce: hex(vector.iv), sealed: forged, aad: hex(vector.aad))
        }
        #expect(throws: VaultError.self) {
            _ = try Crypto.openAESGCM(key: key, nonce: hex(vector.iv), sealed: sealed, aad: hex(vector.aad) + [1])
        }
    }

    @Test func hkdfRFC5869Case1() throws {
        let ikm = [UInt8](repeating: 0x0b, count: 22).withUnsafeBytes { SecretBytes(copying: $0) }
        let okm = try Crypto.hkdfSHA256(
            key: ikm, salt: hex("000102030405060708090a0b0c"),
            infoBytes: hex("f0f1f2f3f4f5f6f7f8f9"), length: 42)
        #expect(
            hexString(bytes(of: okm))
                == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }

    @Test func hmacRFC4231Case2() throws {
        let mac = try Crypto.hmacSHA256(key: SecretBytes("Jefe"), bytes: Array("what do ya want for nothing?".utf8))
        #expect(hexString(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func constantTimeEqualAndMask() {
        #expect(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEqual([1, 2], [1, 2, 3]))
        #expect(SecretBytes("abcdefgh1234").masked == "****1234")
        #expect(SecretBytes("short").masked == "****")
    }
}
