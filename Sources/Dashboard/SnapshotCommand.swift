import TerminalUI

/// `indextop snapshot [--width W --height H --view N --index SLUG --preview]`: the frame the dashboard would
/// draw, as text (with `--preview`, the rebalance preview `r` opens over it; nothing is applied).
public enum SnapshotCommand {
    /// Renders one frame from `backend` at `width` × `height` (defaults 120×40), on view `view` (1–6) and the
    /// index `indexSlug` (else the first), at time `now` (default: the snapshot's time). Throws what
    /// `loadSnapshot` throws, or a `DemoError` naming an unknown view or index. `preview`: the rebalance
    /// preview of the index, planned by the backend, drawn over the frame (the stale rule judged at `now`).
    public static func render(
        backend: any DashboardBackend, width: Int = 120, height: Int = 40, view: Int = 1, indexSlug: String? = nil,
        ascii: Bool = false, now: Int64? = nil, preview: Bool = false
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
        if preview, let index = ViewData.selectedIndex(snapshot, state) {
            let plan = try backend.planRebalance(slug: index.slug)
            reduce(&state, .rebalance, snapshot)
            reduce(&state, .previewReady(plan), snapshot)
        }
        return renderDashboardText(snapshot, state, width: width, height: height)
    }
}
