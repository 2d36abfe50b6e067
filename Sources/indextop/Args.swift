import Foundation

/// Exit codes (DESIGN §12).
enum ExitCode {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// A usage mistake: exit 2 with the message and a hint.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A failure the user can act on: exit 1 with the message.
struct Failure: Error, CustomStringConvertible {
    let message: String
    /// Printed without the `indextop: ` prefix (`FILE:LINE: FIELD: problem`, as editors expect).
    let bare: Bool
    init(_ message: String, bare: Bool = false) {
        self.message = message
        self.bare = bare
    }
    var description: String { message }
}

/// The one argument reader of every command. Options are taken out by name, in any order and
/// anywhere before `--`; what is left is positional. Strict:
/// - a value that looks like an option (`--theme --ascii`, `--db -j`) is refused: write `--theme=VALUE`
///   for a value that starts with `-` (negative numbers such as `-5` are values);
/// - an option or flag given twice is a usage error naming it;
/// - a word starting with `-` is never a positional (`holdings -j` is an unknown option), except
///   `-` itself and negative numbers;
/// - `--` ends the options: every word after it is positional, whatever it looks like.
struct Args {
    /// Words before `--`, in order, not yet consumed.
    private(set) var words: [String]
    /// Words after `--`: positional only.
    private var literal: [String]
    /// A misuse of a flag (repeated, or given a value), reported by the next `option` or `finish`
    /// (`flag` does not throw, so every command's code reads the same).
    private var pending: UsageError?

    init(_ argv: [String]) {
        if let end = argv.firstIndex(of: "--") {
            words = Array(argv[..<end])
            literal = Array(argv[(end + 1)...])
        } else {
            words = argv
            literal = []
        }
    }

    /// True for a word that names an option rather than a value: `-x`, `--name`, but not `-`, `--`
    /// handled at init, or a negative number.
    static func looksLikeOption(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word != "-" else { return false }
        if let first = word.dropFirst().first, first.isNumber || first == "." { return Double(word) == nil }
        return true
    }

    /// Indices of `--name` and `--name=...` among the words.
    private func occurrences(_ name: String) -> [Int] {
        words.indices.filter { words[$0] == name || words[$0].hasPrefix(name + "=") }
    }

    /// True (and removed) when `--name` is present. Given twice, or with `=VALUE`, is a usage error
    /// (thrown by `finish`).
    mutating func flag(_ name: String) -> Bool {
        let found = occurrences(name)
        guard !found.isEmpty else { return false }
        if found.count > 1 {
            pending = pending ?? UsageError("\(name) given \(found.count) times (give it once)")
        } else if words[found[0]] != name {
            pending = pending ?? UsageError("\(name) takes no value")
        }
        for i in found.reversed() { words.remove(at: i) }
        return true
    }

    /// The value of `--name VALUE` or `--name=VALUE`, removed; nil when absent.
    /// - Throws: `UsageError` when the value is missing or looks like an option, or the option is repeated.
    mutating func option(_ name: String) throws -> String? {
        if let pending { throw pending }
        let found = occurrences(name)
        guard let i = found.first else { return nil }
        guard found.count == 1 else { throw UsageError("\(name) given \(found.count) times (give it once)") }
        if words[i] != name {
            let value = String(words[i].dropFirst(name.count + 1))
            words.remove(at: i)
            return value
        }
        guard i + 1 < words.count else { throw UsageError("\(name) needs a value") }
        let value = words[i + 1]
        if Self.looksLikeOption(value) {
            throw UsageError("\(name) needs a value, not the option \(Args.quoted(value)) (write \(name)=VALUE)")
        }
        words.removeSubrange(i...(i + 1))
        return value
    }

    /// A numeric option: a finite decimal number.
    mutating func number(_ name: String) throws -> Double? {
        guard let s = try option(name) else { return nil }
        guard let v = Double(s), v.isFinite, !s.lowercased().contains("x") else {
            throw UsageError("\(name): \(Args.quoted(s)) is not a number")
        }
        return v
    }

    /// An integer option.
    mutating func int(_ name: String) throws -> Int? {
        guard let s = try option(name) else { return nil }
        guard let v = Int(s) else { throw UsageError("\(name): \(Args.quoted(s)) is not a whole number") }
        return v
    }

    /// The next positional word, removed; `what` names it in the usage error when it is missing.
    mutating func positional(_ what: String) throws -> String {
        guard let v = optionalPositional() else { throw UsageError("missing \(what)") }
        return v
    }

    /// The next positional word (a word that does not look like an option, or any word after `--`), or nil.
    mutating func optionalPositional() -> String? {
        if let i = words.firstIndex(where: { !Self.looksLikeOption($0) }) { return words.remove(at: i) }
        return literal.isEmpty ? nil : literal.removeFirst()
    }

    /// The command word: the first word when it is not an option (before `--`), removed; nil otherwise.
    mutating func command() -> String? {
        guard let first = words.first, !Self.looksLikeOption(first) else { return nil }
        return words.removeFirst()
    }

    /// Every word not consumed yet (options and positionals, those after `--` too), in order.
    var unconsumed: [String] { words + literal }

    /// What is left, `--` included when words follow it (for commands that parse their own words).
    var remaining: [String] { literal.isEmpty ? words : words + ["--"] + literal }

    /// Fails on anything not consumed: an unknown option first, then an unexpected argument.
    func finish() throws {
        if let pending { throw pending }
        if let option = words.first(where: Self.looksLikeOption) {
            let name = option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option
            throw UsageError("unknown option \(Args.quoted(name, limit: 40))")
        }
        if let extra = words.first ?? literal.first {
            throw UsageError("unexpected argument \(Args.quoted(extra))")
        }
    }

    /// `value` quoted for a usage error: at most `limit` characters, and not at all when longer than
    /// 64 (a stray argument may be a secret pasted in the wrong place).
    static func quoted(_ value: String, limit: Int = 40) -> String {
        if value.count > 64 { return "(\(value.count) characters, not shown)" }
        return "'" + (value.count > limit ? value.prefix(limit) + "…" : value) + "'"
    }
}
