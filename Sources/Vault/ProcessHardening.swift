import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps secrets out of core dumps and `/proc/<pid>/mem` readers of the same user.
public enum ProcessHardening {
    /// Sets `RLIMIT_CORE` to 0 and `PR_SET_DUMPABLE` to 0. Called before the first byte of any
    /// passphrase or secret is read (every unlock path, failed ones too); stays in force for the
    /// rest of the process (decrypted secrets may live until exit). Returns true when both calls
    /// succeeded.
    @discardableResult
    public static func disableCoreDumps() -> Bool {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        #if canImport(Glibc)
            let core = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &limit) == 0
        #else
            let core = setrlimit(RLIMIT_CORE, &limit) == 0
        #endif
        let dumpable = copenssl_set_not_dumpable() == 0
        return core && dumpable
    }

    /// Whether the process is currently marked dumpable (for tests and `keys verify`).
    public static var isDumpable: Bool { copenssl_is_dumpable() != 0 }

    /// Marks the process dumpable again (tests that check the order of hardening and reading).
    static func makeDumpableForTesting() { _ = copenssl_set_dumpable() }
}
