import Foundation
import TestSupport
import Testing

/// Keys and config in the real terminal: the footer shows remapped keys, config problems are listed,
/// and out-of-range refresh intervals are clamped instead of crashing (the terminal is restored).
@Suite(.serialized) struct DashboardConfigTmuxTests {
    typealias Session = DashboardTmuxTests.Session

    static var enabled: Bool { DashboardTmuxTests.tmuxPath != nil }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(1)))
    func remappedKeysShowInTheFooterAndProblemsAreListed() throws {
        let config = "key.rebalance = R\nkey.quit = Q\nrefresh = abc\nbogus = 1\n"
        let session = try Session(tmux: DashboardTmuxTests.tmuxPath!, config: config) {
            "\(DashboardTmuxTests.binary()) --db \($0) --feed none"
        }
        defer { session.close() }
        // The first problem in the footer, the count of the others.
        session.wait(for: "the first problem, and the refresh interval beside it") {
            $0.contains("indextop.conf:3: refresh: 'abc' is not a number") && $0.contains("every 1s")
        }
        try session.keys("?")
        session.wait(for: "the help lists both problems") {
            $0.contains("indextop.conf:3: refresh") && $0.contains("indextop.conf:4: bogus: unknown setting")
        }
        try session.keys("Escape")
        session.wait(for: "the footer with the keys in force") { $0.contains("Q quit") && $0.contains("R rebalance") }
        // The old defaults are free: q does not quit, r does not open a preview.
        try session.keys("q", "r")
        try session.keys("R")
        session.wait(for: "rebalance HODL Top 10")
        try session.keys("Escape", "Q")
        session.wait(for: "EXIT=0")
    }

    /// `refresh = inf` in the config (read through `XDG_CONFIG_HOME`), alone or under `--refresh 1e11`.
    @Test(.enabled(if: enabled), .timeLimit(.minutes(1)), arguments: ["--refresh 1e11", ""])
    func hugeRefreshIsClampedNotACrash(args: String) throws {
        let session = try Session(tmux: DashboardTmuxTests.tmuxPath!, config: "refresh = inf\n") { db in
            "\(DashboardTmuxTests.binary()) --db \(db) --feed none \(args)"
        }
        defer { session.close() }
        session.wait(for: "every 3600s")
        try session.keys("q")
        session.wait(for: "EXIT=0")
        session.wait(for: "TTY=icanon echo")
    }
}

/// Truecolor: `COLORTERM=truecolor` on a 256-colour `TERM` paints the theme's exact RGB colours.
@Suite(.serialized) struct DashboardColourTmuxTests {
    @Test(.enabled(if: DashboardTmuxTests.tmuxPath != nil), .timeLimit(.minutes(1)))
    func truecolorWhenColortermSaysSo() throws {
        let cache = NSTemporaryDirectory() + "/indextop-cache-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let session = try DashboardTmuxTests.Session(tmux: DashboardTmuxTests.tmuxPath!, config: "") {
            "env -u NO_COLOR COLORTERM=truecolor XDG_CACHE_HOME=\(cache) \(DashboardTmuxTests.binary()) --db \($0) --feed none --theme nord"
        }
        defer { session.close() }
        session.wait(for: "1 Holdings")
        // nord's header: foreground #E5E9F0 (229 233 240) on #3B4252 (59 66 82), exactly.
        let deadline = Date().addingTimeInterval(10)
        var escapes = ""
        repeat {
            escapes = (try? session.run(["capture-pane", "-e", "-p", "-t", session.name])) ?? ""
            if escapes.contains("38;2;229;233;240") { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        #expect(escapes.contains("38;2;229;233;240"), "\(escapes.prefix(300))")
        #expect(escapes.contains("48;2;59;66;82"))
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }
}
