import Dispatch
import IndexCore

/// The one owner of a process's read-write connection: a serial queue and the store on it. Feeds, manual
/// and automatic applies, signal refreshes and migrations (on open) are submitted to it; readers use
/// their own read-only stores (``PortfolioStore/init(path:create:readOnly:clock:)`` with `readOnly`).
public final class StoreWriter: @unchecked Sendable {
    /// The database file.
    public let path: String
    private let queue = DispatchQueue(label: "indextop.store.writer", qos: .userInitiated)
    private let onQueue = DispatchSpecificKey<Bool>()
    /// Only touched on `queue`.
    private let store: PortfolioStore

    /// Opens (and migrates) the database at `path` read-write; `create` makes a new one with the schema.
    /// - Throws: `StoreError` (one line naming the file).
    public init(path: String, create: Bool = false, clock: @escaping () -> Int64 = PortfolioStore.wallClock) throws {
        self.path = path
        store = try PortfolioStore(path: path, create: create, clock: clock)
        queue.setSpecific(key: onQueue, value: true)
    }

    /// Runs `body` with the read-write store on the writer's queue and waits for it (runs in place when
    /// already on the queue). Never call it from the UI queue for slow work: use ``submit(_:completion:)``.
    @discardableResult
    public func perform<T>(_ body: (PortfolioStore) throws -> T) throws -> T {
        if DispatchQueue.getSpecific(key: onQueue) == true { return try body(store) }
        return try queue.sync { try body(store) }
    }

    /// Runs `body` on the writer's queue without waiting; `completion` gets its result on the writer's queue.
    public func submit<T>(
        _ body: @escaping (PortfolioStore) throws -> T,
        completion: @escaping @Sendable (Result<T, any Error>) -> Void = { _ in }
    ) {
        nonisolated(unsafe) let work = body
        queue.async { completion(Result { try work(self.store) }) }
    }

    /// Sets what happens after each applied rebalance (the audit trail), on the writer's queue.
    public func onApplied(_ hook: @escaping (RebalanceRecord) -> Void) {
        _ = try? perform { $0.onApplied = hook }
    }
}

extension StoreWriter {
    /// The read-write store for a process whose one thread is its writer (a CLI command: nothing else runs
    /// concurrently). Never use it where ``perform(_:)`` or ``submit(_:completion:)`` may run at the same time.
    public var confinedStore: PortfolioStore { store }
}
