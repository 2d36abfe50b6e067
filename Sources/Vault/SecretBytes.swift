import COpenSSL
import Foundation

/// A heap buffer holding secret bytes (a key, a passphrase, an API secret), wiped with
/// `OPENSSL_cleanse` when released and excluded from core dumps where the kernel allows it.
///
/// The contents are fixed after creation, so sharing an instance between threads is safe.
public final class SecretBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    /// The number of secret bytes.
    public let count: Int

    /// Allocates `count` zeroed bytes and lets `fill` write them; the buffer is wiped if `fill` throws.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let capacity = max(count, 1)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        _ = mlock(memory, capacity)
        do {
            // Filled before `self` is initialised, so a throw never reaches `deinit`.
            try fill(UnsafeMutableRawBufferPointer(start: memory, count: count))
        } catch {
            OPENSSL_cleanse(memory, capacity)
            munlock(memory, capacity)
            memory.deallocate()
            throw error
        }
        self.count = count
        pointer = memory
    }

    /// Copies `bytes` into a new secret buffer; the caller remains responsible for its own copy.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { buffer in
            if let base = bytes.baseAddress, bytes.count > 0 {
                buffer.baseAddress!.copyMemory(from: base, byteCount: bytes.count)
            }
        }
    }

    /// Copies the UTF-8 bytes of `string` (tests and callers that already hold a `String`).
    public convenience init(_ string: String) {
        var copy = Array(string.utf8)
        self.init(count: copy.count) { buffer in
            copy.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
        OPENSSL_cleanse(&copy, copy.count)
    }

    /// Copies `data` (for example a decoded JSON field) into a secret buffer.
    public convenience init(data: Data) {
        self.init(count: data.count) { buffer in
            data.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
    }

    deinit {
        OPENSSL_cleanse(pointer, max(count, 1))
        munlock(pointer, max(count, 1))
        pointer.deallocate()
    }

    /// Calls `body` with read access to the secret bytes; do not let the pointer escape.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The secret as a `String`, for APIs (HTTP headers) that need one. The copy is not wiped:
    /// keep it short-lived and never log it.
    public func unsafeStringCopy() -> String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// The secret masked for display: `****` plus the last 4 characters when it is at least
    /// 8 characters long, else only `****`.
    public var masked: String {
        let text = unsafeStringCopy()
        return SecretBytes.mask(text)
    }

    /// Masks `text` the way `masked` does.
    static func mask(_ text: String) -> String {
        guard text.count >= 8 else { return "****" }
        return "****" + String(text.suffix(4))
    }

    /// Constant-time equality (`CRYPTO_memcmp`); false when the lengths differ.
    public func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        guard count > 0 else { return true }
        return withUnsafeBytes { a in
            other.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, count) == 0 }
        }
    }
}
