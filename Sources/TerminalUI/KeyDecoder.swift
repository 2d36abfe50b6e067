import CNcurses

/// Turns what ncurses' `wget_wch` returns into a `Key`.
public enum KeyDecoder {
    /// Decodes a plain character (`wget_wch` returned `OK`): control characters become
    /// Enter, Tab, Escape and Backspace, the other Ctrl-letters `.ctrl`; other code points become `.char`.
    public static func decode(character value: UInt32) -> Key {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(96 + value))))
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown(Int32(bitPattern: value)) }
            return .char(Character(scalar))
        }
    }

    /// ncurses' button bits for the events the dashboard asks for (`mousemask`): left click, press and
    /// release, wheel up and down.
    public static let mouseButtons = (
        click: UInt(cn_mask_button1_clicked()), press: UInt(cn_mask_button1_pressed()),
        release: UInt(cn_mask_button1_released()), wheelUp: UInt(cn_mask_button4_pressed()),
        wheelDown: UInt(cn_mask_button5_pressed())
    )

    /// Decodes a mouse event (`getmouse`'s button state and zero-based cell): wheel up or down, a left
    /// click (pressed or clicked), or nil for what the dashboard ignores (a release, other buttons).
    public static func decode(mouseButtons state: UInt, x: Int, y: Int) -> Key? {
        let bits = mmask_t(truncatingIfNeeded: state)
        if cn_mouse_is_wheel_up(bits) != 0 { return .wheelUp(x: x, y: y) }
        if cn_mouse_is_wheel_down(bits) != 0 { return .wheelDown(x: x, y: y) }
        if cn_mouse_is_click(bits) != 0 { return .click(x: x, y: y) }
        return nil
    }

    /// Decodes a key code (`wget_wch` returned `KEY_CODE_YES`); mouse events go through `decode(mouseButtons:x:y:)`.
    public static func decode(keyCode code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE: return .resize
        default:
            for n in 1...24 where cn_key_f(Int32(n)) == code { return .function(n) }
            return .unknown(code)
        }
    }
}
