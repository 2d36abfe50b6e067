import Foundation

/// Options of the dashboard: flags of DESIGN §12, merged over the config file.
public struct DashboardOptions: Sendable {
    /// Theme name or path (nil: config `theme`, else `default`).
    public var theme: String?
    /// Refresh interval in seconds (nil: config `refresh`, else 1).
    public var refresh: Double?
    public var ascii: Bool
    public var noColor: Bool
    /// `--themes-dir`.
    public var themesDir: String?
    /// The config file path (nil: the default path of `DashboardConfig.defaultPath`).
    public var configPath: String?
    public var environment: [String: String]
    /// A warning for the footer at start (e.g. indices with unknown market caps), shown after config problems.
    public var notice: String?

    public init(
        theme: String? = nil, refresh: Double? = nil, ascii: Bool = false, noColor: Bool = false,
        themesDir: String? = nil, configPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.theme = theme
        self.refresh = refresh
        self.ascii = ascii
        self.noColor = noColor
        self.themesDir = themesDir
        self.configPath = configPath
        self.environment = environment
    }

    /// The config file these options read.
    public var config: DashboardConfig {
        DashboardConfig.load(path: configPath ?? DashboardConfig.defaultPath(environment: environment))
    }

    /// The initial UI state: flags over config over defaults. Returns the state and messages about the config.
    public func initialState(config: DashboardConfig, themeNames: [String]) -> (UIState, [String]) {
        var state = UIState()
        var problems = config.problems
        let (keyMap, keyProblems) = KeyMap.from(config: config)
        problems += keyProblems
        state.keyMap = keyMap
        state.ascii = ascii || (config.bool("ascii") ?? false)
        let interval = refresh ?? config.double("refresh") ?? 1
        state.refreshInterval = max(0.1, interval)
        state.themeNames = themeNames
        state.themeName = theme ?? config.string("theme") ?? "default"
        return (state, problems)
    }

    /// True when colours are off: `--no-color`, config `no_color = true`, or `NO_COLOR` set.
    public func colorDisabled(config: DashboardConfig) -> Bool {
        noColor || (config.bool("no_color") ?? false)
    }
}
