// The UI branch's entry point: the dashboard on in-memory demo data, and `indextop snapshot`.
// The lead's main.swift replaces this on merge and wires the SQLite backend.
import Dashboard
import Foundation

func usage() -> Never {
    FileHandle.standardError.write(
        Data(
            ("usage: indextop [--db PATH] [--theme NAME] [--refresh SEC] [--ascii] [--no-color] [--themes-dir DIR]\n"
                + "       indextop snapshot [--width W --height H --view N --index SLUG]\n").utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
var options = DashboardOptions()
var snapshotMode = false
var width = 120
var height = 40
var view = 1
var indexSlug: String?
@MainActor func value(_ i: inout Int) -> String {
    i += 1
    guard i < args.count else { usage() }
    return args[i]
}
var i = 0
while i < args.count {
    switch args[i] {
    case "snapshot": snapshotMode = true
    case "--db": _ = value(&i)
    case "--theme": options.theme = value(&i)
    case "--themes-dir": options.themesDir = value(&i)
    case "--refresh":
        guard let r = Double(value(&i)), r > 0 else { usage() }
        options.refresh = r
    case "--ascii": options.ascii = true
    case "--no-color": options.noColor = true
    case "--width": width = Int(value(&i)) ?? { usage() }()
    case "--height": height = Int(value(&i)) ?? { usage() }()
    case "--view": view = Int(value(&i)) ?? { usage() }()
    case "--index": indexSlug = value(&i)
    case "-h", "--help": usage()
    default: usage()
    }
    i += 1
}

let backend =
    snapshotMode ? DemoBackend() : DemoBackend(start: Int64(Date().timeIntervalSince1970), tickSeconds: 1)
if snapshotMode {
    do {
        print(
            try SnapshotCommand.render(
                backend: backend, width: width, height: height, view: view, indexSlug: indexSlug, ascii: options.ascii))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("indextop: \(error)\n".utf8))
        exit(1)
    }
}
exit(DashboardApp.run(backend: backend, options: options))
