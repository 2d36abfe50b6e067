import Foundation
import IndexCore

/// Finds and loads theme files: `--themes-dir`, `$XDG_CONFIG_HOME/indextop/themes`, then the install's `themes/`.
public struct ThemeLoader: Sendable {
    /// The directories searched, first match wins.
    public var directories: [String]

    /// A loader searching `directories` in order.
    public init(directories: [String]) {
        self.directories = directories
    }

    /// The standard search path: `themesDir` (the `--themes-dir` flag), the user's config
    /// directory, then `themes/` next to the executable, in `../share/indextop/themes`, in the source
    /// checkout the executable was built in, and in the current directory.
    public static func standard(themesDir: String?, environment: [String: String]) -> ThemeLoader {
        var dirs: [String] = []
        if let themesDir { dirs.append(themesDir) }
        dirs.append(AppPaths(environment: environment, fallbackHome: NSHomeDirectory()).themesDirectory)
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        dirs.append(dir.appendingPathComponent("themes").path)
        dirs.append(dir.appendingPathComponent("../share/indextop/themes").standardized.path)
        for _ in 0..<4 {  // .build/<triple>/<config>/indextop → the checkout's themes/
            dir = dir.deletingLastPathComponent()
            dirs.append(dir.appendingPathComponent("themes").path)
        }
        dirs.append(FileManager.default.currentDirectoryPath + "/themes")
        var seen: Set<String> = []
        return ThemeLoader(directories: dirs.filter { seen.insert($0).inserted })
    }

    /// The names of every theme found (`default` first, then alphabetical).
    public func availableNames() -> [String] {
        var names: Set<String> = ["default"]
        for dir in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".theme") { names.insert(String(f.dropLast(6))) }
        }
        return ["default"] + names.subtracting(["default"]).sorted()
    }

    /// Loads the theme `name` (a name looked up in the directories, or a path ending in `.theme`).
    /// A missing file gives the built-in default theme plus a diagnostic; bad lines are reported by
    /// file and line and fall back to the default colours. Never throws.
    public func load(_ name: String) -> (theme: Theme, diagnostics: [ThemeDiagnostic]) {
        let candidates: [String] =
            name.hasSuffix(".theme") ? [name] : directories.map { $0 + "/" + name + ".theme" }
        for path in candidates where FileManager.default.isReadableFile(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return ThemeParser.parse(text, name: base, file: path)
        }
        if name == "default" { return (.standard, []) }
        return (.standard, [ThemeDiagnostic(file: name, line: 0, message: "theme not found; using default")])
    }
}
