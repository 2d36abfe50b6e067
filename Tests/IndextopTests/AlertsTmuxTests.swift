import Foundation
import TestSupport
import Testing

/// The alerts overlay in the real dashboard under tmux: alerts written by another process appear in
/// the header and the index list, `!` lists them newest first, Enter jumps, `a` acknowledges.
@Suite(.serialized) struct AlertsTmuxTests {
    /// `sqlite3 -readonly DB SQL`, trimmed.
    static func sqlite(_ db: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = ["-readonly", db, sql]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let wait = try p.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        wait()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: DashboardTmuxTests.tmuxPath != nil), .timeLimit(.minutes(1)))
    func theOverlayListsJumpsAndAcknowledges() throws {
        let session = try DashboardTmuxTests.Session(tmux: DashboardTmuxTests.tmuxPath!) {
            "\(DashboardTmuxTests.binary()) --db \($0) --feed none"
        }
        defer { session.close() }
        session.wait(for: "1 Holdings")
        #expect(!session.screen().contains(" new "))

        // BTC at 200 000 an hour after the newest price: top20-sqrt (band ±5 points) drifts, so the
        // import raises its drift alert (id 1) and its due alert (id 2).
        let newest = try #require(Int64(try Self.sqlite(session.db, "SELECT MAX(time) FROM prices")))
        let csv = session.dataHome + "/btc.csv"
        try "time,symbol,price\n\(newest + 3600),BTC,200000\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try DashboardTmuxTests.indextop(["--db", session.db, "import", "prices", csv]) == 0)
        #expect(try Self.sqlite(session.db, "SELECT id || kind FROM alerts ORDER BY id") == "1drift\n2due")
        session.wait(for: "! 2 new")
        session.wait(for: "the index list marks Top 20") { $0.contains("│! Top 20 √cap") }

        try session.keys("!")
        session.wait(for: "alerts (2 open)")
        let overlay = session.wait(for: "both alerts, newest first") {
            guard let due = $0.range(of: "top20-sqrt: rebalance due (drift)"),
                let drift = $0.range(of: "top20-sqrt: BTC at")
            else { return false }
            return due.lowerBound < drift.lowerBound
        }
        #expect(overlay.contains("beyond the band ±5.0 pts"))

        // Enter on the second row (the drift alert) jumps to its index, on the holdings view.
        try session.keys("j", "Enter")
        session.wait(for: "overlay closed on Top 20") {
            $0.contains("┌─ Top 20 √cap") && !$0.contains("alerts (2 open)")
        }

        // `a` acknowledges the selected alert (the newest, due): one stays new.
        try session.keys("!")
        session.wait(for: "alerts (2 open)")
        try session.keys("a")
        session.wait(for: "alert 2 acknowledged")
        session.wait(for: "! 1 new")
        #expect(try Self.sqlite(session.db, "SELECT id || state FROM alerts ORDER BY id") == "1new\n2acknowledged")

        try session.keys("Escape")
        session.wait(for: "overlay closed") { !$0.contains("alerts (2 open)") }
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }
}
