import Foundation

// Minimal dispatcher for the vault branch; the lead's main.swift replaces it on merge.
var arguments = Array(CommandLine.arguments.dropFirst())
var env = ProcessInfo.processInfo.environment["INDEXTOP_ENV"] ?? "dev"
var rest: [String] = []
var index = 0
while index < arguments.count {
    let word = arguments[index]
    if (word == "--env" || word == "--db") && index + 1 < arguments.count {
        if word == "--env" { env = arguments[index + 1] }
        index += 2
        continue
    }
    if word.hasPrefix("--env=") { env = String(word.dropFirst(6)) }
    if !word.hasPrefix("--env=") && !word.hasPrefix("--db=") { rest.append(word) }
    index += 1
}
guard let command = rest.first, ["keys", "audit", "scan"].contains(command) else {
    FileHandle.standardError.write(Data("usage: indextop keys|audit|scan ...\n".utf8))
    exit(2)
}
exit(VaultCommands.run(command: command, args: Array(rest.dropFirst()), env: env))
