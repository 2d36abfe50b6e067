import Foundation
import PortfolioStore

// Wiring points for the parts being built in parallel (signals, vault, dashboard, feeds).

extension CLI {
    func snapshotCommand(_ args: inout Args) throws -> Int32 { throw Failure("snapshot: not available in this build") }
    func dashboard(_ args: inout Args) throws -> Int32 { throw Failure("dashboard: not available in this build") }
}
