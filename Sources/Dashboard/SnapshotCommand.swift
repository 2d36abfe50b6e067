import TerminalUI

/// `indextop snapshot [--width W --height H --view N --index SLUG]`: the frame the dashboard would draw, as text.
public enum SnapshotCommand {
    /// Renders one frame from `backend` at `width` × `height` (defaults 120×40), on view `view` (1–6) and the
    /// index `indexSlug` (else the first), at time `now` (default: the snapshot's time). Throws what
    /// `loadSnapshot` throws, or a `DemoError` naming an unknown view or index.
    public static func render(
        backend: any DashboardBackend, width: Int = 120, height: Int = 40, view: Int = 1, indexSlug: String? = nil,
        ascii: Bool = false, now: Int64? = nil
    ) throws -> String {
        let snapshot = try backend.loadSnapshot()
        var state = UIState()
        guard let v = DashboardView(rawValue: view) else { throw DemoError(message: "--view must be 1-6, got \(view)") }
        state.view = v
        state.ascii = ascii
        state.width = width
        state.height = height
        state.now = now ?? snapshot.time
        if let indexSlug {
            guard let i = snapshot.indices.firstIndex(where: { $0.slug == indexSlug }) else {
                throw DemoError(message: "no index named \(indexSlug)")
            }
            state.selectedIndex = i
        }
        return renderDashboardText(snapshot, state, width: width, height: height)
    }
}
