import Foundation

/// Why a feed poll failed. Descriptions never contain a key or a header value.
public struct FeedError: Error, Sendable, CustomStringConvertible {
    /// The class of failure, which decides what the runner does next.
    public enum Kind: Sendable, Equatable {
        /// HTTP 429; `retryAfter` seconds when the server said so.
        case rateLimited(retryAfter: Double?)
        /// HTTP 5xx or another unexpected status: back off and retry.
        case server(status: Int)
        /// Connection refused, reset, DNS...: back off and retry.
        case network
        /// No answer within the timeout: back off and retry.
        case timeout
        /// HTTP 401/403, or a key already rejected: stop the feed, never retry.
        case keyRejected(status: Int)
        /// The body could not be used at all (not JSON, wrong shape, `success: false`).
        case badResponse
        /// The sink refused the batch.
        case storage
        /// A configuration problem (no key, bad URL, unreadable file).
        case configuration
    }

    public var kind: Kind
    /// What happened, for the log and the header line.
    public var message: String
    /// Which feed and, for HTTP, which host and path (never a header or key).
    public var context: String

    public init(_ kind: Kind, _ message: String, context: String = "") {
        self.kind = kind
        self.message = message
        self.context = context
    }

    /// True when another attempt may succeed (rate limits, 5xx, network, timeouts, storage).
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .server, .network, .timeout, .storage: true
        case .keyRejected, .badResponse, .configuration: false
        }
    }

    public var description: String { context.isEmpty ? message : "\(context): \(message)" }
}
