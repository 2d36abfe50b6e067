import Foundation
import IndexCore
import PortfolioStore

/// Global options and dispatch of `indextop COMMAND ...`.
struct CLI {
    var dbPath: String
    var dbExplicit: Bool
    var env: String
    var json: Bool

    /// The default database path: `$INDEXTOP_DB`, else `$XDG_DATA_HOME/indextop/indextop.db`.
    static func defaultDatabasePath() -> (path: String, explicit: Bool) {
        let e = ProcessInfo.processInfo.environment
        if let p = e["INDEXTOP_DB"], !p.isEmpty { return (p, true) }
        return (dataDirectory() + "/indextop.db", false)
    }

    /// `$XDG_DATA_HOME/indextop` (or `~/.local/share/indextop`).
    static func dataDirectory() -> String {
        let e = ProcessInfo.processInfo.environment
        let home = e["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let base = e["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home + "/.local/share")
        return base + "/indextop"
    }

    /// Runs the command line; returns the exit code.
    static func main(_ argv: [String]) -> Int32 {
        var args = Args(Array(argv.dropFirst()))
        do {
            let dbOpt = try args.option("--db")
            let envOpt = try args.option("--env")
            let json = args.flag("--json")
            let (defPath, defExplicit) = defaultDatabasePath()
            let env = envOpt ?? ProcessInfo.processInfo.environment["INDEXTOP_ENV"] ?? "dev"
            guard ["dev", "test", "prod"].contains(env) else { throw UsageError("--env must be dev, test or prod") }
            let cli = CLI(dbPath: dbOpt ?? defPath, dbExplicit: dbOpt != nil || defExplicit, env: env, json: json)
            if args.flag("--help") || args.flag("-h") {
                let topic = args.optionalPositional()
                Output.line(Help.text(for: topic))
                return ExitCode.success
            }
            if args.flag("--version") {
                Output.line("indextop 0.1.0")
                return ExitCode.success
            }
            guard let command = args.words.first, !command.hasPrefix("-") else {
                return try cli.dashboard(&args)
            }
            args = Args(Array(args.words.dropFirst()))
            return try cli.run(command, &args)
        } catch let e as UsageError {
            // One line, like every other error, so scripts can show stderr as is.
            Output.error("indextop: \(e.message) (see 'indextop --help')")
            return ExitCode.usage
        } catch let e as Failure {
            Output.error(e.bare ? e.message : "indextop: \(e.message)")
            return ExitCode.failure
        } catch {
            Output.error("indextop: \(error)")
            return ExitCode.failure
        }
    }

    func run(_ command: String, _ args: inout Args) throws -> Int32 {
        switch command {
        case "help":
            Output.line(Help.text(for: args.optionalPositional()))
            return ExitCode.success
        case "init": return try initCommand(&args)
        case "index": return try indexCommand(&args)
        case "assets": return try assetsCommand(&args)
        case "holdings": return try holdingsCommand(&args)
        case "rebalance": return try rebalanceCommand(&args)
        case "history": return try historyCommand(&args)
        case "performance": return try performanceCommand(&args)
        case "deposit": return try cashFlowCommand(&args, deposit: true)
        case "withdraw": return try cashFlowCommand(&args, deposit: false)
        case "import": return try importCommand(&args)
        case "export": return try exportCommand(&args)
        case "signals": return try signalsCommand(&args)
        case "backtest": return try backtestCommand(&args)
        case "trades": return try tradesCommand(&args)
        case "pnl": return try pnlCommand(&args)
        case "snapshot": return try snapshotCommand(&args)
        case "fetch": return try fetchCommand(&args)
        case "keys", "audit", "scan": return try vaultCommand(command, &args)
        default: throw UsageError("unknown command '\(command)'")
        }
    }

    /// Opens the database; it must exist unless `create`.
    func openStore(create: Bool = false) throws -> PortfolioStore {
        do {
            let store = try PortfolioStore(path: dbPath, create: create)
            SignalWiring.install(on: store)
            return store
        } catch let e as StoreError {
            throw Failure(e.message)
        }
    }
}
