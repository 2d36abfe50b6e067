import Foundation

/// An in-memory backend with deterministic sample data: for `indextop` before a database exists,
/// for benchmarks (`frame.10x100`) and for tests. Plans and applies rebalances in memory.
public final class DemoBackend: DashboardBackend {
    private var snapshot: DashboardSnapshot
    private var nextID: Int64 = 100
    /// Seconds the clock advances on every load (0 = frozen data).
    public var tickSeconds: Int64
    private var ticks: Int64 = 0

    /// `indices` × `holdings` of sample data at time `start` (Unix seconds).
    public init(indices: Int = 5, holdings: Int = 8, start: Int64 = 1_715_500_800, tickSeconds: Int64 = 0) {
        self.snapshot = SampleData.snapshot(indices: indices, holdings: holdings, time: start)
        self.tickSeconds = tickSeconds
    }

    public func loadSnapshot() throws -> DashboardSnapshot {
        if tickSeconds > 0 {
            ticks += 1
            snapshot.time = max(snapshot.time + tickSeconds, Int64(Date().timeIntervalSince1970))
            snapshot.feed.lastPriceTime = snapshot.time
            // A gentle deterministic wobble so the demo is alive.
            for i in snapshot.indices.indices {
                for j in snapshot.indices[i].holdings.indices {
                    let phase = Double((ticks + Int64(j) * 7) % 13) - 6
                    var h = snapshot.indices[i].holdings[j]
                    h.prevPrice = h.price
                    h.price *= 1 + phase * 0.0005
                    h.value = h.quantity * h.price
                    snapshot.indices[i].holdings[j] = h
                }
                SampleData.recompute(&snapshot.indices[i])
            }
            snapshot.totalValue = snapshot.indices.reduce(0) { $0 + $1.nav }
        }
        return snapshot
    }

    public func planRebalance(slug: String) throws -> RebalancePreview {
        guard let index = snapshot.indices.first(where: { $0.slug == slug }) else {
            throw DemoError(message: "no index named \(slug)")
        }
        return SampleData.plan(index, time: snapshot.feed.lastPriceTime ?? snapshot.time)
    }

    public func applyRebalance(_ preview: RebalancePreview) throws -> ApplyOutcome {
        guard let i = snapshot.indices.firstIndex(where: { $0.slug == preview.slug }) else {
            throw DemoError(message: "no index named \(preview.slug)")
        }
        var index = snapshot.indices[i]
        for j in index.holdings.indices {
            var h = index.holdings[j]
            h.value = h.target * (preview.navAfter - index.cash)
            h.quantity = h.price > 0 ? h.value / h.price : 0
            index.holdings[j] = h
        }
        index.nav = preview.navAfter
        nextID += 1
        index.rebalances.insert(
            RebalanceRow(
                id: nextID, time: snapshot.time, trigger: "manual", status: "applied", navBefore: preview.navBefore,
                navAfter: preview.navAfter, turnover: preview.turnover, fees: preview.fees, slippage: preview.slippage,
                reason: "dashboard",
                trades: preview.trades), at: 0)
        SampleData.recompute(&index)
        snapshot.indices[i] = index
        snapshot.totalValue = snapshot.indices.reduce(0) { $0 + $1.nav }
        return .applied(id: nextID)
    }
}

/// An error of the demo backend.
public struct DemoError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
