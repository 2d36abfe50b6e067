import IndexCore
import TerminalUI

/// What the fills of a tracked index's rebalance cost against the plan (the drill-down shows it).
public struct ExecutionSummary: Sendable, Equatable {
    /// One planned trade: filled quantity, fill VWAP, shortfall in money and basis points.
    public struct Fill: Sendable, Equatable {
        public var symbol: String
        public var side: String
        public var plannedPrice: Double
        public var quantity: Double
        public var price: Double
        public var shortfall: Double
        public var shortfallBp: Double?

        public init(
            symbol: String, side: String, plannedPrice: Double, quantity: Double, price: Double, shortfall: Double,
            shortfallBp: Double?
        ) {
            self.symbol = symbol
            self.side = side
            self.plannedPrice = plannedPrice
            self.quantity = quantity
            self.price = price
            self.shortfall = shortfall
            self.shortfallBp = shortfallBp
        }
    }

    public var shortfall: Double
    public var shortfallBp: Double?
    public var fills: [Fill]

    public init(shortfall: Double, shortfallBp: Double?, fills: [Fill]) {
        self.shortfall = shortfall
        self.shortfallBp = shortfallBp
        self.fills = fills
    }

    /// Lines the drill-down keeps below the trades for the execution: a blank, the total, one per fill.
    var lines: Int { fills.count + 2 }

    /// `12.34 (10.0 bp)`.
    static func text(_ money: String, _ bp: Double?) -> String {
        "\(money) (\(bp.map { Format.fixed($0, 1) + " bp" } ?? "-"))"
    }

    /// Draws the execution at the bottom of `rect`.
    func draw(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
        var y = rect.y + rect.height - lines + 1
        guard y > rect.y else { return }
        buffer.put(
            "executed · implementation shortfall " + Self.text(ctx.amount(Format.money(shortfall)), shortfallBp),
            x: rect.x, y: y, style: CellStyle(.title, bold: true), maxWidth: rect.width)
        for f in fills {
            y += 1
            let text =
                "\(f.side) \(f.symbol): filled \(Format.quantity(f.quantity)) at \(Format.price(f.price)) vs "
                + "\(Format.price(f.plannedPrice)) planned, "
                + Self.text(ctx.amount(Format.money(f.shortfall)), f.shortfallBp)
            buffer.put(
                text, x: rect.x + 1, y: y, style: CellStyle(f.shortfall > 0 ? .loss : .gain), maxWidth: rect.width - 1)
        }
    }
}
