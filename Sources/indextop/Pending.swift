import Foundation
import PortfolioStore

// Wiring points for the parts being built in parallel (signals, vault, dashboard, feeds).

/// Connects the signal engine to a store.
enum SignalWiring {
    static func install(on store: PortfolioStore) { store.enableSignals() }
}

/// Connects the vault's step-up and passphrase options.
enum VaultBridge {
    struct Source {}
    static func passphraseOptions(_ args: inout Args) throws -> Source { Source() }
    static func stepUp(env: String, action: String, detail: [String: String], _ source: Source) throws {}
}

extension CLI {
    func snapshotCommand(_ args: inout Args) throws -> Int32 { throw Failure("snapshot: not available in this build") }
    func fetchCommand(_ args: inout Args) throws -> Int32 { throw Failure("fetch: not available in this build") }
    func vaultCommand(_ command: String, _ args: inout Args) throws -> Int32 {
        throw Failure("\(command): not available in this build")
    }
    func dashboard(_ args: inout Args) throws -> Int32 { throw Failure("dashboard: not available in this build") }
}
