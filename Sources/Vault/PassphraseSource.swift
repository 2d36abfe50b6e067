import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the vault passphrase comes from (DESIGN §9). Never argv.
public enum PassphraseSource: Sendable {
    /// One line read from an inherited file descriptor (`--passphrase-fd N`); a later step-up
    /// reads the next line.
    case fd(Int32)
    /// The first line of a file with mode 0600 (`--passphrase-file PATH`), re-read at each step-up.
    case file(String)
    /// `INDEXTOP_PASSPHRASE`, read once, removed from the environment and kept in a wiped buffer
    /// so that a step-up later in the same process can reuse it.
    case environment
    /// A no-echo prompt on the controlling terminal.
    case prompt
    /// A passphrase already held in memory (tests, embedding code).
    case secret(SecretBytes)

    /// The environment variable read by `.environment`.
    public static let environmentVariable = "INDEXTOP_PASSPHRASE"

    /// The source when no option names one (the command line's `--passphrase-fd N` /
    /// `--passphrase-file P` are parsed by the CLI's argument parser): `.environment` when
    /// `INDEXTOP_PASSPHRASE` is set (capturing and unsetting it now), else `.prompt`.
    public static func fromEnvironment() -> PassphraseSource {
        EnvironmentPassphrase.shared.capture() ? .environment : .prompt
    }

    /// Reads the passphrase (a fresh read each call, except `.environment` and `.secret`).
    /// Throws `.passphrase` when none is available or it is empty, `.permissions` for a loose file.
    /// The process is made non-dumpable, with core dumps off, before the first byte is read, so that a
    /// core taken during the KDF (or after a failed unlock) cannot hold the passphrase.
    public func read(prompt: String = "Vault passphrase: ") throws -> SecretBytes {
        ProcessHardening.disableCoreDumps()
        let value: SecretBytes
        switch self {
        case .fd(let fd):
            value = try PassphraseReader.readLine(fd: fd, what: "passphrase fd \(fd)", noun: "passphrase")
        case .file(let path):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw VaultError(
                    .passphrase, "cannot open the passphrase file: \(String(cString: strerror(errno)))", context: path)
            }
            defer { close(fd) }
            try SafeFile.checkPrivate(fd: fd, path: path)
            value = try PassphraseReader.readLine(fd: fd, what: "passphrase file", noun: "passphrase")
        case .environment:
            _ = EnvironmentPassphrase.shared.capture()
            guard let cached = EnvironmentPassphrase.shared.value else {
                throw VaultError(.passphrase, "\(PassphraseSource.environmentVariable) is not set")
            }
            value = cached
        case .prompt:
            value = try PassphraseReader.promptNoEcho(prompt, noun: "passphrase")
        case .secret(let secret):
            value = secret
        }
        guard value.count > 0 else { throw VaultError(.passphrase, "the passphrase is empty") }
        return value
    }
}

/// Reads an API secret for `keys add` / `keys rotate`: one line, at most 4096 bytes, never
/// through a Swift string; errors speak of the secret, not of a passphrase.
public enum SecretInput {
    /// The first line of `fd` (stdin for `keys add`). Throws `.invalid` when it is empty or
    /// longer than 4096 bytes.
    public static func readLine(fd: Int32) throws -> SecretBytes {
        ProcessHardening.disableCoreDumps()
        return try PassphraseReader.readLine(fd: fd, what: "standard input", noun: "API secret", code: .invalid)
    }

    /// A no-echo prompt on the terminal.
    public static func prompt(_ prompt: String) throws -> SecretBytes {
        ProcessHardening.disableCoreDumps()
        return try PassphraseReader.promptNoEcho(prompt, noun: "API secret", code: .invalid)
    }
}

/// The in-process copy of `INDEXTOP_PASSPHRASE`.
final class EnvironmentPassphrase: @unchecked Sendable {
    static let shared = EnvironmentPassphrase()
    private let lock = NSLock()
    private var stored: SecretBytes?

    /// Moves the variable into a wiped buffer and out of the environment; true when a value is held.
    func capture() -> Bool {
        ProcessHardening.disableCoreDumps()
        lock.lock()
        defer { lock.unlock() }
        if let raw = getenv(PassphraseSource.environmentVariable) {
            let length = strlen(raw)
            stored = SecretBytes(copying: UnsafeRawBufferPointer(start: raw, count: length))
            OPENSSL_cleanse(raw, length)
            unsetenv(PassphraseSource.environmentVariable)
        }
        return stored != nil
    }

    /// The captured value, if any.
    var value: SecretBytes? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// Line readers that keep passphrase bytes out of Swift strings.
enum PassphraseReader {
    static let maxLength = 4096

    /// Reads bytes up to a newline (not included) or EOF, one byte at a time so that the next
    /// line stays in the descriptor for a later read. A trailing CR is dropped. `noun` names what
    /// is read in errors (`passphrase`, `API secret`).
    static func readLine(fd: Int32, what: String, noun: String, code: VaultError.Code = .passphrase) throws
        -> SecretBytes
    {
        var buffer = [UInt8](repeating: 0, count: maxLength)
        defer { Crypto.cleanse(&buffer) }
        var length = 0
        var byte: UInt8 = 0
        var sawNewline = false
        defer { byte = 0 }
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 {
                if errno == EINTR { continue }
                throw VaultError(
                    code, "cannot read the \(noun): \(String(cString: strerror(errno)))", context: what)
            }
            if n == 0 { break }
            if byte == UInt8(ascii: "\n") {
                sawNewline = true
                break
            }
            guard length < maxLength else {
                throw VaultError(code, "the \(noun) is longer than \(maxLength) bytes", context: what)
            }
            buffer[length] = byte
            length += 1
        }
        if length > 0 && buffer[length - 1] == UInt8(ascii: "\r") { length -= 1 }
        guard length > 0 else {
            throw VaultError(
                code, sawNewline ? "the \(noun) is empty" : "no \(noun) given (end of input)", context: what)
        }
        return buffer.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
    }

    /// Prompts on `/dev/tty` with echo off and reads one line.
    static func promptNoEcho(_ prompt: String, noun: String, code: VaultError.Code = .passphrase) throws
        -> SecretBytes
    {
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard tty >= 0 else {
            throw VaultError(
                code,
                noun == "passphrase"
                    ? "no terminal to ask for the passphrase: use --passphrase-fd N, --passphrase-file PATH or INDEXTOP_PASSPHRASE"
                    : "no terminal to ask for the \(noun): give it on standard input"
            )
        }
        defer { close(tty) }
        let promptBytes = Array(prompt.utf8)
        try? SafeFile.writeAll(fd: tty, promptBytes, path: "/dev/tty")
        var saved = termios()
        let haveTermios = tcgetattr(tty, &saved) == 0
        if haveTermios {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(tty, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTermios { _ = tcsetattr(tty, TCSAFLUSH, &saved) }
        }
        return try readLine(fd: tty, what: "terminal", noun: noun, code: code)
    }
}
