import TestSupport
import Foundation
@testable import MarketData
import Testing

/// The shared provider access against real servers on 127.0.0.1: redirects (DESIGN §8), the
/// provider's own error text, `Retry-After` waits and the User-Agent.
@Suite struct ProviderHTTPTests {
    let secret = "CG-redirect-SECRET-77aa"

    private func http(key: String?, waits: Int = 0, notes: NoteRecorder? = nil, sleeps: SleepRecorder? = nil)
        -> ProviderHTTP
    {
        var provider: KeyProvider?
        if let key { provider = { @Sendable in key } }
        return ProviderHTTP(
            name: "coingecko", keyHeader: "x-cg-demo-api-key", key: provider, timeout: 5,
            maxWaits: waits, notice: { notes?.add($0) }, sleep: { sleeps?.sleep($0) })
    }

    @Test func aRedirectToAnotherPortWithTheKeyIsRefusedAndNamesTheTarget() throws {
        let other = try TestHTTPServer { _, _ in .json("[]") }
        defer { other.stop() }
        let target = "http://127.0.0.1:\(other.port)/elsewhere"
        let server = try TestHTTPServer { _, _ in
            .respond(status: 302, headers: ["Location": target + "?x=1"], body: Data())
        }
        defer { server.stop() }
        let url = server.baseURL.appendingPathComponent("coins/markets")
        do {
            _ = try http(key: secret).get(url)
            Issue.record("the redirect was followed")
        } catch let e as FeedError {
            #expect(e.kind == .configuration)
            #expect(e.description.contains(target), "\(e)")
            #expect(e.description.hasPrefix("coingecko: refused a redirect"), "\(e)")
            #expect(!e.description.contains(secret))
        }
        #expect(server.requests.count == 1)
        #expect(other.requests.isEmpty, "the other origin was contacted")
    }

    @Test func aSameOriginRedirectKeepsTheKeyAndAKeylessOneMayLeave() throws {
        let other = try TestHTTPServer { _, _ in .json(#"{"where":"other"}"#) }
        defer { other.stop() }
        let server = try TestHTTPServer { request, _ in
            switch request.path {
            case "/old": .respond(status: 301, headers: ["Location": "/new"], body: Data())
            case "/away":
                .respond(status: 307, headers: ["Location": "http://127.0.0.1:\(other.port)/x"], body: Data())
            default: .json(#"{"where":"new"}"#)
            }
        }
        defer { server.stop() }
        let same = try http(key: secret).getJSON(server.baseURL.appendingPathComponent("old"))
        #expect(same["where"]?.string == "new")
        #expect(server.requests.map(\.path) == ["/old", "/new"])
        #expect(server.requests.allSatisfy { $0.headers["x-cg-demo-api-key"] == secret })

        let keyless = try http(key: nil).getJSON(server.baseURL.appendingPathComponent("away"))
        #expect(keyless["where"]?.string == "other")
        #expect(other.requests.count == 1)
        #expect(other.requests.first?.headers["x-cg-demo-api-key"] == nil)
    }

    @Test(arguments: [
        (
            401, #"{"status":{"error_code":10002,"error_message":"Invalid API Key"}}"#,
            "coingecko: HTTP 401: Invalid API Key"
        ),
        (404, #"{"error":"coin not found"}"#, "coingecko: HTTP 404: coin not found"),
        (400, #"{"code":-1121,"msg":"Invalid symbol."}"#, "coingecko: HTTP 400: Invalid symbol."),
        (500, "<html><body>oops</body></html>", "coingecko: HTTP 500"),
        (503, "upstream unavailable", "coingecko: HTTP 503: upstream unavailable"),
    ])
    func errorsCarryTheProvidersOwnTextOnce(status: Int, body: String, expected: String) throws {
        let server = try TestHTTPServer { _, _ in
            .respond(status: status, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
        }
        defer { server.stop() }
        do {
            _ = try http(key: secret).get(server.baseURL)
            Issue.record("no error")
        } catch let e as FeedError {
            #expect(e.description == expected)
        }
    }

    @Test func aRejectedKeyIsRememberedAndNotSentAgain() throws {
        let server = try TestHTTPServer { _, _ in
            .json(#"{"status":{"error_code":10002,"error_message":"Invalid API Key"}}"#, status: 401)
        }
        defer { server.stop() }
        let access = http(key: secret)
        #expect(throws: FeedError.self) { try access.get(server.baseURL) }
        #expect(throws: FeedError.self) { try access.get(server.baseURL) }
        #expect(server.requests.count == 1)
        #expect(access.rejectedStatus == 401)
    }

    @Test func aRateLimitIsWaitedOutAsTheServerAskedAndSaysSo() throws {
        let body = #"{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit."}}"#
        let server = try TestHTTPServer { _, n in
            n == 0 ? .json(body, status: 429, headers: ["Retry-After": "119"]) : .json("[1]")
        }
        defer { server.stop() }
        let notes = NoteRecorder()
        let sleeps = SleepRecorder()
        let value = try http(key: secret, waits: 3, notes: notes, sleeps: sleeps).getJSON(server.baseURL)
        #expect(value == .array([.number(1)]))
        #expect(server.requests.count == 2)
        #expect(notes.lines == ["coingecko: rate limited (HTTP 429): waiting 119 s as the server asked (Retry-After)"])
        // Without a rate limiter the wait is one sleep of exactly the server's figure.
        #expect(sleeps.delays == [119])
    }

    @Test func withoutWaitsARateLimitIsThrownForTheRunner() throws {
        let server = try TestHTTPServer { _, _ in .json("{}", status: 429, headers: ["Retry-After": "7"]) }
        defer { server.stop() }
        do {
            _ = try http(key: nil).get(server.baseURL)
            Issue.record("no error")
        } catch let e as FeedError {
            #expect(e.kind == .rateLimited(retryAfter: 7))
        }
    }

    @Test func theUserAgentCarriesTheVersion() throws {
        let server = try TestHTTPServer { _, _ in .json("[]") }
        defer { server.stop() }
        _ = try http(key: nil).get(server.baseURL)
        #expect(server.requests.first?.headers["user-agent"] == "indextop/\(IndextopVersion.string)")
    }

    @Test func theRateLimiterSpacesRequestsEvenly() {
        let clock = ManualClock()
        let limiter = RateLimiter(perMinute: 30, clock: { clock.now }, sleep: { clock.advance($0) })
        for _ in 0..<4 { limiter.acquire() }
        // 30 a minute is one every 2 s: the 4th request starts 6 s after the first.
        #expect(abs(clock.now - 6) < 1e-9)
        limiter.delay(10)
        limiter.acquire()
        #expect(abs(clock.now - 16) < 1e-9)
    }
}

/// The progress line (DESIGN §8): drawn only on a terminal, cleared before a note.
@Suite struct ProgressReporterTests {
    @Test func aTerminalGetsDoneTotalRateAndTimeLeft() {
        let out = NoteRecorder()
        let clock = ManualClock()
        let reporter = ProgressReporter(showsProgress: true, write: { out.add($0) }, clock: { clock.now })
        reporter.progress("coingecko history", done: 0, total: 4, unit: "assets")
        clock.advance(2)
        reporter.progress("coingecko history", done: 2, total: 4, unit: "assets")
        reporter.note("indextop: coingecko: rate limited")
        reporter.finish()
        // 2 assets in 2 s: 1.00/s, 2 left: about 2 s.
        #expect(
            out.lines == [
                "\r\u{1B}[Kcoingecko history: 0/4 assets",
                "\r\u{1B}[Kcoingecko history: 2/4 assets, 1.00/s, about 2 s left",
                "\r\u{1B}[K", "indextop: coingecko: rate limited\n",
                "\r\u{1B}[Kcoingecko history: 2/4 assets, 1.00/s, about 2 s left", "\n",
            ])
    }

    @Test func aPipeGetsOnlyTheNotes() {
        let out = NoteRecorder()
        let reporter = ProgressReporter(showsProgress: false, write: { out.add($0) })
        reporter.progress("binance history", done: 1, total: 3, unit: "assets")
        reporter.note("a note")
        reporter.finish()
        #expect(out.lines == ["a note\n"])
        #expect(
            ProgressReporter.line("x", done: 30, total: 930, unit: "assets", elapsed: 60)
                == "x: 30/930 assets, 0.50/s, about 30 min left")
    }
}

/// Collects notices.
final class NoteRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    func add(_ line: String) {
        lock.lock()
        recorded.append(line)
        lock.unlock()
    }
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}

/// A clock that only moves when told to.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double = 0
    var now: Double {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    func advance(_ seconds: Double) {
        lock.lock()
        value += seconds
        lock.unlock()
    }
}
