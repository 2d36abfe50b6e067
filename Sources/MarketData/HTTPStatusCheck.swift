import Foundation

/// The shared reading of HTTP statuses for the API feeds.
enum HTTPStatusCheck {
    /// Returns for 2xx; throws `.rateLimited` (429 and Binance's 418, with `Retry-After`),
    /// `.keyRejected` (401/403, calling `onRejected` first), `.timeout` (408), `.server` (5xx
    /// and other statuses). Each message is `HTTP <status>` followed by the provider's own
    /// error text when the body has one (`HTTP 401: Invalid API Key`).
    static func check(
        _ response: HTTPResponse, now: Double, feed: String, log: FeedLog?, onRejected: (Int) -> Void
    ) throws {
        let status = response.status
        guard !(200..<300).contains(status) else { return }
        let text = providerMessage(response.body).map { ": \($0)" } ?? ""
        let message = "HTTP \(status)\(text)"
        switch status {
        case 429, 418:
            let retryAfter = response.headers["retry-after"].flatMap { Backoff.parseRetryAfter($0, now: now) }
            let hint = retryAfter.map { ", retry after \(Int($0.rounded(.up))) s" } ?? ""
            log?.write(feed: feed, level: "warn", "\(message) (rate limited\(hint))")
            throw FeedError(.rateLimited(retryAfter: retryAfter), message, context: feed)
        case 401, 403:
            onRejected(status)
            log?.write(feed: feed, level: "error", "\(message): API key rejected; feed stopped")
            throw FeedError(.keyRejected(status: status), message, context: feed)
        case 408:
            throw FeedError(.timeout, message, context: feed)
        case 400..<500:
            log?.write(feed: feed, level: "warn", message)
            throw FeedError(.badResponse, message, context: feed)
        default:
            log?.write(feed: feed, level: "warn", message)
            throw FeedError(.server(status: status), message, context: feed)
        }
    }

    /// The provider's own error text in an error body, at most 200 characters, or nil:
    /// CoinGecko's `{"status": {"error_code": …, "error_message": "…"}}` and `{"error": "…"}`,
    /// Binance's `{"code": -1121, "msg": "…"}`, Token Metrics' `{"success": false, "message": "…"}`,
    /// or a short plain-text body.
    static func providerMessage(_ body: Data) -> String? {
        func clip(_ s: String) -> String? {
            let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
                .trimmingCharacters(in: .whitespaces)
            guard !flat.isEmpty else { return nil }
            return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
        }
        if let json = try? JSONValue.parse(body) {
            if let text = json["status"]?["error_message"]?.string { return clip(text) }
            if let text = json["error"]?.string { return clip(text) }
            if let text = json["error"]?["message"]?.string { return clip(text) }
            if let text = json["msg"]?.string { return clip(text) }
            if let text = json["message"]?.string { return clip(text) }
            return nil
        }
        guard body.count <= 2_000, let text = String(data: body, encoding: .utf8),
            !text.contains("<")
        else { return nil }
        return clip(text)
    }
}
