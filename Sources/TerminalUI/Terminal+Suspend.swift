import CNcurses

extension Terminal {
    /// Leaves curses mode while `body` runs (for a prompt on the plain terminal, e.g. a passphrase),
    /// then restores it and repaints. Safe to call when curses is not active.
    nonisolated public static func suspended<T>(_ body: () throws -> T) rethrows -> T {
        let active = !isendwin()
        if active {
            def_prog_mode()
            endwin()
        }
        defer {
            if active {
                reset_prog_mode()
                refresh()
            }
        }
        return try body()
    }
}
