import Foundation
import Testing

@testable import Vault

/// A small deterministic generator (SplitMix64) so that every run mutates the same way.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// Byte-level mutations in the style of libFuzzer's: flips, interesting values, inserts,
/// deletes, truncation, duplicated chunks, and big-endian u32 fields set to edge values.
func mutate(_ input: [UInt8], _ rng: inout SplitMix64, rounds: Int = 3) -> [UInt8] {
    var out = input
    let interesting: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF, 0x22, 0x5C, 0x0A, 0x7B, 0x7D]
    for _ in 0..<(1 + rng.below(rounds)) {
        let position = rng.below(out.count + 1)
        switch rng.below(7) {
        case 0 where !out.isEmpty: out[min(position, out.count - 1)] ^= UInt8(1 << rng.below(8))
        case 1 where !out.isEmpty: out[min(position, out.count - 1)] = interesting[rng.below(interesting.count)]
        case 2: out.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
        case 3 where !out.isEmpty: out.remove(at: min(position, out.count - 1))
        case 4: out = Array(out.prefix(position))
        case 5 where out.count > 8:
            let start = rng.below(out.count - 4)
            let chunk = out[start..<min(out.count, start + 1 + rng.below(64))]
            out.insert(contentsOf: chunk, at: position)
        case 6 where out.count >= position + 4:
            let values: [UInt32] = [0, 1, 0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 1 << 20, 600_000, 10_000_001]
            let v = values[rng.below(values.count)]
            for k in 0..<4 { out[position + k] = UInt8(truncatingIfNeeded: v >> (24 - 8 * k)) }
        default: out.append(UInt8(truncatingIfNeeded: rng.next()))
        }
    }
    return out
}

/// Seeded random-mutation tests of the two decoders that read attacker-controlled bytes: the
/// IDXV1 file parser and the audit-line parser. Properties: no crash, no hang (each input is
/// bounded in time), a refusal is the documented error, and an accepted input round-trips.
@Suite struct FuzzTests {
    static let iterations = 20_000

    /// Valid IDXV1 files to start from: an empty vault and one with two records.
    static func idxv1Seeds() throws -> [[UInt8]] {
        let dek = [UInt8](repeating: 7, count: 32).withUnsafeBytes { SecretBytes(copying: $0) }
        let header = VaultHeader(
            kdf: .defaultPBKDF2, salt: [UInt8](repeating: 1, count: 16), vaultId: [UInt8](repeating: 2, count: 16))
        var image = VaultImage(
            header: header, wrapNonce: [UInt8](repeating: 3, count: 12), wrappedDEK: [UInt8](repeating: 4, count: 48),
            generation: 5, records: [], mac: [])
        let empty = try VaultCodec.serialize(image, dek: dek)
        for (index, id) in ["coingecko/dev/read", "binance/prod/trade"].enumerated() {
            let metadata = RecordMetadata(
                keyId: id, version: UInt32(index + 1), state: .active, notBefore: 1_700_000_000, notAfter: 1_800_000_000
            )
            image.records.append(
                try VaultCodec.sealRecord(
                    metadata: metadata,
                    plaintext: RecordPayload(key: "k", secret: SecretBytes("s3cr3t"), label: "l")
                        .encoded(), dek: dek, vaultId: header.vaultId))
        }
        return [empty, try VaultCodec.serialize(image, dek: dek)]
    }

    @Test func theIDXV1DecoderSurvivesMutations() throws {
        let seeds = try Self.idxv1Seeds()
        var rng = SplitMix64(state: 0x1D_0F_15)
        var accepted = 0
        var slowest = 0.0
        for i in 0..<Self.iterations {
            let input = mutate(seeds[i % seeds.count], &rng, rounds: 4)
            let start = Date()
            var derived = false
            do {
                let image = try IDXV1.parse(input)
                #expect(image.encodedBody() + image.mac == input)
                accepted += 1
                _ = try? VaultCodec.open(bytes: input) { kdf, _ in
                    derived = true
                    #expect(throws: Never.self) { try kdf.validate() }
                    return [UInt8](repeating: 9, count: 32).withUnsafeBytes { SecretBytes(copying: $0) }
                }
            } catch let error as VaultError {
                #expect(error.code == .format, "\(error)")
                _ = try? VaultCodec.open(bytes: input) { _, _ in
                    derived = true
                    return SecretBytes("x")
                }
                #expect(!derived, "a malformed file reached the KDF")
            }
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        #expect(accepted > 0)  // some mutations (e.g. in a nonce) keep the structure
        #expect(slowest < 1, "slowest input took \(slowest) s")
    }

    /// Lines of a real log: unlocks, a failed unlock, writes with intents, key use.
    static func auditSeeds() throws -> [[UInt8]] {
        let dir = TempDir()
        let vault = try makeVault(in: dir)
        _ = try? UnlockedVault.unlock(location: dir.location, passphrase: .secret(SecretBytes("wrong")))
        _ = try vault.secret(for: "coingecko/test/read", actor: "feed")
        try vault.audit(action: "rebalance.apply", keyId: nil, result: "ok", detail: ["index": "top\u{1}10 é\"\\"])
        let text = try String(contentsOf: dir.location.auditURL, encoding: .utf8)
        return text.split(separator: "\n").map { Array($0.utf8) }
    }

    @Test func theAuditLineParserSurvivesMutations() throws {
        let seeds = try Self.auditSeeds()
        #expect(seeds.count >= 6)
        var rng = SplitMix64(state: 0xA0D1_7)
        var accepted = 0
        var slowest = 0.0
        for i in 0..<(Self.iterations / 2) {
            let input = mutate(seeds[i % seeds.count], &rng, rounds: 3)
            let text = String(decoding: input, as: UTF8.self)
            let start = Date()
            do {
                let entry = try AuditEntry.parse(line: text)
                accepted += 1
                // What is accepted is written back canonically and reads back the same.
                let again = try AuditEntry.parse(line: entry.line())
                #expect(again == entry, "\(text)")
                #expect(again.line() == entry.line())
            } catch let error as VaultError {
                #expect(error.code == .audit)
            }
            _ = ScanRules.isAuditEntry(input[...])
            slowest = max(slowest, Date().timeIntervalSince(start))
        }
        #expect(accepted > 0)
        #expect(slowest < 1, "slowest input took \(slowest) s")
    }

    /// Whole mutated logs through the verifier and the rollback reader: no crash, a verdict each.
    @Test func theAuditVerifierSurvivesMutatedLogs() throws {
        let dir = TempDir()
        let vault = try makeVault(in: dir)
        try vault.suspend(keyId: "coingecko/test/read")
        let original = readBytes(dir.location.auditURL)
        var rng = SplitMix64(state: 0x5EED)
        for _ in 0..<300 {
            let mutated = mutate(original, &rng, rounds: 6)
            try Data(mutated).write(to: dir.location.auditURL)
            let result = vault.verifyAudit()
            if mutated == original { #expect(result.ok) }
            _ = try AuditLog.lastRecordedGeneration(url: dir.location.auditURL, key: vault.auditKey)
        }
    }

    /// Regression (found by the libFuzzer run, Tests/Fuzz/vault-audit-corpus/regression-year-overflow.jsonl):
    /// the time was read with a lenient ISO-8601 parser, so a 69-digit year or a `+01:00` offset was
    /// accepted and the entry no longer round-tripped. Only `YYYY-MM-DDTHH:MM:SSZ` is read now.
    @Test(arguments: [
        "2444444444444444444444444444444444444444444444444444444444444444444446-12-02T00:16:39Z",
        "2025-03-01T12:00:00+01:00", "2025-03-01T12:00:00.5Z", "2025-02-29T12:00:00Z", "2025-03-01T24:00:00Z",
        "2025-03-01T12:00:60Z", "0000-01-01T00:00:00Z", "2025-3-01T12:00:00Z", "2025-03-01 12:00:00Z",
    ])
    func onlyTheCanonicalTimeIsRead(time: String) throws {
        #expect(AuditEntry.parseTime(time) == nil)
        let line =
            #"{"action":"x","actor":"cli","detail":{},"key_id":null,"mac":"","result":"ok","seq":1,"time":""#
            + time + #""}"#
        #expect(throws: VaultError.self) { try AuditEntry.parse(line: line) }
    }

    @Test func timesRoundTripAndHostileExpiriesFormat() throws {
        for t in [0, 951_782_400, 1_709_164_800, 4_102_444_799] {  // 1970, 2000-02-29, 2024-02-29, 2099-12-31
            let date = Date(timeIntervalSince1970: TimeInterval(t))
            #expect(AuditEntry.parseTime(AuditEntry.formatTime(date)) == date)
        }
        #expect(AuditEntry.formatTime(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        // A `not_after` of 2^64 − 1 seconds is shown at the end of year 9999 instead of trapping.
        #expect(AuditEntry.formatTime(Date(timeIntervalSince1970: TimeInterval(UInt64.max))) == "9999-12-31T23:59:59Z")
    }
}
