import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server over POSIX sockets on 127.0.0.1 (port chosen by the kernel), one
/// request per connection, answering from a scripted handler. `stop()` closes everything and
/// joins every thread.
public final class TestHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        /// Path and query, e.g. `/api/v3/coins/markets?vs_currency=usd`.
        public var target: String
        /// Header values by lower-cased name.
        public var headers: [String: String]
        /// The request exactly as received.
        public var raw: String

        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
        public var query: [String: String] {
            guard let q = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
            var out: [String: String] = [:]
            for pair in q.split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                out[kv[0]] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
            }
            return out
        }
    }

    public enum Reply: Sendable {
        case respond(status: Int, headers: [String: String], body: Data)
        /// Never answer (until the server stops).
        case hang

        public static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> Reply {
            .respond(
                status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a },
                body: Data(text.utf8))
        }
    }

    public let port: UInt16
    private let listenFD: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var stopped = false
    private let handler: @Sendable (Request, Int) -> Reply
    private let group = DispatchGroup()

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Requests received so far.
    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Starts listening; `handler` gets each request and its index (0-based).
    public init(handler: @escaping @Sendable (Request, Int) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        listenFD = fd
        group.enter()
        Thread.detachNewThread { [self] in
            acceptLoop()
            group.leave()
        }
    }

    /// Closes the listener and every connection, and waits for every thread.
    public func stop() {
        lock.lock()
        let already = stopped
        stopped = true
        lock.unlock()
        guard !already else { return }
        group.wait()
        close(listenFD)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !isStopped {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            let client = accept(listenFD, nil, nil)
            guard client >= 0 else { continue }
            group.enter()
            Thread.detachNewThread { [self] in
                serve(client)
                close(client)
                group.leave()
            }
        }
    }

    private func serve(_ fd: Int32) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = Array("\r\n\r\n".utf8)
        while !isStopped {
            if data.count >= 4, data.suffix(from: 0).windowsContains(end) { break }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { return }
            data.append(contentsOf: buffer[0..<n])
        }
        guard !isStopped else { return }
        let raw = String(decoding: data, as: UTF8.self)
        let lines = raw.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let request = Request(
            method: parts.count > 0 ? String(parts[0]) : "", target: parts.count > 1 ? String(parts[1]) : "",
            headers: headers, raw: raw)
        lock.lock()
        let index = recorded.count
        recorded.append(request)
        lock.unlock()
        switch handler(request, index) {
        case .hang:
            while !isStopped { usleep(10_000) }
        case .respond(let status, let extra, let body):
            var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            for (k, v) in extra { head += "\(k): \(v)\r\n" }
            head += "\r\n"
            let bytes = Array(head.utf8) + [UInt8](body)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { return }
                sent += n
            }
        }
    }
}

extension ArraySlice where Element == UInt8 {
    fileprivate func windowsContains(_ needle: [UInt8]) -> Bool {
        guard count >= needle.count else { return false }
        var i = startIndex
        while i + needle.count <= endIndex {
            if self[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
