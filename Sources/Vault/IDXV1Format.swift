import Foundation

/// The metadata of one record, in the clear in the file and bound into the record's AAD.
public struct RecordMetadata: Equatable, Sendable {
    /// `<provider>/<env>/<scope>`.
    public var keyId: String
    /// Version, 1 for the first key, incremented by each rotation.
    public var version: UInt32
    /// Life-cycle state.
    public var state: KeyState
    /// Unix seconds from which the key may be used (its creation time).
    public var notBefore: UInt64
    /// Unix seconds after which the key is expired.
    public var notAfter: UInt64

    /// Creates record metadata.
    public init(keyId: String, version: UInt32, state: KeyState, notBefore: UInt64, notAfter: UInt64) {
        self.keyId = keyId
        self.version = version
        self.state = state
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// `key_id_len u16 | key_id | version u32 | state u8 | not_before u64 | not_after u64`.
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        let id = Array(keyId.utf8)
        w.u16(UInt16(id.count))
        w.bytes(id)
        w.u32(version)
        w.u8(state.rawValue)
        w.u64(notBefore)
        w.u64(notAfter)
        return w.output
    }
}

/// One encrypted record as stored: metadata, nonce and `ciphertext ‖ tag`.
struct SealedRecord: Equatable, Sendable {
    var metadata: RecordMetadata
    var nonce: [UInt8]
    var sealed: [UInt8]
}

/// The IDXV1 header fields that form the AAD of the key wrap.
struct VaultHeader: Equatable, Sendable {
    var kdf: KDFParameters
    var salt: [UInt8]
    var vaultId: [UInt8]

    /// `"IDXVAULT" | ver u8=1 | kdf u8 | p1 u32 | p2 u32 | p3 u32 | salt_len u8 | salt | vault_id[16]`.
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes(IDXV1.magic)
        w.u8(IDXV1.version)
        w.u8(kdf.algorithm.rawValue)
        w.u32(kdf.p1)
        w.u32(kdf.p2)
        w.u32(kdf.p3)
        w.u8(UInt8(salt.count))
        w.bytes(salt)
        w.bytes(vaultId)
        return w.output
    }
}

/// A parsed IDXV1 file, structurally valid but not yet authenticated.
struct VaultImage: Equatable, Sendable {
    var header: VaultHeader
    var wrapNonce: [UInt8]
    var wrappedDEK: [UInt8]
    var generation: UInt64
    var records: [SealedRecord]
    var mac: [UInt8]

    /// Every byte before `mac`: the input of the file MAC.
    func encodedBody() -> [UInt8] {
        var w = ByteWriter()
        w.bytes(header.encoded())
        w.bytes(wrapNonce)
        w.bytes(wrappedDEK)
        w.u64(generation)
        w.u32(UInt32(records.count))
        for record in records {
            w.bytes(record.metadata.encoded())
            w.bytes(record.nonce)
            w.u32(UInt32(record.sealed.count))
            w.bytes(record.sealed)
        }
        return w.output
    }
}

/// IDXV1 constants and the structural parser (DESIGN §9). All integers are big-endian.
enum IDXV1 {
    static let magic = Array("IDXVAULT".utf8)
    static let version: UInt8 = 1
    static let vaultIdLength = 16
    static let wrappedDEKLength = 48
    static let macLength = 32
    static let saltRange = 16...64
    static let ciphertextRange = 16...(1 << 20)
    /// The smallest possible record: 1-byte key id, empty metadata payload, 16-byte sealed body.
    static let minRecordLength = 2 + 1 + 4 + 1 + 8 + 8 + 12 + 4 + 16

    /// Parses `bytes`, checking every bound (KDF parameters, salt and ciphertext lengths, states,
    /// exact length) before any key is derived. Throws `.format`.
    static func parse(_ bytes: [UInt8]) throws -> VaultImage {
        var r = ByteReader(bytes)
        guard try r.take(magic.count) == magic else { throw VaultError(.format, "not an IDXV1 vault (bad magic)") }
        let ver = try r.u8()
        guard ver == version else { throw VaultError(.format, "unsupported vault version \(ver)") }
        let kdfByte = try r.u8()
        guard let algorithm = KDFParameters.Algorithm(rawValue: kdfByte) else {
            throw VaultError(.format, "unknown KDF \(kdfByte)")
        }
        let kdf = KDFParameters(algorithm: algorithm, p1: try r.u32(), p2: try r.u32(), p3: try r.u32())
        try kdf.validate()
        let saltLength = Int(try r.u8())
        guard saltRange.contains(saltLength) else {
            throw VaultError(.format, "salt length \(saltLength) outside 16-64")
        }
        let salt = try r.take(saltLength)
        let vaultId = try r.take(vaultIdLength)
        let wrapNonce = try r.take(Crypto.nonceLength)
        let wrapped = try r.take(wrappedDEKLength)
        let generation = try r.u64()
        let count = Int(try r.u32())
        guard count <= (bytes.count - r.offset) / minRecordLength else {
            throw VaultError(.format, "record count \(count) larger than the file can hold")
        }
        var records: [SealedRecord] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            let idLength = Int(try r.u16())
            // key_id_len is a u16: §9 sets no smaller maximum, so only an empty id is refused.
            guard idLength >= 1 else {
                throw VaultError(.format, "key id length \(idLength) out of range", context: "record \(index)")
            }
            guard let keyId = String(validating: try r.take(idLength), as: UTF8.self) else {
                throw VaultError(.format, "key id is not UTF-8", context: "record \(index)")
            }
            let version = try r.u32()
            let stateByte = try r.u8()
            guard let state = KeyState(rawValue: stateByte) else {
                throw VaultError(.format, "unknown key state \(stateByte)", context: "record \(index)")
            }
            let metadata = RecordMetadata(
                keyId: keyId, version: version, state: state, notBefore: try r.u64(), notAfter: try r.u64())
            let nonce = try r.take(Crypto.nonceLength)
            let ctLength = Int(try r.u32())
            guard ciphertextRange.contains(ctLength) else {
                throw VaultError(
                    .format, "ciphertext length \(ctLength) outside 16 B-1 MiB", context: "record \(index)")
            }
            records.append(SealedRecord(metadata: metadata, nonce: nonce, sealed: try r.take(ctLength)))
        }
        let mac = try r.take(macLength)
        guard r.offset == bytes.count else {
            throw VaultError(.format, "\(bytes.count - r.offset) trailing bytes after the file MAC")
        }
        return VaultImage(
            header: VaultHeader(kdf: kdf, salt: salt, vaultId: vaultId), wrapNonce: wrapNonce, wrappedDEK: wrapped,
            generation: generation, records: records, mac: mac)
    }
}

/// Big-endian byte writer.
struct ByteWriter {
    var output: [UInt8] = []
    mutating func u8(_ v: UInt8) { output.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.bigEndian) { output.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.bigEndian) { output.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.bigEndian) { output.append(contentsOf: $0) } }
    mutating func bytes(_ b: [UInt8]) { output.append(contentsOf: b) }
}

/// Big-endian byte reader that throws `.format` on truncation.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ n: Int) throws -> [UInt8] {
        guard n >= 0, bytes.count - offset >= n else {
            throw VaultError(.format, "vault file truncated", context: "offset \(offset)")
        }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }
    mutating func u8() throws -> UInt8 { try take(1)[0] }
    mutating func u16() throws -> UInt16 { try take(2).reduce(0) { $0 << 8 | UInt16($1) } }
    mutating func u32() throws -> UInt32 { try take(4).reduce(0) { $0 << 8 | UInt32($1) } }
    mutating func u64() throws -> UInt64 { try take(8).reduce(0) { $0 << 8 | UInt64($1) } }
}
