import Foundation
import TestSupport
import Testing

/// The dashboard's safety and decision screen, driven in tmux: nothing acts on a screen the user cannot
/// see, the preview scrolls through every trade, and a confirmed plan is applied exactly as previewed
/// (or shown again when it changed). Every wait polls with a deadline.
@Suite(.serialized) struct DashboardSafetyTmuxTests {
    typealias Session = DashboardTmuxTests.Session

    static var enabled: Bool { DashboardTmuxTests.tmuxPath != nil }

    static func start(config: String = "") throws -> Session {
        try Session(tmux: DashboardTmuxTests.tmuxPath!, config: config) {
            "\(DashboardTmuxTests.binary()) --db \($0) --feed none"
        }
    }

    /// Selects the demo's fourth index (Memecoins EW) from the first.
    static func selectMemecoins(_ session: Session) throws {
        try session.keys("Tab", "j", "j", "j", "Tab")
        session.wait(for: "┌─ Memecoins EW · memes-ew")
    }

    /// Rebalances of `slug` in the database, by the CLI.
    static func history(_ session: Session, _ slug: String) throws -> [[String: Any]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: DashboardTmuxTests.binary())
        p.arguments = ["--db", session.db, "history", slug, "--json"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let wait = try p.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        wait()
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(1)))
    func tooSmallScreenTakesOnlyQuitAndResize() throws {
        let session = try Self.start()
        defer { session.close() }
        session.wait(for: "Value▼")
        let before = try Self.history(session, "hodl-top10").count
        try session.run(["resize-window", "-t", session.name, "-x", "50", "-y", "12"])
        session.wait(for: "terminal too small: have 50×12, need 60×15")
        // Keys typed at the hidden dashboard: a rebalance and its confirmation, a view, a sort, a filter.
        try session.keys("r", "y", "y", "3", "s", "/", "x")
        // A key after them that the screen does answer (a resize) proves they were read.
        try session.run(["resize-window", "-t", session.name, "-x", "120", "-y", "40"])
        let screen = session.wait(for: "the dashboard as it was") { $0.contains("Value▼") }
        #expect(!screen.contains("rebalance HODL"), "no modal opened")
        #expect(!screen.contains("(Enter keeps, Esc clears)"), "no filter prompt")
        #expect(screen.contains("1 Holdings"))
        #expect(try Self.history(session, "hodl-top10").count == before, "nothing applied")
        try session.run(["resize-window", "-t", session.name, "-x", "50", "-y", "12"])
        session.wait(for: "terminal too small")
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(1)))
    func previewScrollsThroughEveryTrade() throws {
        let session = try Self.start()
        defer { session.close() }
        session.wait(for: "1 Holdings")
        try Self.selectMemecoins(session)
        try session.run(["resize-window", "-t", session.name, "-x", "60", "-y", "15"])
        session.wait(for: "6 Expo")
        try session.keys("r")
        // Five memecoins, five trades: the small modal shows a few and says how to reach the rest.
        let first = session.wait(for: "a scrollable preview") { $0.contains("rows 1–") && $0.contains("of 5") }
        let shown = first.split(separator: "\n").filter { $0.contains("│ sell ") || $0.contains("│ buy ") }.count
        #expect(shown >= 1 && shown < 5)
        try session.keys("G")
        session.wait(for: "the last page") { $0.contains("–5 of 5") }
        try session.keys("g")
        session.wait(for: "the first page again") { $0.contains("rows 1–") }
        try session.keys("j")
        session.wait(for: "one row down") { $0.contains("rows 2–") }
        // Esc closes it; nothing was applied.
        try session.keys("Escape")
        session.wait(for: "rebalance cancelled")
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(2)))
    func aConfirmedPlanIsAppliedAsPreviewedOrAskedAgain() throws {
        let session = try Self.start()
        defer { session.close() }
        session.wait(for: "1 Holdings")
        try Self.selectMemecoins(session)
        let before = try Self.history(session, "memes-ew").count
        try session.keys("r")
        let first = session.wait(for: "the preview") { $0.contains("y apply") && $0.contains("sell DOGE") }
        // Another process moves DOGE's price between the preview and the confirmation.
        let csv = session.dataHome + "/doge.csv"
        try "time,symbol,price,market_cap,volume\n\(Int(Date().timeIntervalSince1970)),DOGE,0.21,2e10,1e9\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try DashboardTmuxTests.indextop(["--db", session.db, "import", "prices", csv]) == 0)
        try session.keys("y", "y")
        let changed = session.wait(for: "the new plan") { $0.contains("NOT APPLIED: the plan changed") }
        #expect(try Self.history(session, "memes-ew").count == before, "the old plan was not applied")
        func dogeLine(_ screen: String) -> String {
            String(screen.split(separator: "\n").first { $0.contains(" DOGE ") && $0.contains("│ sell") } ?? "")
        }
        #expect(dogeLine(changed) != dogeLine(first), "the modal shows the plan at the new price")
        #expect(dogeLine(changed).contains("0.2100"))
        // Confirming the new plan applies exactly it: the stored trade is the quantity on screen.
        try session.keys("y")
        session.wait(for: "applied as previewed")
        let list = try Self.history(session, "memes-ew")
        #expect(list.count == before + 1)
        let trades = (list.first?["trades"] as? [[String: Any]]) ?? []
        let doge = trades.first { $0["symbol"] as? String == "DOGE" }
        let qty = (doge?["quantity"] as? Double) ?? 0
        let shownQty = dogeLine(changed).split(separator: " ").map(String.init).filter { !$0.isEmpty }[3]
        #expect(shownQty == Self.quantityText(qty), "screen \(shownQty), stored \(qty)")
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }

    /// The dashboard's quantity text for `v` from 1 000 up (whole units from 100 000, else 2 decimals;
    /// grouped by thousands), worked out here by hand.
    static func quantityText(_ v: Double) -> String {
        let decimals = v >= 100_000 ? 0 : 2
        let scale = decimals == 0 ? 1 : 100
        let n = Int((v * Double(scale)).rounded())
        var whole = String(n / scale)
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        guard decimals > 0 else { return whole + grouped }
        let frac = n % scale
        return whole + grouped + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(1)))
    func sortWorksInEveryTable() throws {
        let session = try Self.start()
        defer { session.close() }
        session.wait(for: "Value▼")
        try session.keys("2")
        session.wait(for: "Score▼")
        try session.keys("s")
        session.wait(for: "signals by symbol") { $0.contains("Sym▲") && $0.contains("sort by symbol") }
        try session.keys("3")
        session.wait(for: "Time (UTC)▼")
        try session.keys("S")
        session.wait(for: "Time (UTC)▲")
        try session.keys("s")
        session.wait(for: "Turnover▼")
        try session.keys("6")
        session.wait(for: "Value▼")
        try session.keys("s")
        session.wait(for: "exposure by name") { $0.contains("Token▲") && $0.contains("Sector▲") }
        try session.keys("1", "s")
        session.wait(for: "Wt▼")
        try session.keys("q")
        session.wait(for: "EXIT=0")
    }
}
