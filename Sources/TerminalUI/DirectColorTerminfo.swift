import Foundation

/// A direct-colour variant of the user's terminfo entry, for terminals that announce 24-bit colour with
/// `COLORTERM=truecolor|24bit` while `TERM` names a 256-colour entry (`xterm-256color`, `tmux-256color`):
/// ncurses only sends RGB colours through a terminfo whose `COLORS` is 2^24. The variant is `TERM`'s
/// entry with `colors`, `pairs`, `RGB`, `setaf` and `setab` of `xterm-direct`, compiled once with `tic`
/// into `$XDG_CACHE_HOME/indextop/terminfo` (else `~/.cache/...`).
enum DirectColorTerminfo {
    /// True when the environment asks for truecolor but `TERM` is not a direct-colour entry.
    static func wanted(_ environment: [String: String]) -> Bool {
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        guard colorterm == "truecolor" || colorterm == "24bit" else { return false }
        let term = environment["TERM"] ?? ""
        return !term.isEmpty && !term.hasSuffix("-direct") && !term.contains("direct")
    }

    /// The variant's entry name for `term`.
    static func name(for term: String) -> String {
        "indextop-direct-" + String(term.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }

    /// The terminfo source of the variant.
    static func source(term: String) -> String {
        // xterm-direct's colour strings: 0–7 are the ANSI colours, every other number is 0xRRGGBB.
        let setaf = #"\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m"#
        let setab = #"\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m"#
        return """
            \(name(for: term))|\(term) with direct colour (indextop),
            \tcolors#16777216, pairs#65536, RGB,
            \tsetaf=\(setaf),
            \tsetab=\(setab),
            \tinitc@, ccc@, oc@,
            \tuse=\(term),

            """
    }

    /// The directory holding the compiled variant for the environment's `TERM` (compiled now when
    /// missing); nil when it cannot be made (no `tic`, an unknown `TERM`): the terminal then keeps 256 colours.
    static func directory(_ environment: [String: String]) -> String? {
        guard let term = environment["TERM"] else { return nil }
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = home + "/.cache"
        } else {
            return nil
        }
        let dir = base + "/indextop/terminfo"
        let entry = name(for: term)
        let fm = FileManager.default
        let compiled = [dir + "/i/" + entry, dir + "/69/" + entry]
        if compiled.contains(where: { fm.fileExists(atPath: $0) }) { return dir }
        guard let tic = ["/usr/bin/tic", "/bin/tic", "/usr/local/bin/tic"].first(where: fm.isExecutableFile)
        else { return nil }
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let src = dir + "/\(entry).src"
            try source(term: term).write(toFile: src, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: tic)
            p.arguments = ["-x", "-o", dir, src]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            let done = DispatchSemaphore(value: 0)
            p.terminationHandler = { _ in done.signal() }
            try p.run()
            guard done.wait(timeout: .now() + 5) == .success, p.terminationStatus == 0 else { return nil }
        } catch {
            return nil
        }
        return compiled.contains(where: { fm.fileExists(atPath: $0) }) ? dir : nil
    }
}
