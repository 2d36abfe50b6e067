import Foundation
import TestSupport
import Testing

/// Drives the real `indextop` binary in a detached tmux session (120×40) and reads the screen with
/// `capture-pane -p`. Every wait polls with a deadline; the session is killed even when a check fails.
@Suite(.serialized) struct DashboardTmuxTests {
    static let socket = "indextop-test-\(getpid())"

    static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The `indextop` executable next to the test bundle (the build system's product folder).
    static func binary() -> String { BuiltProduct.path("indextop") }

    final class Session {
        let name = "indextop-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let tmux: String
        let configHome: String

        let dataHome: String
        var db: String { dataHome + "/indextop/indextop.db" }

        /// Starts `command` (given the demo database path) in a new session, with its own config and data homes
        /// and `config` as the config file.
        init(tmux: String, config: String = "key.rebalance = R\n", command: (String) -> String) throws {
            self.tmux = tmux
            configHome = NSTemporaryDirectory() + "/\(name)-config"
            dataHome = NSTemporaryDirectory() + "/\(name)-data"
            try FileManager.default.createDirectory(atPath: dataHome + "/indextop", withIntermediateDirectories: true)
            let initDemo = try DashboardTmuxTests.indextop([
                "--db", dataHome + "/indextop/indextop.db", "init", "--demo",
            ])
            guard initDemo == 0 else { throw CocoaError(.fileWriteUnknown) }
            try FileManager.default.createDirectory(atPath: configHome + "/indextop", withIntermediateDirectories: true)
            // A user binding that overrides a default: `R` (not `r`) opens the rebalance preview.
            try config.write(
                toFile: configHome + "/indextop/indextop.conf", atomically: true, encoding: .utf8)
            let script =
                "env TERM=xterm-256color LANG=C.UTF-8 XDG_CONFIG_HOME=\(configHome) XDG_DATA_HOME=\(dataHome) "
                + "XDG_STATE_HOME=\(dataHome) \(command(db)); "
                + "echo EXIT=$?; printf 'TTY='; stty -a | tr ' ;' '\\n\\n' | grep -x -E -- '-?(icanon|echo)' | tr '\\n' ' '; "
                + "echo; sleep 120"
            try run(["new-session", "-d", "-s", name, "-x", "120", "-y", "40", script])
        }

        @discardableResult
        func run(_ args: [String]) throws -> String {
            // A private server (socket) per test process: the first session always starts it, it never
            // touches a user's tmux, and it exits with the last session.
            let argv = [tmux, "-L", DashboardTmuxTests.socket] + args
            if args.first == "new-session" {
                // It may start the tmux server, a daemon: spawned so that it inherits nothing of ours.
                guard spawnDetached(argv) == 0 else { throw CocoaError(.executableLoad) }
                return ""
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tmux)
            p.arguments = Array(argv.dropFirst())
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            let wait = try p.start()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            wait()
            return String(decoding: data, as: UTF8.self)
        }

        func screen() -> String { (try? run(["capture-pane", "-p", "-t", name])) ?? "" }

        func keys(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

        /// Polls the screen until `predicate` holds or `timeout` seconds pass; returns the last screen.
        @discardableResult
        func wait(
            for what: String, timeout: Double = 10, _ predicate: (String) -> Bool,
            sourceLocation: SourceLocation = #_sourceLocation
        ) -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var text = screen()
            while !predicate(text) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                text = screen()
            }
            #expect(predicate(text), "waited for \(what); screen:\n\(text)", sourceLocation: sourceLocation)
            return text
        }

        func wait(for text: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) {
            wait(for: text, timeout: timeout, { $0.contains(text) }, sourceLocation: sourceLocation)
        }

        func close() {
            _ = try? run(["kill-session", "-t", name])
            try? FileManager.default.removeItem(atPath: configHome)
            try? FileManager.default.removeItem(atPath: dataHome)
        }
    }

    /// Runs the binary to completion (no terminal); returns its exit status.
    static func indextop(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary())
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.runToCompletion()
        return p.terminationStatus
    }

    @Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(2)))
    func dashboardEndToEnd() throws {
        let session = try Session(tmux: Self.tmuxPath!) { "\(Self.binary()) --db \($0) --feed none" }
        defer { session.close() }

        session.wait(for: "1 Holdings")
        session.wait(for: "HODL Top 10")
        // Move in the index list: the main pane follows the selected index.
        try session.keys("Tab", "j")
        session.wait(for: "┌─ DeFi Pulse-style")
        try session.keys("k", "Tab")
        session.wait(for: "┌─ HODL Top 10")

        // All six views.
        try session.keys("2")
        session.wait(for: "votes for")
        try session.keys("3")
        session.wait(for: "Trigger")
        try session.keys("4")
        session.wait(for: "NAV per unit")
        try session.keys("5")
        session.wait(for: "no vault")
        try session.keys("6")
        session.wait(for: "share of total by index")
        try session.keys("1")
        session.wait(for: "Value▼")

        // Sort and reverse.
        try session.keys("s")
        session.wait(for: "Wt▼ ")
        try session.keys("S")
        session.wait(for: "Wt▲")

        // Filter.
        try session.keys("/", "E", "T", "H", "Enter")
        session.wait(for: "holdings filtered to ETH") { $0.contains("││ETH ") && !$0.contains("││BTC ") }
        try session.keys("Escape")
        session.wait(for: "filter cleared") { $0.contains("││BTC ") }

        // Rebalance: `r` is remapped away by the config, `R` opens the preview; y applies.
        try session.keys("R")
        session.wait(for: "n/Esc cancel")
        // Without a feed the demo's prices are hours old: the modal says STALE and wants a second `y`.
        session.wait(for: "STALE prices")
        try session.keys("y")
        session.wait(for: "press y AGAIN")
        try session.keys("y")
        session.wait(for: "applied")
        session.wait(for: "manual    applied")

        // A change written by another process appears within a refresh: import a BTC price of 71,234.50.
        let csv = session.dataHome + "/btc.csv"
        try "time,symbol,price,market_cap,volume\n\(Int(Date().timeIntervalSince1970)),BTC,71234.5,1.4e12,3e10\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try Self.indextop(["--db", session.db, "import", "prices", csv]) == 0)
        try session.keys("1")
        session.wait(for: "71,234.50")

        // Resize to 50×12 and back.
        try session.run(["resize-window", "-t", session.name, "-x", "50", "-y", "12"])
        session.wait(for: "terminal too small: have 50×12, need 60×15")
        try session.run(["resize-window", "-t", session.name, "-x", "120", "-y", "40"])
        session.wait(for: "1 Holdings")

        // Quit: exit 0 and the terminal is back in canonical mode with echo.
        try session.keys("q")
        session.wait(for: "EXIT=0")
        session.wait(for: "TTY=icanon echo")
    }

    @Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
    func everyLayoutOnTheWayDownAndBack() throws {
        let session = try Session(tmux: Self.tmuxPath!) { "\(Self.binary()) --db \($0) --feed none" }
        defer { session.close() }
        session.wait(for: "6 Exposure")
        func resize(_ w: Int, _ h: Int) throws {
            try session.run(["resize-window", "-t", session.name, "-x", String(w), "-y", String(h)])
        }
        // 100×30: full layout, shortened tabs; every view keeps its tab.
        try resize(100, 30)
        session.wait(for: "4 Perf   5 Keys   6 Exposure")
        // 80×24: compact, the index picker on one line.
        try resize(80, 24)
        session.wait(for: "compact picker") { $0.contains("◀ 1/") && $0.contains("6 Exposure") && !$0.contains("┌") }
        // 60×15: still compact, the smallest tabs; keys work.
        try resize(60, 15)
        session.wait(for: "6 Expo")
        try session.keys("6")
        session.wait(for: "share of total by index")
        // Rapid resizes end on the size last asked for.
        for (w, h) in [(50, 12), (120, 40), (61, 16), (90, 30), (50, 12)] { try resize(w, h) }
        session.wait(for: "terminal too small: have 50×12, need 60×15")
        try resize(120, 40)
        session.wait(for: "back to full") { $0.contains("┌─ Indices") && $0.contains("share of total by index") }
        try resize(50, 12)
        session.wait(for: "terminal too small")
        // q still quits on the too-small screen.
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }

    @Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
    func eightColourTerminalKeepsTextVisible() throws {
        // TERM=xterm has 8 colours: bright theme colours fold onto the base ones, gains stay green.
        let session = try Session(tmux: Self.tmuxPath!) {
            "env -u NO_COLOR TERM=xterm COLORTERM= \(Self.binary()) --db \($0) --feed none"
        }
        defer { session.close() }
        session.wait(for: "1 Holdings")
        let deadline = Date().addingTimeInterval(10)
        var escapes = ""
        repeat {
            escapes = (try? session.run(["capture-pane", "-e", "-p", "-t", session.name])) ?? ""
            if escapes.contains("\u{1B}[44m") { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        // The selected row: white on blue (the default theme's dark red would fold onto red, the loss colour),
        // never black on black.
        #expect(escapes.contains("\u{1B}[44m"), "\(escapes)")
        #expect(!escapes.contains("\u{1B}[41m"))
        #expect(!escapes.contains("\u{1B}[30m\u{1B}[40m"))
        #expect(!escapes.contains("\u{1B}[90m") && !escapes.contains("\u{1B}[38;5;"))
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }

    @Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
    func closingTheTerminalEndsTheApp() throws {
        let session = try Session(tmux: Self.tmuxPath!) {
            "sh -c 'echo PID=$$; exec \(Self.binary()) --db \($0) --feed sim'"
        }
        defer { session.close() }
        session.wait(for: "1 Holdings")
        let panePid = try session.run(["list-panes", "-t", session.name, "-F", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try String(contentsOfFile: "/proc/\(panePid)/task/\(panePid)/children", encoding: .utf8)
            .split(separator: " ").compactMap { Int32($0) }
        #expect(!children.isEmpty)
        // The window goes away without a signal to the app (a killed tmux session): it must not run on.
        try session.run(["kill-session", "-t", session.name])
        let deadline = Date().addingTimeInterval(10)
        func alive() -> Bool { children.contains { kill($0, 0) == 0 && !Self.isZombie($0) } }
        while alive() && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!alive(), "indextop still running after its terminal closed")
        for child in children where alive() { kill(child, SIGKILL) }
    }

    /// True when `pid` has exited but was not reaped yet.
    static func isZombie(_ pid: Int32) -> Bool {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    @Test(.enabled(if: tmuxPath != nil), .timeLimit(.minutes(1)))
    func sigtermRestoresTheTerminal() throws {
        let session = try Session(tmux: Self.tmuxPath!) {
            "sh -c 'echo PID=$$; exec \(Self.binary()) --db \($0) --feed none'"
        }
        defer { session.close() }
        session.wait(for: "1 Holdings")
        let panePid = try session.run(["list-panes", "-t", session.name, "-F", "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // The app is a child of the pane's shell.
        let children = try String(contentsOfFile: "/proc/\(panePid)/task/\(panePid)/children", encoding: .utf8)
            .split(separator: " ").compactMap { Int32($0) }
        #expect(!children.isEmpty)
        for child in children { kill(child, SIGTERM) }
        session.wait(for: "EXIT=0")
        session.wait(for: "TTY=icanon echo")
    }
}
