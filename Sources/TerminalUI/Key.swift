/// A decoded key press or terminal event.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// Function key F1...F24.
    case function(Int)
    /// A control character typed with Ctrl (`ctrl("r")` for Ctrl-R); not Ctrl-H/I/J/M (Backspace, Tab, Enter).
    case ctrl(Character)
    /// Left click at a zero-based column and row.
    case click(x: Int, y: Int)
    case wheelUp(x: Int, y: Int)
    case wheelDown(x: Int, y: Int)
    /// The terminal changed size; the new size is read from the terminal.
    case resize
    /// A key code the decoder does not know (the raw ncurses code).
    case unknown(Int32)

    /// Parses a key name as written in the config file: a single character (`R`, `?`), or one of
    /// `up down left right pgup pgdn home end enter esc tab btab backspace delete space f1`...`f24`, or
    /// `ctrl-r` (also `c-r`, `^r`).
    /// Returns nil for a name it does not know.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "btab", "backtab", "shift-tab": self = .backTab
        case "backspace", "bs": self = .backspace
        case "delete", "del": self = .delete
        case "space": self = .char(" ")
        default:
            for prefix in ["ctrl-", "c-", "^"] where lower.hasPrefix(prefix) && lower.count == prefix.count + 1 {
                self = .ctrl(lower.last!)
                return
            }
            if name.count == 1, let ch = name.first {
                self = .char(ch)
            } else if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) {
                self = .function(n)
            } else {
                return nil
            }
        }
    }

    /// A short label for help screens and footers (`↑`, `PgUp`, `F1`, `q`).
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "BS"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .click: return "click"
        case .wheelUp: return "wheel↑"
        case .wheelDown: return "wheel↓"
        case .resize: return "resize"
        case .unknown(let c): return "#\(c)"
        }
    }
}
