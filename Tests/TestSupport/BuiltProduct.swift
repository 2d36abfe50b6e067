import Foundation

/// Finds the executables SwiftPM built in the same run as the tests: they sit in the build system's
/// product folder, next to the test bundle (`swift build --show-bin-path`), whatever the build folder
/// (`--scratch-path`) or configuration (`-c release`).
public enum BuiltProduct {
    /// The path of the executable `name` beside the running test bundle.
    /// - Precondition: it was built (`swift build --build-tests` builds every product).
    public static func path(_ name: String) -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        // The runner is `<bin>/<package>PackageTests.xctest` (a file) or inside a bundle folder.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        preconditionFailure("\(name) is not built next to the tests (\(bundle.path)): run swift build --build-tests")
    }
}
