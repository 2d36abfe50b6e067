import IndexCore
import TerminalUI

func drawKeys(_ buffer: inout ScreenBuffer, _ ctx: RenderContext, rect: Rect) {
    guard let keys = ctx.snapshot.keys else {
        buffer.put("no vault", x: rect.x, y: rect.y, style: CellStyle(.inactive, bold: true))
        buffer.put(
            "create one with `indextop keys add` (secrets never leave the vault)", x: rect.x, y: rect.y + 1,
            style: CellStyle(.inactive), maxWidth: rect.width)
        return
    }
    let columns = [
        TableColumn("Id", width: 20), TableColumn("Provider", width: 10), TableColumn("Env", width: 4, hidePriority: 3),
        TableColumn("Scope", width: 5, hidePriority: 1), TableColumn("State", width: 10),
        TableColumn("Expires", width: 11), TableColumn("Last use", width: 11, hidePriority: 2),
        TableColumn("Key", width: 8, hidePriority: 4),
    ]
    let cells: [[TableCell]] = ViewData.keys(ctx.snapshot, ctx.state).map { k in
        let expiring = k.expires.map { $0 - ctx.state.now < 7 * 86_400 } ?? false
        let stateRole: Role = k.state == "active" ? .gain : (k.state == "revoked" ? .alert : .warning)
        return [
            TableCell(k.id), TableCell(k.provider), TableCell(k.env), TableCell(k.scope),
            TableCell(k.state, style: CellStyle(stateRole, bold: true)),
            TableCell(
                k.expires.map { Format.shortDateTime($0, now: ctx.state.now) } ?? "never",
                style: CellStyle(expiring ? .warning : .main)),
            TableCell(
                k.lastUsed.map { Format.shortDateTime($0, now: ctx.state.now) } ?? "-", style: CellStyle(.inactive)),
            TableCell(k.masked, style: CellStyle(.inactive)),
        ]
    }
    let tableHeight = min(rect.height / 2, keys.count + 1)
    if keys.isEmpty {
        buffer.put("vault is empty", x: rect.x, y: rect.y, style: CellStyle(.inactive))
    } else {
        let sort = Sorting.current(ctx.state)
        Table(
            columns: columns, rows: cells, selected: ctx.state.row, sortColumn: sort?.column.column,
            sortDescending: sort?.descending ?? false
        )
        .draw(
            into: &buffer, rect: Rect(x: rect.x, y: rect.y, width: rect.width, height: tableHeight),
            glyphs: ctx.glyphs)
    }
    var y = rect.y + max(1, tableHeight) + 1
    let chain = ctx.snapshot.chainStatus ?? "unknown"
    buffer.drawRule(x: rect.x, y: y, width: rect.width, glyphs: ctx.glyphs)
    buffer.put(
        " audit · chain \(chain) ", x: rect.x + 2, y: y, style: CellStyle(chain == "ok" ? .gain : .alert, bold: true))
    y += 1
    for entry in ctx.snapshot.audit {
        guard y < rect.y + rect.height else { break }
        let text =
            "\(Format.dateTime(entry.time))  \(entry.actor)  \(entry.action)  \(entry.keyId ?? "-")  \(entry.result)"
        buffer.put(
            text, x: rect.x, y: y, style: CellStyle(entry.result == "ok" ? .main : .warning), maxWidth: rect.width)
        y += 1
    }
}
