import Foundation
import IndexCore
import Testing

private func parse(_ json: String) throws -> IndexSpec {
    try IndexSpec.parse(Data(json.utf8), file: "spec.json")
}

/// The example of DESIGN §4.
private let designExample = """
    { "slug": "defi-ai", "name": "DeFi AI", "base": "USD", "initial_capital": 100000,
      "universe": ["AAVE","UNI","LDO","MKR","RUNE","GMX","CRV"],
      "exclude_stablecoins": true,
      "methodology": { "type": "signal", "cap": 0.25, "min_volume": 0,
                       "include_neutral": false, "stablecoin": "USDC",
                       "risk_off": {"medium": 0.3, "high": 0.6} },
      "rebalance": { "schedule": "weekly", "weekday": 1, "hour_utc": 0, "drift_band": 0.05 },
      "fees_bps": 10, "slippage_bps": 5, "min_trade": 10,
      "dca": { "amount": 500, "schedule": "weekly" } }
    """

private let base = #""slug":"t","initial_capital":1000,"universe":["BTC","ETH","SOL"]"#

@Suite struct IndexSpecParserTests {
    @Test func theDesignExampleParses() throws {
        let spec = try parse(designExample)
        #expect(spec.slug == "defi-ai")
        #expect(spec.name == "DeFi AI")
        #expect(spec.initialCapital == 100_000)
        #expect(spec.universe == .symbols(["AAVE", "UNI", "LDO", "MKR", "RUNE", "GMX", "CRV"]))
        #expect(spec.excludeStablecoins)
        #expect(spec.methodology.kind == .signal)
        #expect(spec.methodology.cap == 0.25)
        #expect(spec.methodology.stablecoin == "USDC")
        #expect(spec.methodology.riskOffMedium == 0.3)
        #expect(spec.methodology.riskOffHigh == 0.6)
        #expect(spec.rebalance == RebalanceRule(schedule: .weekly, weekday: 1, hourUTC: 0, driftBand: 0.05))
        #expect(spec.feesBps == 10)
        #expect(spec.slippageBps == 5)
        #expect(spec.minTrade == 10)
        #expect(spec.dca?.amount == 500)
        #expect(spec.dca?.schedule == .weekly)
        #expect(abs(spec.feeRate - 0.001) < 1e-15)
    }

    @Test func specsRoundTripThroughTheirJSON() throws {
        let specs = [
            designExample,
            "{\(base),\"methodology\":{\"type\":\"market-cap\",\"top\":2,\"cap\":0.6}}",
            #"{"slug":"f","initial_capital":5,"universe":{"sector":"DeFi"},"methodology":{"type":"fixed","weights":{"aave":0.25,"UNI":0.75}},"rebalance":{"schedule":"quarterly","hour_utc":6,"drift_band_relative":0.2}}"#,
            #"{"slug":"t2","initial_capital":5,"universe":{"top":10},"methodology":{"type":"rsi","enter":70,"exit":30}}"#,
        ]
        for text in specs {
            let spec = try parse(text)
            let again = try IndexSpec.parse(spec.jsonObject(), file: "again")
            #expect(again == spec)
        }
    }

    @Test func defaultsAndNormalisation() throws {
        let spec = try parse(
            #"{"slug":"f","initial_capital":5,"universe":["btc","eth"],"methodology":{"type":"fixed","weights":{"btc":0.4,"eth":0.6}}}"#
        )
        #expect(spec.universe == .symbols(["BTC", "ETH"]))
        #expect(spec.methodology.weights == ["BTC": 0.4, "ETH": 0.6])
        #expect(spec.name == "f")
        #expect(spec.rebalance.schedule == .monthly)
        #expect(spec.feesBps == 10)
        #expect(spec.slippageBps == 5)
        #expect(spec.minTrade == 10)
        #expect(spec.dca == nil)
    }

    @Test(arguments: [
        // Weights not summing to 1.
        (
            #"{"slug":"t","initial_capital":1,"universe":["A","B"],"methodology":{"type":"fixed","weights":{"A":0.5,"B":0.4}}}"#,
            "methodology.weights"
        ),
        (#"{"slug":"t","initial_capital":1,"universe":["A"],"methodology":{"type":"fixed"}}"#, "methodology.weights"),
        (
            #"{"slug":"t","initial_capital":1,"universe":["A"],"methodology":{"type":"fixed","weights":{"A":"1"}}}"#,
            "methodology.weights.A"
        ),
        // Unknown methodology.
        ("{\(base),\"methodology\":{\"type\":\"momentum\"}}", "methodology.type"),
        // Infeasible or out-of-range caps.
        ("{\(base),\"methodology\":{\"type\":\"market-cap\",\"cap\":0.3}}", "methodology.cap"),
        (
            #"{"slug":"t","initial_capital":1,"universe":{"top":50},"methodology":{"type":"equal","top":10,"cap":0.05}}"#,
            "methodology.cap"
        ),
        ("{\(base),\"methodology\":{\"type\":\"market-cap\",\"cap\":1.5}}", "methodology.cap"),
        ("{\(base),\"methodology\":{\"type\":\"market-cap\",\"cap\":0}}", "methodology.cap"),
        // Missing fields.
        (#"{"initial_capital":1,"universe":["A"],"methodology":{"type":"equal"}}"#, "slug"),
        (#"{"slug":"t","universe":["A"],"methodology":{"type":"equal"}}"#, "initial_capital"),
        (#"{"slug":"t","initial_capital":1,"methodology":{"type":"equal"}}"#, "universe"),
        (#"{"slug":"t","initial_capital":1,"universe":["A"]}"#, "methodology"),
        ("{\(base),\"methodology\":{}}", "methodology.type"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"dca\":{}}", "dca.amount"),
        // Wrong types.
        (#"{"slug":7,"initial_capital":1,"universe":["A"],"methodology":{"type":"equal"}}"#, "slug"),
        (#"{"slug":"t","initial_capital":"1000","universe":["A"],"methodology":{"type":"equal"}}"#, "initial_capital"),
        (#"{"slug":"t","initial_capital":true,"universe":["A"],"methodology":{"type":"equal"}}"#, "initial_capital"),
        (#"{"slug":"t","initial_capital":1,"universe":"A","methodology":{"type":"equal"}}"#, "universe"),
        (#"{"slug":"t","initial_capital":1,"universe":["A",1],"methodology":{"type":"equal"}}"#, "universe[1]"),
        (#"{"slug":"t","initial_capital":1,"universe":{"top":"ten"},"methodology":{"type":"equal"}}"#, "universe.top"),
        (#"{"slug":"t","initial_capital":1,"universe":["A"],"methodology":"equal"}"#, "methodology"),
        ("{\(base),\"methodology\":{\"type\":\"equal\",\"top\":2.5}}", "methodology.top"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"exclude_stablecoins\":\"yes\"}", "exclude_stablecoins"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"rebalance\":\"weekly\"}", "rebalance"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"fees_bps\":\"10\"}", "fees_bps"),
        ("{\(base),\"methodology\":{\"type\":\"signal\",\"risk_off\":{\"high\":1.5}}}", "methodology.risk_off.high"),
        // Values out of range.
        (#"{"slug":"t","initial_capital":0,"universe":["A"],"methodology":{"type":"equal"}}"#, "initial_capital"),
        (#"{"slug":"bad slug","initial_capital":1,"universe":["A"],"methodology":{"type":"equal"}}"#, "slug"),
        (#"{"slug":"t","initial_capital":1,"universe":[],"methodology":{"type":"equal"}}"#, "universe"),
        (#"{"slug":"t","initial_capital":1,"universe":["A","a"],"methodology":{"type":"equal"}}"#, "universe"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"fees_bps\":2000}", "fees_bps"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"min_trade\":-1}", "min_trade"),
        ("{\(base),\"methodology\":{\"type\":\"rsi\",\"enter\":40,\"exit\":60}}", "methodology.exit"),
        // Bad schedules.
        (
            "{\(base),\"methodology\":{\"type\":\"equal\"},\"rebalance\":{\"schedule\":\"fortnightly\"}}",
            "rebalance.schedule"
        ),
        (
            "{\(base),\"methodology\":{\"type\":\"equal\"},\"rebalance\":{\"schedule\":\"weekly\",\"weekday\":0}}",
            "rebalance.weekday"
        ),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"rebalance\":{\"weekday\":8}}", "rebalance.weekday"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"rebalance\":{\"hour_utc\":24}}", "rebalance.hour_utc"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"rebalance\":{\"drift_band\":0}}", "rebalance.drift_band"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"dca\":{\"amount\":5,\"schedule\":\"none\"}}", "dca.schedule"),
        ("{\(base),\"methodology\":{\"type\":\"equal\"},\"dca\":{\"amount\":-5}}", "dca.amount"),
    ])
    func aBadSpecNamesTheField(json: String, field: String) {
        let error = #expect(throws: InputError.self) { _ = try parse(json) }
        #expect(error?.file == "spec.json")
        #expect(error?.field == field, "\(json)")
        #expect(error?.line == nil)
        #expect(error?.description.hasPrefix("spec.json: \(field): ") == true)
    }

    @Test func anInfeasibleCapNamesTheIndex() {
        let error = #expect(throws: InputError.self) {
            _ = try parse("{\(base),\"methodology\":{\"type\":\"market-cap\",\"cap\":0.3}}")
        }
        #expect(error?.message.contains("index 't'") == true)
    }

    @Test(arguments: [
        // NaN and infinities cannot be written in JSON: the file is refused as a whole.
        #"{"slug":"t","initial_capital":NaN,"universe":["A"],"methodology":{"type":"equal"}}"#,
        #"{"slug":"t","initial_capital":Infinity,"universe":["A"],"methodology":{"type":"equal"}}"#,
        #"{"slug":"t","initial_capital":1,"#,
        "slug: t",
    ])
    func invalidJSONIsRefused(json: String) {
        let error = #expect(throws: InputError.self) { _ = try parse(json) }
        #expect(error?.message.hasPrefix("not valid JSON") == true)
        #expect(error?.file == "spec.json")
    }

    @Test func aSyntaxErrorNamesItsLine() {
        let error = #expect(throws: InputError.self) {
            _ = try parse("{\n\"slug\": \"t\",\n \"initial_capital\": lots\n}")
        }
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("spec.json:3: not valid JSON") == true)
    }

    @Test func anOverflowingNumberIsRefused() {
        let json = #"{"slug":"t","initial_capital":1e999,"universe":["A"],"methodology":{"type":"equal"}}"#
        let error = #expect(throws: InputError.self) { _ = try parse(json) }
        // Either the decoder refuses the literal or the parser refuses the infinite value.
        #expect(error?.field == nil || error?.field == "initial_capital")
    }

    @Test func emptyAndNonObjectFilesAreRefused() {
        let empty = #expect(throws: InputError.self) { _ = try parse("  \n") }
        #expect(empty?.message == "empty file")
        let array = #expect(throws: InputError.self) { _ = try parse("[1, 2]") }
        #expect(array?.message.contains("object") == true)
    }
}
