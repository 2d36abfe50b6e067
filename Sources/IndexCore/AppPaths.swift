/// Where indextop keeps its files, from one function of the environment (the XDG Base Directory
/// specification): every target resolves its paths here.
///
/// - data (`$XDG_DATA_HOME/indextop`, else `~/.local/share/indextop`): the database, vaults, audit logs;
/// - config (`$XDG_CONFIG_HOME/indextop`, else `~/.config/indextop`): `indextop.conf`, `themes/`;
/// - state (`$XDG_STATE_HOME/indextop`, else `~/.local/state/indextop`): `feed.log`.
///
/// An XDG variable that is empty or relative is ignored, as the specification says. `$INDEXTOP_DB`
/// names the database file itself (taken as given when not empty). Pure: the environment and the
/// fallback home folder are inputs.
public struct AppPaths: Sendable, Equatable {
    /// The home folder: `$HOME`, else the fallback given.
    public let home: String
    /// `$XDG_DATA_HOME/indextop`.
    public let dataDirectory: String
    /// `$XDG_CONFIG_HOME/indextop`.
    public let configDirectory: String
    /// `$XDG_STATE_HOME/indextop`.
    public let stateDirectory: String
    /// The database file: `$INDEXTOP_DB`, else `indextop.db` in the data folder.
    public let database: String
    /// True when the database comes from `$INDEXTOP_DB` rather than the default location.
    public let databaseFromEnvironment: Bool

    /// Resolves the paths of `environment` (normally the process environment); `fallbackHome` is used
    /// when `$HOME` is unset or empty (the caller's `NSHomeDirectory()`).
    public init(environment: [String: String], fallbackHome: String = "/") {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? fallbackHome
        self.home = home
        func base(_ variable: String, _ fallback: String) -> String {
            if let value = environment[variable], value.hasPrefix("/") { return value }
            return home + "/" + fallback
        }
        dataDirectory = base("XDG_DATA_HOME", ".local/share") + "/indextop"
        configDirectory = base("XDG_CONFIG_HOME", ".config") + "/indextop"
        stateDirectory = base("XDG_STATE_HOME", ".local/state") + "/indextop"
        if let db = environment["INDEXTOP_DB"], !db.isEmpty {
            database = db
            databaseFromEnvironment = true
        } else {
            database = dataDirectory + "/indextop.db"
            databaseFromEnvironment = false
        }
    }

    /// The vault of `env`: `vault-<env>.idxv` in the data folder.
    public func vault(env: String) -> String { dataDirectory + "/vault-\(env).idxv" }

    /// The audit log of `env`: `audit-<env>.jsonl` next to the vault.
    public func auditLog(env: String) -> String { dataDirectory + "/audit-\(env).jsonl" }

    /// The config file: `indextop.conf` in the config folder.
    public var configFile: String { configDirectory + "/indextop.conf" }

    /// The user's themes folder: `themes` in the config folder.
    public var themesDirectory: String { configDirectory + "/themes" }

    /// The feed log: `feed.log` in the state folder.
    public var feedLog: String { stateDirectory + "/feed.log" }
}
