import Foundation
import MarketData
import TestSupport
import Testing
import Vault

/// Regression (issue 15 #2): after `keys revoke` in another process, a running CoinGecko feed kept
/// sending the revoked key. With the key supplied by a vault lease, no request after the revoke
/// carries it, and the feed stops on a configuration error (not retried).
@Suite struct KeyLeaseFeedTests {
    @Test func noRequestCarriesTheKeyAfterARevoke() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = VaultLocation(env: "test", directory: dir)
        let pass = PassphraseSource.secret(SecretBytes("feed test passphrase"))
        let secret = "CG-LeaseSecret-7d3f9a2b"
        let vault = try UnlockedVault.create(location: location, passphrase: pass, kdf: .defaultPBKDF2)
        try vault.add(provider: "coingecko", scope: .read, secret: SecretBytes(secret))
        let server = try TestHTTPServer { _, _ in .json(recordedMarkets) }
        defer { server.stop() }
        let lease = try vault.lease(keyId: "coingecko/test/read", actor: "feed")
        let client = CoinGeckoClient(
            config: CoinGeckoConfig(plan: .demo, baseURL: server.baseURL.appendingPathComponent("api/v3")),
            assets: testAssets, key: { try lease.current().unsafeStringCopy() }, sink: MemorySink())

        _ = try client.poll(now: 1_714_567_000)
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.headers["x-cg-demo-api-key"] == secret)

        // `indextop keys revoke` in another process.
        let cli = try UnlockedVault.unlock(location: location, passphrase: pass)
        try cli.revoke(keyId: "coingecko/test/read")

        for _ in 0..<3 {
            #expect {
                _ = try client.poll(now: 1_714_567_060)
            } throws: { error in
                guard let e = error as? FeedError, e.kind == .configuration else { return false }
                return e.message.contains("compromised") && !e.message.contains(secret)
            }
        }
        #expect(server.requests.count == 1)
        #expect(!server.requests.dropFirst().contains { $0.raw.contains(secret) })
    }
}
