import Foundation
import TerminalUI

/// A correction of a tracked index's holding, as the edit modal sends it to the store: recorded there
/// as an adjustment trade with its reason (DESIGN §3), never a silent overwrite.
public struct HoldingAdjustment: Sendable, Equatable {
    public var slug: String
    public var symbol: String
    /// Quantity held from now on (≥ 0).
    public var quantity: Double
    /// Total cost basis from now on (≥ 0, base currency).
    public var costBasis: Double
    public var reason: String

    public init(slug: String, symbol: String, quantity: Double, costBasis: Double, reason: String) {
        self.slug = slug
        self.symbol = symbol
        self.quantity = quantity
        self.costBasis = costBasis
        self.reason = reason
    }
}

/// A backend that cannot record adjustments (the demo) says so.
public struct EditRefused: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the user does in the edit modal, and what the store answered.
public enum EditAction: Sendable, Equatable {
    case input(Character), backspace, nextField, previousField, commit, cancel
    /// The adjustment was recorded (footer message) or refused (shown in the modal).
    case saved(String), failed(String)
}

/// The `e` modal on a holding of a tracked index: quantity, cost basis and a reason, edited as text.
public struct EditHoldingModal: Sendable, Equatable {
    public static let labels = ["quantity", "cost basis", "reason"]

    public var slug: String
    public var symbol: String
    /// The text of each field, in `labels` order.
    public var fields: [String]
    /// The field being typed into.
    public var focus = 0
    public var error: String?
    /// True while the store records it.
    public var saving = false

    public init(slug: String, symbol: String, quantity: Double, costBasis: Double) {
        self.slug = slug
        self.symbol = symbol
        fields = [Self.plain(quantity), Self.plain(costBasis), ""]
    }

    /// A number as the user would type it (no grouping, up to 10 significant digits).
    static func plain(_ v: Double) -> String {
        var s = String(format: "%.10g", v)
        if s.contains("e") { s = String(format: "%.8f", v) }
        return s
    }

    /// The keys of the modal while it is open (everything else is ignored).
    public static func action(for key: Key) -> Action? {
        switch key {
        case .escape: return .edit(.cancel)
        case .enter: return .edit(.commit)
        case .tab, .down: return .edit(.nextField)
        case .backTab, .up: return .edit(.previousField)
        case .backspace, .delete: return .edit(.backspace)
        case .char(let c): return .edit(.input(c))
        default: return nil
        }
    }

    /// `e`: opens the modal on the selected holding of a tracked index; a model index refuses with a message.
    static func open(_ state: inout UIState, _ snapshot: DashboardSnapshot) -> [Effect] {
        guard let index = ViewData.selectedIndex(snapshot, state) else {
            state.message = "no index"
            return []
        }
        guard index.tracked else {
            state.message =
                "\(index.name) is a model index: its holdings come from the planner (only a tracked index's holdings can be edited)"
            return []
        }
        let rows = ViewData.holdings(index, state)
        guard state.view == .holdings, state.row < rows.count else {
            state.message = "select a holding in the Holdings view (1) to edit it"
            return []
        }
        let h = rows[state.row]
        state.edit = EditHoldingModal(
            slug: index.slug, symbol: h.symbol, quantity: h.quantity, costBasis: h.value - (h.pnl ?? h.value))
        return []
    }

    /// The modal's reducer: typing, moving between fields, validating and asking the store to record it.
    static func reduce(_ state: inout UIState, _ action: EditAction) -> [Effect] {
        if case .saved(let message) = action {
            state.edit = nil
            state.message = message
            return [.reload]
        }
        if case .cancel = action {
            state.edit = nil
            state.message = "edit cancelled"
            return []
        }
        guard var m = state.edit else { return [] }
        defer { state.edit = m }
        switch action {
        case .input(let c):
            guard !m.saving else { return [] }
            if m.focus < 2, !(c.isNumber || c == ".") { return [] }
            m.fields[m.focus].append(c)
            m.error = nil
        case .backspace:
            if !m.fields[m.focus].isEmpty { m.fields[m.focus].removeLast() }
        case .nextField: m.focus = (m.focus + 1) % 3
        case .previousField: m.focus = (m.focus + 2) % 3
        case .commit:
            guard !m.saving else { return [] }
            guard let q = Double(m.fields[0]), q.isFinite, q >= 0 else {
                m.error = "quantity must be a number ≥ 0"
                m.focus = 0
                return []
            }
            guard let b = Double(m.fields[1]), b.isFinite, b >= 0 else {
                m.error = "cost basis must be a number ≥ 0"
                m.focus = 1
                return []
            }
            let reason = m.fields[2].trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else {
                m.error = "a reason is needed (it is recorded with the adjustment)"
                m.focus = 2
                return []
            }
            m.saving = true
            m.error = nil
            return [
                .adjustHolding(
                    HoldingAdjustment(slug: m.slug, symbol: m.symbol, quantity: q, costBasis: b, reason: reason))
            ]
        case .failed(let message):
            m.saving = false
            m.error = message
        case .saved, .cancel:
            break
        }
        return []
    }

    /// Draws the modal over the frame.
    func draw(_ buffer: inout ScreenBuffer, glyphs: BoxGlyphs) {
        let rect = ModalBox.frame(width: 60, height: 10, screenWidth: buffer.width, screenHeight: buffer.height - 1)
        let inner = ModalBox.draw(into: &buffer, rect: rect, title: "edit \(symbol) in \(slug)", glyphs: glyphs)
        buffer.put(
            "recorded as an adjustment trade with its reason", x: inner.x, y: inner.y, style: CellStyle(.inactive),
            maxWidth: inner.width)
        for (i, label) in Self.labels.enumerated() {
            let y = inner.y + 2 + i
            let focused = i == focus
            buffer.put(label, x: inner.x, y: y, style: CellStyle(focused ? .hi : .main, bold: focused))
            let field = fields[i] + (focused ? "_" : "")
            buffer.put(
                field, x: inner.x + 12, y: y, style: CellStyle(focused ? .selected : .main),
                maxWidth: inner.width - 12)
        }
        if let error {
            buffer.put(error, x: inner.x, y: inner.y + 6, style: CellStyle(.alert, bold: true), maxWidth: inner.width)
        } else if saving {
            buffer.put("saving…", x: inner.x, y: inner.y + 6, style: CellStyle(.warning))
        }
        buffer.put(
            "Enter save   Tab next field   Esc cancel", x: inner.x, y: inner.y + inner.height - 1,
            style: CellStyle(.hi, bold: true), maxWidth: inner.width)
    }
}
