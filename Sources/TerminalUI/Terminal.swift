import CNcurses
import Foundation

/// An error setting up the terminal.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Owns the ncurses session: set up in `init`, restored by `restore()` (idempotent, also on `deinit`).
/// Only this type and `Painter` call ncurses.
@MainActor
public final class Terminal {
    /// True when box drawing and charts must use ASCII (the `--ascii` flag or a locale that is not UTF-8).
    public let ascii: Bool
    /// True when the locale encodes UTF-8 (block elements can be drawn even with `--ascii`).
    public let localeIsUTF8: Bool
    /// The colour depth in use.
    public private(set) var depth: ColorDepth
    private let noColor: Bool
    private let environment: [String: String]
    private var active = false
    private let painter = Painter()

    /// Starts ncurses: locale, `initscr`, `cbreak`, `noecho`, `keypad`, non-blocking reads, hidden cursor,
    /// default colours, mouse clicks and wheel. Throws when stdin or stdout is not a terminal.
    public init(ascii: Bool, noColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws
    {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("indextop: the dashboard needs a terminal (stdin and stdout must be a tty)")
        }
        setlocale(LC_ALL, "")
        localeIsUTF8 = cn_locale_is_utf8() != 0
        self.ascii = ascii || !localeIsUTF8
        self.noColor = noColor
        self.environment = environment
        self.depth = .monochrome
        set_escdelay(25)
        // COLORTERM=truecolor on a 256-colour TERM: start on the direct-colour variant of its entry (only
        // for this process: TERMINFO is restored at once, so commands we run see the user's own).
        var started = false
        if !noColor, (environment["NO_COLOR"] ?? "").isEmpty, DirectColorTerminfo.wanted(environment),
            let dir = DirectColorTerminfo.directory(environment), let term = environment["TERM"]
        {
            let saved = getenv("TERMINFO").map { String(cString: $0) }
            setenv("TERMINFO", dir, 1)
            started = newterm(DirectColorTerminfo.name(for: term), cn_stdout(), cn_stdin()) != nil
            if let saved { setenv("TERMINFO", saved, 1) } else { unsetenv("TERMINFO") }
        }
        if !started {
            guard initscr() != nil else { throw TerminalError("indextop: cannot initialise the terminal") }
        }
        active = true
        cbreak()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        nodelay(cn_stdscr(), true)
        curs_set(0)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        mousemask(cn_mouse_mask(), nil)
        mouseinterval(0)
        depth = ColorDepth.detect(environment: environment, colors: Int(cn_colors()), noColor: noColor)
    }

    /// The terminal size in columns and rows.
    public var size: (width: Int, height: Int) { (Int(cn_cols()), Int(cn_lines())) }

    /// Sets up the colour pairs of every role from `theme`, degraded to the terminal's depth.
    public func apply(theme: Theme) {
        guard active else { return }
        let direct = cn_colors() >= 0x100_0000
        let canColor = has_colors() && depth != .monochrome
        var mono: Set<Role> = []
        for role in Role.allCases {
            for background in [nil] + CellStyle.borrowableBackgrounds {
                let (fg, bg) = ColorDegradation.pair(
                    fg: theme.foreground(role), bg: theme.background(background ?? role), depth: depth,
                    directColor: direct, selection: (background ?? role) == .selected)
                if canColor {
                    init_extended_pair(Painter.pairNumber(role: role, background: background), Int32(fg), Int32(bg))
                }
                if background == nil && (!canColor || (fg == -1 && bg == -1)) { mono.insert(role) }
            }
        }
        painter.colorPairs = canColor
        painter.attributeOnlyRoles = mono
        painter.invalidate()
    }

    /// Reads every pending key without blocking (ncurses may hold bytes the kernel no longer has).
    public func readKeys() -> [Key] {
        guard active else { return [] }
        var keys: [Key] = []
        var ch: wint_t = 0
        while true {
            let rc = wget_wch(cn_stdscr(), &ch)
            if rc == ERR { break }
            if rc == KEY_CODE_YES {
                if Int32(ch) == KEY_MOUSE {
                    var event = MEVENT()
                    if getmouse(&event) == OK,
                        let key = KeyDecoder.decode(mouseButtons: UInt(event.bstate), x: Int(event.x), y: Int(event.y))
                    {
                        keys.append(key)
                    }
                } else {
                    let key = KeyDecoder.decode(keyCode: Int32(ch))
                    if key == .resize { painter.invalidate() }
                    keys.append(key)
                }
            } else {
                keys.append(KeyDecoder.decode(character: UInt32(ch)))
            }
        }
        return keys
    }

    /// True when the terminal is gone: stdin hung up (its window closed, its tmux session killed) or is
    /// no longer a tty. The app then exits instead of running on, invisible, with its feed.
    public func inputClosed() -> Bool {
        var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let rc = poll(&fds, 1, 0)
        if rc < 0 { return errno != EINTR }
        return fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 || isatty(STDIN_FILENO) != 1
    }

    /// Reads the window size from the tty and tells ncurses (needed when a Dispatch SIGWINCH source
    /// took the signal from ncurses' own handler).
    public func handleResize() {
        guard active else { return }
        var rows: Int32 = 0
        var cols: Int32 = 0
        if cn_winsize(STDOUT_FILENO, &rows, &cols) == 0, rows > 0, cols > 0 {
            resizeterm(rows, cols)
        }
        painter.invalidate()
    }

    /// Paints `buffer` (only the cells that changed since the last paint) and updates the screen.
    public func paint(_ buffer: ScreenBuffer) {
        guard active else { return }
        painter.paint(buffer)
    }

    /// Forces the next paint to redraw every cell (after a theme change or a resize).
    public func invalidate() {
        painter.invalidate()
        if active { clearok(cn_stdscr(), true) }
    }

    /// Restores the terminal (`endwin`); safe to call more than once.
    public func restore() {
        guard active else { return }
        active = false
        mousemask(0, nil)
        curs_set(1)
        endwin()
    }

    isolated deinit {
        restore()
    }
}
