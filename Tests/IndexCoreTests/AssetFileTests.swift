import Foundation
import IndexCore
import Testing

/// The assets CSV on the shared record layer.
@Suite struct AssetFileTests {
    private func parse(_ text: String) throws -> [Asset] { try AssetFile.parse(Data(text.utf8), file: "a.csv") }

    @Test func columnsInAnyOrderWithABOMAndCR() throws {
        let got = try parse(
            "\u{FEFF}stablecoin,symbol,name,sector,coingecko_id\rTRUE,usdc,USD Coin,Stablecoin,\rfalse,btc,,L1,bitcoin\r"
        )
        #expect(
            got == [
                Asset(symbol: "USDC", name: "USD Coin", sector: "Stablecoin", isStablecoin: true),
                Asset(symbol: "BTC", name: "BTC", sector: "L1", coingeckoId: "bitcoin"),
            ])
    }

    @Test(arguments: [
        ("symbol,name,sector,coingecko,stablecoin\n", "a.csv:1: header: unknown column 'coingecko'"),
        ("symbol,name,sector,stablecoin\n", "a.csv:1: header: missing column 'coingecko_id'"),
        (
            "symbol,name,sector,coingecko_id,stablecoin\n\(String(repeating: "X", count: 1000)),n,s,,false\n",
            "a.csv:2: symbol: 'XXXX"
        ),
        (
            "symbol,name,sector,coingecko_id,stablecoin\nBTC,n,s,,yes\n",
            "a.csv:2: stablecoin: 'yes' must be true or false"
        ),
        (
            "symbol,name,sector,coingecko_id,stablecoin\nBTC,n,s,,false\nbtc,n,s,,false\n",
            "a.csv:3: symbol: duplicate BTC"
        ),
        ("symbol,name,sector,coingecko_id,stablecoin\nB C,n,s,,false\n", "a.csv:2: symbol: 'B C' is not a symbol"),
        ("symbol,name,sector,coingecko_id,stablecoin\n", "a.csv: empty file: a header but no assets"),
        ("{\"symbol\":\"BTC\"}\n", "a.csv:1: the assets file is CSV, not JSONL"),
    ])
    func badFilesNameLineAndField(text: String, prefix: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".hasPrefix(prefix), "\(error)")
            #expect("\(error)".count <= 200)
        }
    }
}
