import Foundation
import IndexCore
import Testing

private func parse(_ json: String) throws -> IndexSpec {
    try IndexSpec.parse(Data(json.utf8), file: "spec.json")
}

private func error(_ json: String) -> InputError? {
    do {
        _ = try parse(json)
        return nil
    } catch let e as InputError {
        return e
    } catch {
        return nil
    }
}

private let base = #""slug":"t","initial_capital":1000,"universe":["BTC","ETH","SOL"]"#

/// Unknown fields are errors that name them (a typo never falls back to a default), and the churn
/// controls of DESIGN §4–§5 parse and round-trip.
@Suite struct IndexSpecStrictTests {
    @Test(arguments: [
        (#"{\#(base),"methodology":{"type":"equal"},"rebalnce":{"schedule":"weekly"}}"#, "rebalnce"),
        (#"{\#(base),"methodology":{"type":"equal","capp":0.2}}"#, "methodology.capp"),
        (#"{\#(base),"methodology":{"type":"equal"},"rebalance":{"schedul":"weekly"}}"#, "rebalance.schedul"),
        (#"{\#(base),"methodology":{"type":"signal","risk_off":{"hihg":0.5}}}"#, "methodology.risk_off.hihg"),
        (
            #"{"slug":"t","initial_capital":1000,"universe":{"top":5,"bufer":1},"methodology":{"type":"equal"}}"#,
            "universe.bufer"
        ),
        (#"{\#(base),"methodology":{"type":"equal"},"dca":{"amount":5,"every":"weekly"}}"#, "dca.every"),
    ])
    func unknownFieldsAreNamed(json: String, field: String) {
        let e = error(json)
        #expect(e?.field == field)
        #expect(e?.message.hasPrefix("unknown field") == true)
    }

    @Test func fixedWeightsOutsideTheUniverseAreRefused() {
        let e = error(#"{\#(base),"methodology":{"type":"fixed","weights":{"BTC":0.5,"DOGE":0.3,"ETH":0.2}}}"#)
        #expect(e?.field == "methodology.weights")
        #expect(e?.message == "DOGE not in the universe")
    }

    @Test func weightsOnAnotherMethodologyAreRefused() {
        #expect(
            error(#"{\#(base),"methodology":{"type":"equal","weights":{"BTC":1}}}"#)?.field == "methodology.weights")
    }

    @Test func churnControlsParseAndRoundTrip() throws {
        let spec = try parse(
            #"{"slug":"t","initial_capital":1000,"universe":{"top":10,"buffer":2},"methodology":{"type":"signal","min_market_cap":1e9,"sector_caps":{"Memecoins":0.2},"risk_off":{"confirm_days":5}}}"#
        )
        #expect(spec.rankBuffer == 2)
        #expect(spec.methodology.minMarketCap == 1e9)
        #expect(spec.methodology.sectorCaps == ["Memecoins": 0.2])
        #expect(spec.methodology.confirmDays == 5)
        let again = try IndexSpec.parse(spec.jsonObject(), file: "round trip")
        #expect(again == spec)
        #expect(spec.summary.contains("universe top 10 ±2"))
        #expect(spec.summary.contains("Memecoins ≤ 20%"))
        #expect(spec.summary.contains("regime confirmed 5d"))
    }

    @Test func confirmDaysDefaultsToThree() throws {
        #expect(try parse(#"{\#(base),"methodology":{"type":"signal"}}"#).methodology.confirmDays == 3)
    }

    @Test func aBufferNeedsATopUniverse() {
        #expect(
            error(
                #"{"slug":"t","initial_capital":1000,"universe":{"sector":"DeFi","buffer":1},"methodology":{"type":"equal"}}"#
            ) != nil)
        #expect(
            error(
                #"{"slug":"t","initial_capital":1000,"universe":{"top":3,"buffer":3},"methodology":{"type":"equal"}}"#)?
                .field == "universe.buffer")
    }
}
