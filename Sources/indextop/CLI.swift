import Dashboard
import Foundation
import IndexCore
import MarketData
import PortfolioStore

/// Global options and dispatch of `indextop COMMAND ...`.
struct CLI {
    var dbPath: String
    var dbExplicit: Bool
    var env: String
    var json: Bool

    /// Every path indextop uses, from the process environment (one resolver: ``AppPaths``).
    static var paths: AppPaths {
        AppPaths(environment: ProcessInfo.processInfo.environment, fallbackHome: NSHomeDirectory())
    }

    /// Runs the command line; returns the exit code.
    static func main(_ argv: [String]) -> Int32 {
        var args = Args(Array(argv.dropFirst()))
        do {
            let dbOpt = try args.option("--db")
            let envOpt = try args.option("--env")
            let json = args.flag("--json")
            let help = args.flag("--help") || args.flag("-h")
            let version = args.flag("--version")
            let paths = Self.paths
            let env = envOpt ?? ProcessInfo.processInfo.environment["INDEXTOP_ENV"] ?? "dev"
            guard ["dev", "test", "prod"].contains(env) else { throw UsageError("--env must be dev, test or prod") }
            let cli = CLI(
                dbPath: dbOpt ?? paths.database, dbExplicit: dbOpt != nil || paths.databaseFromEnvironment, env: env,
                json: json)
            let command = args.command()
            if help || command == "help" {
                // `indextop --help`, `indextop help [TOPIC]`, `indextop COMMAND ... --help`.
                let topic = command == "help" ? args.optionalPositional() : command
                if command == "help" { try args.finish() }
                guard let text = Help.text(for: topic) else {
                    throw UsageError("no help for \(Args.quoted(topic ?? "")) (topics: \(Help.topics))")
                }
                Output.line(text)
                return ExitCode.success
            }
            if version {
                guard command == nil else { throw UsageError("--version takes no command") }
                try args.finish()
                Output.line("indextop \(IndextopVersion.string)")
                return ExitCode.success
            }
            guard let command else { return try cli.dashboard(&args) }
            return try cli.run(command, &args)
        } catch let e as UsageError {
            // One line, like every other error, so scripts can show stderr as is.
            Output.error("indextop: \(e.message) (see 'indextop --help')")
            return ExitCode.usage
        } catch let e as Failure {
            Output.error(e.bare ? e.message : "indextop: \(e.message)")
            return ExitCode.failure
        } catch let e as StoreError {
            Output.error("indextop: \(e.message)")
            return ExitCode.failure
        } catch {
            Output.error("indextop: \(error)")
            return ExitCode.failure
        }
    }

    func run(_ command: String, _ args: inout Args) throws -> Int32 {
        try Self.applySignalConfig(DashboardConfig.load(path: Self.paths.configFile))
        switch command {
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
        case "snapshot": return try snapshotCommand(&args)
        case "fetch": return try fetchCommand(&args)
        case "alerts": return try alertsCommand(&args)
        case "keys", "audit", "scan": return try vaultCommand(command, &args)
        default: throw UsageError("unknown command '\(command)'")
        }
    }

    /// Opens the database read-write through the process's one writer (a command is single-threaded);
    /// it must exist and be an indextop database unless `create` (`init`).
    func openStore(create: Bool = false) throws -> PortfolioStore {
        try openWriter(create: create).confinedStore
    }

    /// The process's writer on the database (for commands that hand it to a feed).
    func openWriter(create: Bool = false) throws -> StoreWriter {
        do {
            return try StoreWriter(path: dbPath, create: create)
        } catch let e as StoreError {
            throw Failure(e.message)
        }
    }
}
