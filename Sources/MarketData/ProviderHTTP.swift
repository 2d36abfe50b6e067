import Foundation

/// One provider's HTTP access, shared by its price feed, history and discovery requests: the
/// key header (obtained in one place, ``authHeaders()``), the plan's rate limit, the status
/// reading with the provider's own error text, a remembered key rejection, and waits for
/// `Retry-After` that say how long and why.
public final class ProviderHTTP: Sendable {
    /// `coingecko`, `binance`, `tokenmetrics`: the one prefix of every message.
    public let name: String
    /// The header that carries the key (`x-cg-demo-api-key`, `x-api-key`), nil for keyless APIs.
    public let keyHeader: String?
    private let key: KeyProvider?
    private let transport: HTTPTransport
    private let limiter: RateLimiter?
    private let log: FeedLog?
    private let notice: @Sendable (String) -> Void
    private let sleep: @Sendable (Double) -> Void
    private let clock: @Sendable () -> Double
    private let rejected = Locked<Int?>(nil)
    /// Most `Retry-After` waits for one request before the rate limit is reported as an error.
    public let maxWaits: Int

    /// - Parameters:
    ///   - name: the provider's name.
    ///   - keyHeader: the key's header name, or nil (keyless).
    ///   - key: supplies the key per request; nil sends no key.
    ///   - timeout: seconds per request.
    ///   - perMinute: the plan's rate limit, nil for none.
    ///   - maxWaits: how many 429s one request waits out (0: throw `.rateLimited` at once, as
    ///     the feed runner wants, which backs off itself).
    ///   - notice: where waits are announced (stderr for the CLI).
    public init(
        name: String, keyHeader: String?, key: KeyProvider?, timeout: Double = 15, perMinute: Double? = nil,
        maxWaits: Int = 0, log: FeedLog? = nil, notice: @escaping @Sendable (String) -> Void = { _ in },
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        sleep: @escaping @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    ) {
        self.name = name
        self.keyHeader = keyHeader
        self.key = key
        transport = HTTPTransport(timeout: timeout)
        limiter = perMinute.map { RateLimiter(perMinute: $0, clock: clock, sleep: sleep) }
        self.maxWaits = max(maxWaits, 0)
        self.log = log
        self.notice = notice
        self.clock = clock
        self.sleep = sleep
    }

    /// Whether requests carry a key.
    public var hasKey: Bool { key != nil && keyHeader != nil }

    /// The HTTP status that rejected the key, once it happened.
    public var rejectedStatus: Int? { rejected.current }

    /// The key header for one request: the single place where a client obtains its key. It runs
    /// before every request, so a key provider that re-checks the vault (a lease) stops the very
    /// next request after a revocation.
    /// - Throws: ``FeedError`` `.configuration` when the key cannot be had.
    public func authHeaders() throws -> [String: String] {
        guard let key, let keyHeader else { return [:] }
        do {
            return [keyHeader: try key()]
        } catch {
            throw FeedError(.configuration, "no usable API key: \(error)", context: name)
        }
    }

    /// GETs `url` within the rate limit, waiting out up to `maxWaits` rate limits, and returns
    /// a 2xx response.
    /// - Throws: ``FeedError`` with the provider's error text; after a 401/403 every later call
    ///   throws `.keyRejected` without sending anything.
    public func get(_ url: URL) throws -> HTTPResponse {
        var waits = 0
        while true {
            if let status = rejected.current {
                throw FeedError(
                    .keyRejected(status: status), "API key was rejected (HTTP \(status)); not retrying", context: name)
            }
            let headers = try authHeaders()
            limiter?.acquire()
            let response = try transport.get(
                url, headers: headers, secretHeaders: Set(headers.keys), context: name)
            do {
                try HTTPStatusCheck.check(
                    response, now: clock(), feed: name, log: log,
                    onRejected: { status in rejected.withLock { $0 = status } })
                return response
            } catch let error as FeedError {
                guard case .rateLimited(let retryAfter) = error.kind, waits < maxWaits else { throw error }
                waits += 1
                let seconds = retryAfter ?? Backoff().delay(attempt: waits + 1, retryAfter: nil, random: 0.5)
                let why =
                    retryAfter == nil
                    ? "no Retry-After given, backing off" : "as the server asked (Retry-After)"
                notice("\(name): rate limited (HTTP \(response.status)): waiting \(Int(seconds.rounded(.up))) s \(why)")
                limiter?.delay(seconds)
                if limiter == nil { sleep(seconds) }
            }
        }
    }

    /// GETs `url` and parses the body as JSON.
    /// - Throws: ``FeedError``; `.badResponse` when the body is not JSON.
    public func getJSON(_ url: URL) throws -> JSONValue {
        let response = try get(url)
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw FeedError(.badResponse, "body is not JSON (\(error))", context: name)
        }
    }

    /// `base` + `path` with `query`, for the clients' endpoints.
    /// - Throws: ``FeedError`` `.configuration` for a base URL that cannot take them.
    public func url(_ base: URL, _ path: String, _ query: [(String, String)]) throws -> URL {
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        guard var components = URLComponents(string: root + path) else {
            throw FeedError(.configuration, "bad base URL", context: name)
        }
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // `+` is a space to most servers' query parsers; encode it (and keep `,` readable).
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url else { throw FeedError(.configuration, "bad base URL", context: name) }
        return url
    }
}
