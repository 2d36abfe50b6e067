import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// File-system helpers for secret-bearing files: private permissions, atomic durable writes, locks.
enum SafeFile {
    /// Runs a system call, retrying on `EINTR`; throws `.io` with `what` and errno otherwise.
    @discardableResult
    static func syscall(_ what: String, _ body: () -> Int32) throws -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            if errno == EINTR { continue }
            throw VaultError(.io, "\(what) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Throws `.permissions` unless `fd` is a regular file owned by this user with no group or
    /// other permission bits; the message carries the fix.
    static func checkPrivate(fd: Int32, path: String) throws {
        var info = stat()
        try syscall("fstat \(path)") { fstat(fd, &info) }
        guard info.st_uid == getuid() else {
            throw VaultError(
                .permissions,
                "\(path) is owned by uid \(info.st_uid), not by you (uid \(getuid())); refusing to use it. Fix: check who created it, then chown it to yourself"
            )
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw VaultError(
                .permissions,
                "\(path) is accessible by group or others (mode \(String(mode, radix: 8))); refusing to use it. Fix: chmod 600 \(path)"
            )
        }
    }

    /// Reads a private file completely; nil when it does not exist.
    static func readPrivate(_ url: URL) throws -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw VaultError(.io, "cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try checkPrivate(fd: fd, path: url.path)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw VaultError(.io, "cannot read \(url.path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Creates `directory` (mode 0700) and its parents when missing.
    static func ensureDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw VaultError(.io, "cannot create \(directory.path)")
        }
    }

    /// Writes all of `bytes` to `fd`.
    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw VaultError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    /// Replaces `url` atomically: temp file (0600, same folder), write, fsync, rename, fsync folder.
    /// `beforeRename` runs after the temp file is durable (tests use it to simulate a crash).
    static func writeAtomically(_ bytes: [UInt8], to url: URL, beforeRename: (() throws -> Void)? = nil) throws {
        let directory = url.deletingLastPathComponent()
        try ensureDirectory(directory)
        let tempPath = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        unlink(tempPath)
        let fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw VaultError(.io, "cannot create \(tempPath): \(String(cString: strerror(errno)))")
        }
        var renamed = false
        defer { if !renamed { unlink(tempPath) } }
        do {
            defer { close(fd) }
            try syscall("fchmod \(tempPath)") { fchmod(fd, 0o600) }
            try writeAll(fd: fd, bytes, path: tempPath)
            try syscall("fsync \(tempPath)") { fsync(fd) }
        }
        try beforeRename?()
        try syscall("rename \(tempPath)") { rename(tempPath, url.path) }
        renamed = true
        let dirFD = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { throw VaultError(.io, "cannot open \(directory.path) to fsync it") }
        defer { close(dirFD) }
        try syscall("fsync \(directory.path)") { fsync(dirFD) }
    }
}

/// An exclusive `flock` on a lock file, released when the value is released.
final class FileLock {
    private let fd: Int32

    /// Opens (creating, 0600) and locks `url`, waiting for other holders.
    init(_ url: URL) throws {
        try SafeFile.ensureDirectory(url.deletingLastPathComponent())
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw VaultError(.io, "cannot open lock \(url.path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        do {
            try SafeFile.checkPrivate(fd: fd, path: url.path)
            try SafeFile.syscall("flock \(url.path)") { flock(fd, LOCK_EX) }
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
