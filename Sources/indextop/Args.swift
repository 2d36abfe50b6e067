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

/// A small argument reader: options are taken out by name, what is left is positional.
struct Args {
    private(set) var words: [String]

    init(_ words: [String]) { self.words = words }

    /// True (and removed) when `--name` is present.
    mutating func flag(_ name: String) -> Bool {
        guard let i = words.firstIndex(of: name) else { return false }
        words.remove(at: i)
        return true
    }

    /// The value of `--name VALUE` or `--name=VALUE`, removed; nil when absent.
    mutating func option(_ name: String) throws -> String? {
        if let i = words.firstIndex(where: { $0.hasPrefix(name + "=") }) {
            let v = String(words[i].dropFirst(name.count + 1))
            words.remove(at: i)
            return v
        }
        guard let i = words.firstIndex(of: name) else { return nil }
        guard i + 1 < words.count else { throw UsageError("\(name) needs a value") }
        let v = words[i + 1]
        words.removeSubrange(i...(i + 1))
        return v
    }

    /// A numeric option.
    mutating func number(_ name: String) throws -> Double? {
        guard let s = try option(name) else { return nil }
        guard let v = Double(s), v.isFinite else { throw UsageError("\(name): '\(s)' is not a number") }
        return v
    }

    /// An integer option.
    mutating func int(_ name: String) throws -> Int? {
        guard let s = try option(name) else { return nil }
        guard let v = Int(s) else { throw UsageError("\(name): '\(s)' is not a whole number") }
        return v
    }

    /// The next positional word (not starting with `--`), removed.
    mutating func positional(_ what: String) throws -> String {
        guard let v = optionalPositional() else { throw UsageError("missing \(what)") }
        return v
    }

    /// The next positional word, or nil.
    mutating func optionalPositional() -> String? {
        guard let i = words.firstIndex(where: { !$0.hasPrefix("--") || $0 == "-" }) else { return nil }
        return words.remove(at: i)
    }

    /// Fails on anything not consumed.
    func finish() throws {
        if let extra = words.first {
            throw UsageError(extra.hasPrefix("-") ? "unknown option \(extra)" : "unexpected argument '\(extra)'")
        }
    }
}
