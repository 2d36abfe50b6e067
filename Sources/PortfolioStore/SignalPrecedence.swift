import Foundation

/// When an imported signal (Token Metrics, a file) takes precedence over the computed rating
/// (DESIGN §5): the newest imported signal of an asset stays in force for `maxAgeDays` days
/// after its own day (config `imported_max_age`, default 7), so one dated yesterday does not
/// lose to today's computed rating.
public enum SignalPrecedence {
    private final class Storage: @unchecked Sendable {
        let lock = NSLock()
        var days: Int64 = 7
    }
    private static let storage = Storage()

    /// Days an imported signal stays in force (≥ 0). Set once at start from the config.
    public static var maxAgeDays: Int64 {
        get {
            storage.lock.lock()
            defer { storage.lock.unlock() }
            return storage.days
        }
        set {
            storage.lock.lock()
            storage.days = max(newValue, 0)
            storage.lock.unlock()
        }
    }

    /// Whether an imported signal of UTC day `importedDay` is in force on UTC day `day`
    /// (day numbers): not older than `maxAgeDays`. A newer imported signal is in force too.
    public static func inForce(importedDay: Int64, on day: Int64) -> Bool {
        day - importedDay <= maxAgeDays
    }
}
