import CCurl
import Foundation

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

/// Blocking HTTP GET (http and https) with an exact timeout, for use on a feed's background queue.
/// libcurl is loaded at the first request (`dlopen`, the `CCurl` shim): commands that never touch the
/// network never load it nor its TLS, Kerberos and LDAP libraries, and the executable links no
/// FoundationNetworking (start-up: README "Performance").
///
/// libcurl follows no redirect: `get` follows one itself when it stays on the same origin (scheme, host
/// and port), or when the request carries no secret header; a redirect that would carry a secret header
/// to another origin is an error naming the target (DESIGN §8 "Redirects").
public final class HTTPTransport: Sendable {
    /// Seconds to wait for an answer before failing with `.timeout`.
    public let timeout: Double
    /// Most redirects followed for one request.
    public static let maxRedirects = 5

    /// Creates a transport (no cookies, no cache: each request stands alone).
    public init(timeout: Double = 15) {
        self.timeout = timeout
    }

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
        let where_ = "\(context) \(url.host ?? "")\(url.path)"
        guard url.scheme == "http" || url.scheme == "https" else {
            throw FeedError(.network, "only http and https are supported", context: where_)
        }
        var lines = ["Accept: application/json", "User-Agent: \(IndextopVersion.userAgent)"]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            guard !name.contains(where: { $0 == ":" || $0.isNewline }), !value.contains(where: \.isNewline) else {
                throw FeedError(.network, "invalid header \(name)", context: where_)
            }
            lines.append("\(name): \(value)")
        }
        var response = ccurl_response()
        let milliseconds = max(1, Int((timeout * 1000).rounded(.up)))
        withCStrings(lines) { pointers in
            ccurl_get(url.absoluteString, pointers, Int32(lines.count), milliseconds, &response)
        }
        defer { ccurl_free(&response) }
        let message = withUnsafeBytes(of: response.error) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        switch response.outcome {
        case 0: break
        case 1: throw FeedError(.timeout, "no answer within \(Self.seconds(timeout))", context: where_)
        default: throw FeedError(.network, "network error: \(message)", context: where_)
        }
        let body = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
        let head = response.headers.map {
            String(decoding: Data(bytes: $0, count: response.headers_length), as: UTF8.self)
        }
        return HTTPResponse(status: response.status, headers: Self.lastHeaderBlock(head ?? ""), body: body)
    }

    /// The fields of the final response's header block (after any `100 Continue`), by lower-cased name.
    static func lastHeaderBlock(_ raw: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in raw.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let text = line.hasSuffix("\r") ? line.dropLast() : line
            if text.hasPrefix("HTTP/") {
                fields = [:]
                continue
            }
            guard let colon = text.firstIndex(of: ":") else { continue }
            let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            fields[name] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}

/// Calls `body` with `strings` as a C array of NUL-terminated strings (valid only during the call).
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer<CChar>($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
