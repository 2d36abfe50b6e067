import Dispatch
import Foundation
import IndexCore
import PortfolioStore
import Vault

/// A read-only connection of its own, used only on its serial queue, for planning previews off the UI
/// queue; it remembers the plan behind each preview so the apply confirms exactly that plan.
final class PlanWorker: @unchecked Sendable {
    let queue = DispatchQueue(label: "indextop.dashboard.plan", qos: .userInitiated)
    private let path: String
    private var store: PortfolioStore?
    /// The plan behind the last preview of each index (on `queue`).
    private var previewed: [String: StoredPlan] = [:]

    init(path: String) { self.path = path }

    private func connection() throws -> PortfolioStore {
        dispatchPrecondition(condition: .onQueue(queue))
        if let store { return store }
        let s = try PortfolioStore(path: path, create: false, readOnly: true)
        store = s
        return s
    }

    /// Plans a manual rebalance of `slug` (call on `queue`).
    func plan(_ slug: String) throws -> RebalancePreview {
        let s = try connection()
        let plan = try s.planRebalance(slug, trigger: .manual)
        previewed[slug] = plan
        return StoreBackend.preview(plan, name: try s.index(slug).name)
    }

    /// Applies the plan behind `preview` exactly as previewed, or nothing: the plan is made again at the
    /// latest prices and holdings first, and when it is not the preview (a feed moved a price, another
    /// process rebalanced) the new plan is returned for the user to confirm (`.changed`, no unlock).
    /// Otherwise the vault is unlocked when there is one (audited) and the remembered plan is applied
    /// through the writer; the store checks it once more inside the write transaction and refuses it
    /// when a write landed in between (then the new plan is returned too). Never a silent re-plan.
    /// Call on `queue`.
    func apply(_ preview: RebalancePreview, writer: StoreWriter, env: String, passphrase: PassphraseSource) throws
        -> ApplyOutcome
    {
        dispatchPrecondition(condition: .onQueue(queue))
        let s = try connection()
        let name = try s.index(preview.slug).name
        let fresh = try s.planRebalance(preview.slug, trigger: .manual)
        let freshPreview = StoreBackend.preview(fresh, name: name)
        guard let confirmed = previewed[preview.slug], StoreBackend.preview(confirmed, name: name) == preview,
            freshPreview == preview
        else {
            previewed[preview.slug] = fresh
            return .changed(freshPreview)
        }
        var vault: UnlockedVault?
        // The vault bound to this database confirms, whatever --env says (DESIGN §9, "The step-up").
        let bound = try writer.perform { try $0.vaultBinding() }
        if let protecting = try StepUp.protectingEnvironment(bound: bound, current: env) {
            vault = try UnlockedVault.unlock(env: protecting, passphrase: passphrase)
            _ = try writer.perform { try $0.bindVault(env: protecting) }
            try vault?.audit(
                action: "rebalance.apply.confirm", keyId: nil, result: "ok",
                detail: ["index": preview.slug, "by": "dashboard", "env": env])
        }
        let unlocked = vault
        do {
            let record = try writer.perform { store in
                let automatic = store.onApplied
                store.onApplied = { r in if let unlocked { RebalanceAudit.record(r, in: unlocked, by: "dashboard") } }
                defer { store.onApplied = automatic }
                return try store.apply(confirmed, reason: "manual rebalance from the dashboard")
            }
            previewed[preview.slug] = nil
            return .applied(id: record.id)
        } catch let e as StoreError where e.isStalePlan {
            let again = try s.planRebalance(preview.slug, trigger: .manual)
            previewed[preview.slug] = again
            return .changed(StoreBackend.preview(again, name: name))
        }
    }
}
