import Foundation

/// What long operations tell the user on stderr (DESIGN §8): notes (a rate-limit wait, an asset
/// not returned) always; a progress line (done/total, rate, time left) only when stderr is a
/// terminal, redrawn in place and cleared before each note.
public final class ProgressReporter: Sendable {
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    /// Whether the progress line is drawn.
    public let showsProgress: Bool
    private struct State {
        var start: Double?
        var line: String?
        var lastDraw = -Double.infinity
    }
    private let state = Locked(State())

    /// - Parameters:
    ///   - showsProgress: draw the progress line (default: stderr is a terminal).
    ///   - write: where text goes (default stderr, unbuffered).
    ///   - clock: seconds, for the rate and the time left.
    public init(
        showsProgress: Bool = isatty(STDERR_FILENO) != 0,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.showsProgress = showsProgress
        self.write = write
        self.clock = clock
    }

    /// Prints one line (clearing the progress line first, redrawing it after).
    public func note(_ text: String) {
        let line = state.withLock { s -> String? in s.line }
        if showsProgress, line != nil { write("\r\u{1B}[K") }
        write(text + "\n")
        if showsProgress, let line { write(line) }
    }

    /// Reports `done` of `total` items (`unit`: "assets", "windows"); drawn at most 5 times a second.
    public func progress(_ label: String, done: Int, total: Int, unit: String) {
        guard showsProgress, total > 0 else { return }
        let now = clock()
        let text = state.withLock { s -> String? in
            if s.start == nil { s.start = now }
            guard done >= total || now - s.lastDraw >= 0.2 else { return nil }
            s.lastDraw = now
            let line = "\r\u{1B}[K" + Self.line(label, done: done, total: total, unit: unit, elapsed: now - s.start!)
            s.line = line
            return line
        }
        if let text { write(text) }
    }

    /// Ends the progress line (a newline when one was drawn).
    public func finish() {
        let had = state.withLock { s -> Bool in
            defer {
                s.line = nil
                s.start = nil
            }
            return s.line != nil
        }
        if showsProgress, had { write("\n") }
    }

    /// `coingecko history: 7/20 assets, 0.50/s, about 26 s left`.
    public static func line(_ label: String, done: Int, total: Int, unit: String, elapsed: Double) -> String {
        var text = "\(label): \(done)/\(total) \(unit)"
        guard done > 0, elapsed > 0 else { return text }
        let rate = Double(done) / elapsed
        text += String(format: ", %.2f/s", rate)
        if done < total {
            let left = Double(total - done) / rate
            text +=
                left >= 90 ? ", about \(Int((left / 60).rounded())) min left" : ", about \(Int(left.rounded())) s left"
        }
        return text
    }
}
