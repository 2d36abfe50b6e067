import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP response as the clients need it.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: Data
}

/// The program's version, sent in every request's `User-Agent` and printed by `indextop --version`.
public enum IndextopVersion {
    /// `0.1.0`.
    public static let string = "0.1.0"
    /// `indextop/0.1.0`.
    public static var userAgent: String { "indextop/\(string)" }
}

/// Blocking HTTP GET over URLSession (FoundationNetworking on Linux: http and https) with an
/// exact timeout, for use on a feed's background queue.
///
/// Redirects are never followed by URLSession (it would send every header, the API key
/// included, to wherever the server points): `get` follows a redirect itself when it stays on
/// the same origin (scheme, host and port), or when the request carries no secret header; a
/// redirect that would carry a secret header to another origin is an error naming the target
/// (DESIGN §8 "Redirects").
public final class HTTPTransport: Sendable {
    private let session: URLSession
    private let tasks: TaskTable
    /// Seconds to wait for an answer before failing with `.timeout`.
    public let timeout: Double
    /// Most redirects followed for one request.
    public static let maxRedirects = 5

    /// Creates a transport with an ephemeral session (no cookies, no cache).
    public init(timeout: Double = 15) {
        let configuration = URLSessionConfiguration.ephemeral
        // swift-corelibs-foundation truncates timeouts to whole seconds (0.5 s becomes "expire
        // at once"), so the session gets a looser whole-second bound and `get` enforces the
        // exact one itself.
        let loose = (max(timeout, 1)).rounded(.up) + 1
        configuration.timeoutIntervalForRequest = loose
        configuration.timeoutIntervalForResource = loose
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let table = TaskTable()
        // A delegate session: swift-corelibs-foundation asks the delegate about redirects only for
        // delegate-driven tasks (with a completion handler it follows them without asking).
        session = URLSession(configuration: configuration, delegate: table, delegateQueue: nil)
        tasks = table
        self.timeout = timeout
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Performs a GET and waits for the answer (on the calling thread; never call it on main).
    /// - Parameters:
    ///   - url: the full URL (no secrets in it).
    ///   - headers: request headers; their values never appear in errors.
    ///   - secretHeaders: names of the headers in `headers` that hold a secret (the API key):
    ///     they never travel to another origin.
    ///   - context: names the feed in errors.
    /// - Throws: ``FeedError`` `.timeout` or `.network`, `.configuration` for a refused
    ///   cross-origin redirect; any HTTP status is returned, not thrown.
    public func get(
        _ url: URL, headers: [String: String], secretHeaders: Set<String> = [], context: String
    ) throws -> HTTPResponse {
        var current = url
        var redirects = 0
        while true {
            let response = try once(current, headers: headers, context: context)
            guard (300..<400).contains(response.status), response.status != 304,
                let location = response.headers["location"]
            else { return response }
            guard let target = URL(string: location, relativeTo: current)?.absoluteURL,
                target.scheme == "http" || target.scheme == "https"
            else {
                throw FeedError(
                    .badResponse, "HTTP \(response.status) redirect to an unusable location '\(location.prefix(80))'",
                    context: context)
            }
            let carriesSecret = headers.keys.contains { secretHeaders.contains($0) }
            if carriesSecret, !Self.sameOrigin(current, target) {
                throw FeedError(
                    .configuration,
                    "refused a redirect to \(Self.describe(target)): it would send the API key to another origin",
                    context: context)
            }
            redirects += 1
            guard redirects <= Self.maxRedirects else {
                throw FeedError(.badResponse, "more than \(Self.maxRedirects) redirects", context: context)
            }
            current = target
        }
    }

    /// Same scheme, host and port (default ports filled in).
    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func port(_ u: URL) -> Int? { u.port ?? (u.scheme == "https" ? 443 : u.scheme == "http" ? 80 : nil) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased()
            && port(a) == port(b)
    }

    /// Scheme, host, port and path of a URL (no query: it may hold anything).
    static func describe(_ url: URL) -> String {
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(url.scheme ?? "?")://\(url.host ?? "")\(port)\(url.path)"
    }

    private func once(_ url: URL, headers: [String: String], context: String) throws -> HTTPResponse {
        var request = URLRequest(
            url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: (max(timeout, 1)).rounded(.up) + 1)
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(IndextopVersion.userAgent, forHTTPHeaderField: "User-Agent")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<HTTPResponse, FeedError>?>(nil)
        let where_ = "\(context) \(url.host ?? "")\(url.path)"
        let timeout = self.timeout
        let task = session.dataTask(with: request)
        tasks.register(task.taskIdentifier) { data, response, error in
            let result: Result<HTTPResponse, FeedError>
            if let error {
                let ns = error as NSError
                if ns.code == NSURLErrorTimedOut {
                    result = .failure(FeedError(.timeout, "no answer within \(Self.seconds(timeout))", context: where_))
                } else {
                    result = .failure(FeedError(.network, "network error \(ns.code)", context: where_))
                }
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let k = key as? String, let v = value as? String { fields[k.lowercased()] = v }
                }
                result = .success(HTTPResponse(status: http.statusCode, headers: fields, body: data))
            } else {
                result = .failure(FeedError(.network, "no HTTP response", context: where_))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            tasks.forget(task.taskIdentifier)
            throw FeedError(.timeout, "no answer within \(Self.seconds(timeout))", context: where_)
        }
        guard let result = outcome.current else { throw FeedError(.network, "no result", context: where_) }
        return try result.get()
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}

/// The session's delegate: collects each task's body, refuses every redirect (``HTTPTransport``
/// decides about them itself) and reports completion.
private final class TaskTable: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    typealias Completion = @Sendable (Data, URLResponse?, (any Error)?) -> Void
    private struct Pending {
        var data = Data()
        var completion: Completion
    }
    private let pending = Locked<[Int: Pending]>([:])

    func register(_ id: Int, _ completion: @escaping Completion) {
        pending.withLock { $0[id] = Pending(completion: completion) }
    }

    func forget(_ id: Int) { _ = pending.withLock { $0.removeValue(forKey: id) } }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        pending.withLock { $0[dataTask.taskIdentifier]?.data.append(data) }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let entry = pending.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        entry.completion(entry.data, task.response, error)
    }
}
