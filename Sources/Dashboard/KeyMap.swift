import TerminalUI

/// The named commands keys can be bound to; the config file rebinds them as `key.<name> = <key>[, <key>...]`.
public enum KeyCommand: String, Sendable, CaseIterable {
    case up, down, page_up, page_down, top, bottom
    case next_pane, prev_pane, left, right
    case view1, view2, view3, view4, view5, view6
    case open, back, sort, sort_reverse, filter, rebalance, pause
    case interval_up, interval_down, theme, privacy, help, quit, all_signals, alerts

    /// What the command does, for the help overlay.
    public var help: String {
        switch self {
        case .up: return "move up"
        case .down: return "move down"
        case .page_up: return "page up"
        case .page_down: return "page down"
        case .top: return "first row"
        case .bottom: return "last row"
        case .next_pane: return "switch pane"
        case .prev_pane: return "switch pane back"
        case .left: return "index list"
        case .right: return "main pane"
        case .view1, .view2, .view3, .view4, .view5, .view6:
            return DashboardView(rawValue: Int(String(rawValue.last!))!)!.title
        case .open: return "open / drill into trades"
        case .back: return "back / clear filter"
        case .sort: return "next sort column"
        case .sort_reverse: return "reverse sort"
        case .filter: return "filter rows"
        case .rebalance: return "rebalance preview"
        case .pause: return "pause live updates"
        case .interval_up: return "refresh slower"
        case .interval_down: return "refresh faster"
        case .theme: return "next theme"
        case .privacy: return "privacy mode"
        case .help: return "help"
        case .quit: return "quit"
        case .all_signals: return "signals: all / this index"
        case .alerts: return "alerts (a acknowledges)"
        }
    }

    var action: Action {
        switch self {
        case .up: return .moveUp
        case .down: return .moveDown
        case .page_up: return .pageUp
        case .page_down: return .pageDown
        case .top: return .top
        case .bottom: return .bottom
        case .next_pane: return .nextPane
        case .prev_pane: return .previousPane
        case .left: return .paneLeft
        case .right: return .paneRight
        case .view1: return .selectView(.holdings)
        case .view2: return .selectView(.signals)
        case .view3: return .selectView(.rebalances)
        case .view4: return .selectView(.performance)
        case .view5: return .selectView(.keys)
        case .view6: return .selectView(.exposure)
        case .open: return .open
        case .back: return .back
        case .sort: return .nextSort
        case .sort_reverse: return .reverseSort
        case .filter: return .startFilter
        case .rebalance: return .rebalance
        case .pause: return .togglePause
        case .interval_up: return .slower
        case .interval_down: return .faster
        case .theme: return .nextTheme
        case .privacy: return .togglePrivacy
        case .help: return .toggleHelp
        case .quit: return .quit
        case .all_signals: return .toggleAllSignals
        case .alerts: return .alerts(.toggle)
        }
    }
}

/// Maps keys to commands: the defaults of DESIGN §10, overridden by the config file.
public struct KeyMap: Sendable, Equatable {
    /// Keys bound to each command, in display order.
    public private(set) var keys: [KeyCommand: [Key]]

    /// The default bindings.
    public static let defaults = KeyMap(keys: [
        .up: [.up, .char("k")], .down: [.down, .char("j")], .page_up: [.pageUp], .page_down: [.pageDown],
        .top: [.char("g"), .home], .bottom: [.char("G"), .end], .next_pane: [.tab], .prev_pane: [.backTab],
        .left: [.left, .char("h")], .right: [.right, .char("l")],
        .view1: [.char("1")], .view2: [.char("2")], .view3: [.char("3")], .view4: [.char("4")],
        .view5: [.char("5")], .view6: [.char("6")],
        .open: [.enter], .back: [.escape], .sort: [.char("s")], .sort_reverse: [.char("S")], .filter: [.char("/")],
        .rebalance: [.char("r")], .pause: [.char("p")], .interval_up: [.char("+"), .char("=")],
        .interval_down: [.char("-")], .theme: [.char("t")], .privacy: [.char("x")], .help: [.char("?"), .function(1)],
        .quit: [.char("q"), .function(10)], .all_signals: [.char("a")],
        .alerts: [.char("!")],
    ])

    init(keys: [KeyCommand: [Key]]) {
        self.keys = keys
    }

    /// The defaults with the config's `key.<command> = <key>[, <key>...]` lines applied: a command
    /// set in the config gets exactly the keys listed, and those keys are taken from any other command
    /// (the user's binding overrides a default). Returns the map and a message per bad line.
    public static func from(config: DashboardConfig) -> (KeyMap, [String]) {
        var map = KeyMap.defaults
        var problems: [String] = []
        for (name, entry) in config.entries where name.hasPrefix("key.") {
            let commandName = String(name.dropFirst(4))
            guard let command = KeyCommand(rawValue: commandName) else {
                problems.append("\(config.path):\(entry.line): unknown key command '\(commandName)'")
                continue
            }
            let parsed = entry.value.split(separator: ",").map { String($0).trimmingCharacters() }
            var newKeys: [Key] = []
            for text in parsed where !text.isEmpty {
                if let key = Key(name: text) {
                    newKeys.append(key)
                } else {
                    problems.append("\(config.path):\(entry.line): unknown key name '\(text)'")
                }
            }
            guard !newKeys.isEmpty else { continue }
            for other in KeyCommand.allCases { map.keys[other]?.removeAll { newKeys.contains($0) } }
            map.keys[command] = newKeys
        }
        return (map, problems)
    }

    /// The command bound to `key`, if any.
    public func command(for key: Key) -> KeyCommand? {
        KeyCommand.allCases.first { keys[$0]?.contains(key) ?? false }
    }

    /// The action a key press means in the current state: the filter prompt takes text, the rebalance
    /// modal takes `y`/`n`/`Esc`, the help overlay closes on any key, otherwise the bindings apply.
    public func action(for key: Key, state: UIState) -> Action? {
        switch key {
        case .click(let x, let y):
            if state.alertsOverlay != nil { return .alerts(.toggle) }
            return state.showHelp ? .toggleHelp : .click(x: x, y: y)
        case .wheelUp: return .scrollUp
        case .wheelDown: return .scrollDown
        case .resize, .unknown: return nil
        default: break
        }
        if state.modal != nil {
            switch key {
            case .char("y"), .char("Y"): return .confirm
            case .char("n"), .char("N"), .escape, .char("q"): return .cancel
            default: return nil
            }
        }
        if state.filterEditing {
            switch key {
            case .enter: return .filterCommit
            case .escape: return .filterCancel
            case .backspace, .delete: return .filterBackspace
            case .char(let c): return .filterInput(c)
            default: return command(for: key)?.action
            }
        }
        if state.showHelp {
            return command(for: key) == .quit ? .quit : .toggleHelp
        }
        if state.alertsOverlay != nil { return alertsOverlayAction(for: key, keyMap: self) }
        return command(for: key)?.action
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
