import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The outcome of verifying the audit chain.
public struct AuditVerification: Sendable, Equatable {
    /// True when every sealed entry verifies and nothing was inserted, removed or reordered.
    public var ok: Bool
    /// Lines read.
    public var entries: Int
    /// The line number (1-based) of the first broken entry, when `ok` is false.
    public var firstBrokenLine: Int?
    /// Entries at the end written without the key (failed unlocks) not yet covered by a MAC.
    public var unsealedTail: Int
    /// Lines of `intent` entries without their result: writes interrupted between the intent and
    /// the result (the chain is still ok; the change may or may not have committed).
    public var interruptedWrites: [Int] = []
    /// One line for humans: `chain ok (12 entries)` or what broke where.
    public var message: String
}

/// The append-only, HMAC-chained audit log next to the vault (DESIGN §9).
public enum AuditLog {
    /// The last `count` entries of `env`'s log, oldest first, without verifying; malformed lines are skipped.
    public static func tail(env: String, count: Int) -> [AuditEntry] {
        tail(url: VaultPaths.auditURL(env: env), count: count)
    }

    /// The last `count` entries of the log at `url`, without verifying; [] when it cannot be read.
    public static func tail(url: URL, count: Int) -> [AuditEntry] {
        (try? entries(url: url, count: count)) ?? []
    }

    /// The last `count` entries of the log at `url`, without verifying; malformed lines are
    /// skipped, a missing log is empty. Throws `.permissions`/`.io` when the log (or its folder)
    /// is refused, so that `audit show` can say why instead of printing nothing.
    public static func entries(url: URL, count: Int) throws -> [AuditEntry] {
        guard let bytes = try SafeFile.readPrivate(url) else { return [] }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        return lines.suffix(count).compactMap { try? AuditEntry.parse(line: String($0)) }
    }

    /// Derives K_audit = HKDF-SHA256(DEK, salt = vault_id, info = "IDXV1/audit").
    static func key(dek: SecretBytes, vaultId: [UInt8]) throws -> SecretBytes {
        try Crypto.hkdfSHA256(key: dek, salt: vaultId, info: VaultCodec.auditInfo)
    }

    /// HMAC-SHA256(key, previous | canonical(entry)).
    static func link(key: SecretBytes, previous: [UInt8], entry: AuditEntry) throws -> [UInt8] {
        try Crypto.hmacSHA256(key: key, bytes: previous + entry.canonical())
    }

    /// Appends an entry under an `flock` of the log, chaining it when `key` is given; without a key
    /// (a failed unlock) the entry is written with an empty MAC. Returns the entry written.
    @discardableResult
    static func append(
        url: URL, key: SecretBytes?, actor: String, action: String, keyId: String?, result: String,
        detail: [String: String], now: Date = Date()
    ) throws -> AuditEntry {
        try SafeFile.ensureDirectory(url.deletingLastPathComponent())
        let fd = open(url.path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw VaultError(.io, "cannot open the audit log \(url.path)") }
        defer { close(fd) }
        try SafeFile.checkPrivate(fd: fd, path: url.path)
        try SafeFile.syscall("flock \(url.path)") { flock(fd, LOCK_EX) }
        defer { flock(fd, LOCK_UN) }
        let existing = try readAll(fd: fd)
        // Only the tail back to the last sealed entry matters for chaining; a damaged line further
        // up is for `audit verify` to report, and must not stop new events from being logged.
        var entries: [AuditEntry] = []
        for text in String(decoding: existing, as: UTF8.self).split(separator: "\n").reversed() {
            guard let parsed = try? AuditEntry.parse(line: String(text)) else {
                throw VaultError(.audit, "audit log damaged near its end; run `indextop audit verify`")
            }
            entries.insert(parsed, at: 0)
            if !parsed.mac.isEmpty { break }
        }
        var entry = AuditEntry(
            seq: (entries.last?.seq ?? 0) + 1, time: now, actor: actor, action: action, keyId: keyId, result: result,
            detail: detail)
        if let key {
            var previous = [UInt8](repeating: 0, count: 32)
            // Start from the last sealed entry and extend over the unsealed tail behind it.
            let lastSealed = entries.lastIndex { !$0.mac.isEmpty }
            if let lastSealed {
                guard let mac = hexDecode(entries[lastSealed].mac) else {
                    throw VaultError(.audit, "audit log damaged; run `indextop audit verify`")
                }
                previous = mac
            }
            for pending in entries[((lastSealed ?? -1) + 1)...] {
                guard pending.action == "unlock", pending.result == "failed" else {
                    throw VaultError(
                        .audit,
                        "audit log has an unsealed entry that is not a failed unlock; run `indextop audit verify`",
                        context: "seq \(pending.seq)")
                }
                previous = try link(key: key, previous: previous, entry: pending)
            }
            entry.mac = hexEncode(try link(key: key, previous: previous, entry: entry))
        }
        try SafeFile.writeAll(fd: fd, Array((entry.line() + "\n").utf8), path: url.path)
        try SafeFile.syscall("fsync \(url.path)") { fsync(fd) }
        return entry
    }

    /// Verifies the whole chain at `url` with K_audit and names the first broken line.
    public static func verify(url: URL, key: SecretBytes) -> AuditVerification {
        let bytes: [UInt8]
        do {
            bytes = try SafeFile.readPrivate(url) ?? []
        } catch {
            return AuditVerification(
                ok: false, entries: 0, firstBrokenLine: nil, unsealedTail: 0,
                message: "cannot read the audit log: \(error)")
        }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .dropLast(bytes.last == UInt8(ascii: "\n") ? 1 : 0)
        var previous = [UInt8](repeating: 0, count: 32)
        var unsealed = 0
        var read: [(line: Int, entry: AuditEntry)] = []
        func broken(_ line: Int, _ why: String) -> AuditVerification {
            AuditVerification(
                ok: false, entries: lines.count, firstBrokenLine: line, unsealedTail: 0,
                message: "chain broken at line \(line): \(why)")
        }
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            guard let entry = try? AuditEntry.parse(line: String(decoding: raw, as: UTF8.self)) else {
                return broken(lineNumber, "not a valid audit entry")
            }
            // The MAC covers canonical(entry), a re-encoding of the parsed fields: unless the stored
            // line is exactly that encoding (plus "mac"), an edit that parses to the same values (a
            // renamed or extra field, another time or escape spelling) would go unnoticed, and a
            // verifier that hashes the stored text would disagree with this one.
            guard Array(raw) == Array(entry.line().utf8) else {
                return broken(lineNumber, "not in canonical form (fields, order, spelling or escapes changed)")
            }
            guard entry.seq == lineNumber else {
                return broken(
                    lineNumber, "sequence number \(entry.seq), expected \(lineNumber) (line deleted, inserted or moved)"
                )
            }
            guard let computed = try? link(key: key, previous: previous, entry: entry) else {
                return broken(lineNumber, "cannot compute the MAC")
            }
            if entry.mac.isEmpty {
                guard entry.action == "unlock", entry.result == "failed" else {
                    return broken(lineNumber, "entry without a MAC that is not a failed unlock")
                }
                unsealed += 1
            } else {
                guard let stored = hexDecode(entry.mac), Crypto.constantTimeEqual(stored, computed) else {
                    return broken(lineNumber, "MAC mismatch (entry edited, or an earlier entry removed or reordered)")
                }
                unsealed = 0
            }
            previous = computed
            read.append((lineNumber, entry))
        }
        var message = "chain ok (\(lines.count) entries)"
        if unsealed > 0 { message += ", \(unsealed) failed unlock(s) at the end not yet sealed" }
        let interrupted = pendingIntents(read)
        if !interrupted.isEmpty {
            message +=
                ", \(interrupted.count) interrupted write(s) (intent without a result at line \(interrupted.map(String.init).joined(separator: ", ")))"
        }
        return AuditVerification(
            ok: true, entries: lines.count, firstBrokenLine: nil, unsealedTail: unsealed,
            interruptedWrites: interrupted, message: message)
    }

    private static func readAll(fd: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let n = pread(fd, &chunk, chunk.count, offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw VaultError(.io, "cannot read the audit log")
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
            offset += off_t(n)
        }
    }

    static func hexEncode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexDecode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < chars.count {
            guard let hi = hexValue(chars[index]), let lo = hexValue(chars[index + 1]) else { return nil }
            out.append(hi << 4 | lo)
            index += 2
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
