import Foundation
import Testing

/// The one strict argument parser (`Args`) and the help topics, through the built binary.
@Suite struct StrictArgsTests {
    let cli: CLIHarness

    init() throws { cli = try CLIHarness() }

    /// A database with one asset, so commands get past opening the store.
    private func initialised() throws {
        #expect(try cli.run(["init"]).status == 0)
        #expect(try cli.run(["assets", "add", "BTC"]).status == 0)
    }

    @Test(arguments: [
        // A value that looks like an option is refused (it used to become the value).
        ["--theme", "--ascii"], ["snapshot", "--index", "--ascii"], ["history", "x", "--limit", "--json"],
        // Short options are not positionals.
        ["holdings", "-j"], ["index", "show", "-x"],
        // A repeated option or flag.
        ["index", "list", "--db", "/tmp/a.db"], ["rebalance", "x", "--apply", "--apply"],
        ["rebalance", "x", "--reason", "a", "--reason", "b"],
        // A flag given a value, an unknown option written with '='.
        ["rebalance", "x", "--apply=yes"], ["index", "list", "--frob=1"],
        // Unknown help topic.
        ["help", "nope"],
    ])
    func misuseIsAUsageErrorOnOneLine(args: [String]) throws {
        try initialised()
        let r = try cli.run(args)
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.errorLines.count == 1, "\(args): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aRepeatedDatabaseOptionSaysSo() throws {
        let r = try cli.run(["index", "list", "--db", cli.directory + "/other.db"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--db given 2 times"), "\(r.stderr)")
        #expect(!r.stderr.contains("unknown option"))
    }

    @Test func aValueThatLooksLikeAnOptionIsNamed() throws {
        let r = try cli.raw(["--theme", "--ascii"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--theme needs a value"), "\(r.stderr)")
        #expect(r.stderr.contains("'--ascii'"))
    }

    @Test func anOptionValueMayStartWithADashWhenWrittenWithEquals() throws {
        try initialised()
        let r = try cli.run(["assets", "add", "ETH", "--name=-dash-name-"])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try cli.run(["assets", "list", "--json"])
        #expect(try list.array().contains { $0["name"] as? String == "-dash-name-" })
    }

    @Test func doubleDashEndsTheOptions() throws {
        try initialised()
        // After `--`, `--json` is the slug, not the flag: the index is unknown (exit 1), nothing is JSON.
        let r = try cli.raw(["holdings", "--db", cli.db, "--", "--json"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--json"), "\(r.stderr)")
        // The same word before `--` is the flag: the slug is missing (usage).
        #expect(try cli.run(["holdings", "--json"]).status == 2)
    }

    @Test func optionsAreReadWhereverTheyStand() throws {
        try initialised()
        // The option before the positional: the positional is the slug, not the option's value.
        let r = try cli.run(["export", "--format", "csv", "nope"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("nope"), "\(r.stderr)")
    }

    @Test func everyCommandHelpIsItsOwn() throws {
        let audit = try cli.raw(["audit", "--help"])
        #expect(audit.status == 0)
        #expect(audit.stdout.contains("indextop audit show"), "\(audit.stdout)")
        #expect(!audit.stdout.contains("indextop keys add"), "\(audit.stdout)")
        let keys = try cli.raw(["keys", "add", "--help"])
        #expect(keys.status == 0)
        #expect(keys.stdout.contains("indextop keys add"))
        #expect(!keys.stdout.contains("indextop audit show"))
        let holdings = try cli.raw(["holdings", "--help"])
        #expect(holdings.stdout.hasPrefix("indextop holdings SLUG"))
        #expect(try cli.raw(["help", "audit"]).stdout == audit.stdout)
        #expect(try cli.raw(["-h"]).stdout.contains("commands:"))
    }

    @Test func unknownHelpTopicExitsTwo() throws {
        let r = try cli.raw(["help", "nope"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no help for 'nope'"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func snapshotTakesTheThemeItsHelpOffers() throws {
        #expect(try cli.raw(["help", "snapshot"]).stdout.contains("--theme NAME"))
        try initialised()
        let r = try cli.run(["snapshot", "--theme", "nord", "--width", "80", "--height", "20"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.isEmpty)
        let missing = try cli.run(["snapshot", "--theme", "no-such-theme"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-theme"))
    }

    @Test func aLongStrayArgumentIsNotEchoed() throws {
        let secret = String(repeating: "k", count: 70)
        let r = try cli.run(["index", "list", secret])
        #expect(r.status == 2)
        #expect(!r.stderr.contains(secret))
        #expect(r.stderr.contains("70 characters"))
    }
}
