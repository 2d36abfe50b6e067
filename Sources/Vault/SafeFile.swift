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

    /// Throws `.permissions` unless `directory` (the data folder holding vaults and audit logs) is a
    /// directory owned by this user that neither group nor others can write: whoever can write
    /// the folder can swap the vault or the log for files of their own.
    static func checkDirectory(_ directory: URL) throws {
        var info = stat()
        try syscall("stat \(directory.path)") { stat(directory.path, &info) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw VaultError(.permissions, "\(directory.path) is not a directory; refusing to keep secrets there")
        }
        guard info.st_uid == getuid() else {
            throw VaultError(
                .permissions,
                "the data folder \(directory.path) is owned by uid \(info.st_uid), not by you (uid \(getuid())); refusing to use it. Fix: use a folder of your own (XDG_DATA_HOME) or chown it"
            )
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o022 == 0 else {
            throw VaultError(
                .permissions,
                "the data folder \(directory.path) is writable by group or others (mode \(String(mode, radix: 8))); refusing to use it. Fix: chmod 700 \(directory.path)"
            )
        }
    }

    /// Reads a private file completely; nil when it does not exist. Its folder is checked too
    /// (`checkDirectory`).
    static func readPrivate(_ url: URL) throws -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw VaultError(.io, "cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try checkDirectory(url.deletingLastPathComponent())
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

    /// Creates `directory` when missing (mode 0700; its parents with the default mode), then
    /// checks it with `checkDirectory`.
    static func ensureDirectory(_ directory: URL) throws {
        if !FileManager.default.fileExists(atPath: directory.path) {
            let parent = directory.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw VaultError(.io, "cannot create \(parent.path)")
            }
            if mkdir(directory.path, 0o700) != 0 && errno != EEXIST {
                throw VaultError(.io, "cannot create \(directory.path): \(String(cString: strerror(errno)))")
            }
        }
        try checkDirectory(directory)
    }

    /// Removes the temp files `.<name>.tmp-PID` an interrupted write of `url` left behind (complete,
    /// decryptable older copies). Call with the vault's lock held: no other writer is active then.
    static func removeStaleTemps(of url: URL) {
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            unlink(directory.appendingPathComponent(name).path)
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
    /// Stale temp files of earlier interrupted writes are removed first (the caller holds the lock).
    /// `beforeRename` runs after the temp file is durable (tests use it to simulate a crash).
    static func writeAtomically(_ bytes: [UInt8], to url: URL, beforeRename: (() throws -> Void)? = nil) throws {
        let directory = url.deletingLastPathComponent()
        try ensureDirectory(directory)
        removeStaleTemps(of: url)
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
