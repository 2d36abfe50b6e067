import Foundation
import Testing

@testable import Vault

@Suite struct SecretScannerTests {
    let dir = TempDir()

    static let binanceKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    static let krakenKey = "Zk3mN8pQ2rT6vX9yB4cF7hJ1kL5nP8sU2wY6aD9gH3jM7qR1tV5xZ8bE"

    @Test func findsPlantedKeysInCommonFormats() throws {
        _ = dir.write("config.ini", "[binance]\napi_key = \(Self.binanceKey)\n")
        _ = dir.write("settings.json", "{\n  \"coingecko\": {\"api_key\": \"CG-Ab12Cd34Ef56Gh78Ij90KlMn\"}\n}\n")
        _ = dir.write("deploy.yaml", "kraken:\n  key: \(Self.krakenKey)\n")
        _ = dir.write(".env", "KUCOIN_API_KEY=5f3e8a9b1c2d4e6f7a8b9c0d\nSERVICE_TOKEN=q8Wz3Lr5Tp9Xk2Vn7Ym4Hs6Jd1\n")
        _ = dir.write("Sources/Feed.swift", "let tokenMetricsKey = \"tm-9f8e7d6c-5b4a-3c2d-1e0f-abcdef123456x\"\n")
        let findings = SecretScanner.scan(paths: [dir.url.path])
        let summary = Set(findings.map { "\(($0.path as NSString).lastPathComponent):\($0.line):\($0.rule)" })
        #expect(summary.contains("config.ini:2:binance"))
        #expect(summary.contains("settings.json:2:coingecko-demo"))
        #expect(summary.contains("deploy.yaml:2:generic-secret") || summary.contains("deploy.yaml:2:kraken"))
        #expect(summary.contains(".env:1:kucoin"))
        #expect(summary.contains(".env:2:generic-secret"))
        #expect(summary.contains("Feed.swift:1:tokenmetrics"))
        #expect(findings.count == 6, "\(findings.map(\.description))")
        let binance = try #require(findings.first { $0.rule == "binance" })
        #expect(binance.masked == "xxxx…Eh8A")
        #expect(binance.description.hasSuffix("config.ini:2: binance: xxxx…Eh8A"))
        #expect(!findings.contains { $0.description.contains(String(Self.binanceKey.prefix(12))) })
    }

    @Test func staysQuietOnPlaceholdersUUIDsAndLowEntropy() {
        let text = """
            api_key = REDACTED
            secret: "xxxxxxxxxxxxxxxxxxxxxxxx"
            token = 123e4567-e89b-12d3-a456-426614174000
            BINANCE_API_KEY=<your-binance-key-here>
            password = aaaaaaaaaaaaaaaaaaaa
            api_key = ${API_KEY}
            let token = ProcessInfo.processInfo.environment
            COINGECKO_KEY=CG-xxxxxxxxxxxxxxxxxxxxxxxx
            description: this token is used for the feed
            """
        #expect(SecretScanner.scan(text: text, path: "x").isEmpty, "\(SecretScanner.scan(text: text, path: "x"))")
    }

    @Test func skipsBinaryFilesAndGitFolders() throws {
        var binary = Data("binance \(Self.binanceKey)".utf8)
        binary.insert(0, at: 3)
        try binary.write(to: dir.url.appendingPathComponent("blob.bin"))
        _ = dir.write(".git/config", "binance = \(Self.binanceKey)\n")
        #expect(SecretScanner.scan(paths: [dir.url.path]).isEmpty)
        var errors: [String] = []
        var notes: [String] = []
        _ = SecretScanner.scan(paths: [dir.url.appendingPathComponent("missing").path], errors: &errors, notes: &notes)
        #expect(errors.count == 1)
    }

    @Test func entropyMatchesTheDefinition() {
        // "aabb": p = 1/2 each, H = 1 bit; "abcd": H = 2 bits.
        #expect(abs(SecretScanner.entropy("aabb") - 1.0) < 1e-12)
        #expect(abs(SecretScanner.entropy("abcd") - 2.0) < 1e-12)
        #expect(SecretScanner.entropy("") == 0)
    }
}
