import Foundation

/// The shared reading of HTTP statuses for the API feeds.
enum HTTPStatusCheck {
    /// Returns for 2xx; throws `.rateLimited` (429, with `Retry-After`), `.keyRejected` (401/403,
    /// calling `onRejected` first), `.timeout` (408), `.server` (5xx and other statuses).
    static func check(
        _ response: HTTPResponse, now: Double, feed: String, log: FeedLog?, onRejected: (Int) -> Void
    ) throws {
        switch response.status {
        case 200..<300:
            return
        case 429:
            let retryAfter = response.headers["retry-after"].flatMap { Backoff.parseRetryAfter($0, now: now) }
            let hint = retryAfter.map { ", retry after \($0) s" } ?? ""
            log?.write(feed: feed, level: "warn", "HTTP 429 rate limited\(hint)")
            throw FeedError(.rateLimited(retryAfter: retryAfter), "HTTP 429 rate limited", context: feed)
        case 401, 403:
            onRejected(response.status)
            log?.write(feed: feed, level: "error", "HTTP \(response.status): API key rejected; feed stopped")
            throw FeedError(
                .keyRejected(status: response.status), "API key rejected (HTTP \(response.status))", context: feed)
        case 408:
            throw FeedError(.timeout, "HTTP 408 request timeout", context: feed)
        default:
            log?.write(feed: feed, level: "warn", "HTTP \(response.status)")
            throw FeedError(.server(status: response.status), "HTTP \(response.status)", context: feed)
        }
    }
}
