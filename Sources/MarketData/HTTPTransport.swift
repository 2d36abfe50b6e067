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

/// Blocking HTTP GET over URLSession (FoundationNetworking on Linux: http and https) with an
/// exact timeout, for use on a feed's background queue.
public final class HTTPTransport: Sendable {
    private let session: URLSession
    /// Seconds to wait for an answer before failing with `.timeout`.
    public let timeout: Double

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
        session = URLSession(configuration: configuration)
        self.timeout = timeout
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Performs a GET and waits for the answer (on the calling thread; never call it on main).
    /// - Parameters:
    ///   - url: the full URL (no secrets in it).
    ///   - headers: request headers; their values never appear in errors.
    ///   - context: names the feed in errors.
    /// - Throws: ``FeedError`` `.timeout` or `.network`; any HTTP status is returned, not thrown.
    public func get(_ url: URL, headers: [String: String], context: String) throws -> HTTPResponse {
        var request = URLRequest(
            url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: (max(timeout, 1)).rounded(.up) + 1)
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<HTTPResponse, FeedError>?>(nil)
        let where_ = "\(context) \(url.host ?? "")\(url.path)"
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<HTTPResponse, FeedError>
            if let error {
                let ns = error as NSError
                if ns.code == NSURLErrorTimedOut {
                    result = .failure(
                        FeedError(.timeout, "no answer within \(Self.seconds(self.timeout))", context: where_))
                } else {
                    result = .failure(FeedError(.network, "network error \(ns.code)", context: where_))
                }
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let k = key as? String, let v = value as? String { fields[k.lowercased()] = v }
                }
                result = .success(HTTPResponse(status: http.statusCode, headers: fields, body: data ?? Data()))
            } else {
                result = .failure(FeedError(.network, "no HTTP response", context: where_))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            task.cancel()
            throw FeedError(.timeout, "no answer within \(Self.seconds(timeout))", context: where_)
        }
        guard let result = outcome.current else { throw FeedError(.network, "no result", context: where_) }
        return try result.get()
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
