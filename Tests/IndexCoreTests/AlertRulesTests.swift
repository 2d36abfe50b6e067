import IndexCore
import Testing

/// The alert rules on hand-worked inputs (DESIGN §10).
@Suite struct AlertRulesTests {
    /// Monday 2025-01-06T00:00:00Z.
    let now: Int64 = 1_736_121_600
    let day: Int64 = 86_400

    func index(
        _ weights: [(String, Double, Double)], slug: String = "x", band: Double? = 0.05, relative: Double? = nil,
        due: String? = nil, dca: Bool = false, members: [String] = [], confirm: Int? = nil
    ) -> AlertInputs.Index {
        AlertInputs.Index(
            slug: slug, rule: RebalanceRule(schedule: .none, driftBand: band, driftBandRelative: relative),
            weights: weights.map { .init($0.0, weight: $0.1, target: $0.2) }, dueTrigger: due, dcaDue: dca,
            constituents: members, regimeConfirmDays: confirm)
    }

    @Test func driftNamesTheFurthestConstituentBeyondTheBand() {
        // |.56 − .50| = .06 > .05 and |.44 − .50| = .06 > .05: a tie, broken by symbol (A first).
        let e = AlertRules.evaluate(.init(now: now, indices: [index([("B", 0.44, 0.5), ("A", 0.56, 0.5)])]))
        #expect(
            e.conditions == [
                AlertCondition(
                    AlertKey(.drift, index: "x"), "x: A at 56.0% vs target 50.0%, beyond the band ±5.0 pts and 1 more")
            ])
    }

    @Test func aWeightExactlyOnTheBandIsNotADrift() {
        // .55 − .50 is 0.05000000000000004 in doubles: within the band's tolerance.
        let e = AlertRules.evaluate(.init(now: now, indices: [index([("A", 0.55, 0.5), ("B", 0.45, 0.5)])]))
        #expect(e.conditions.isEmpty)
    }

    @Test func relativeBandsCompareTheDriftWithTheTarget() {
        // target .10, band 20 % relative: .125 is 25 % off (breach), .119 is 19 % off (inside).
        let rule = RebalanceRule(schedule: .none, driftBandRelative: 0.2)
        #expect(rule.driftBreaches([("A", 0.125, 0.1), ("B", 0.119, 0.1), ("C", 0.05, 0)]).map(\.symbol) == ["A"])
        let e = AlertRules.evaluate(.init(now: now, indices: [index([("A", 0.125, 0.1)], band: nil, relative: 0.2)]))
        #expect(e.conditions.map(\.message) == ["x: A at 12.5% vs target 10.0%, beyond the band ±20.0% relative"])
    }

    @Test func signalFlipsOfConstituentsOnly() {
        let e = AlertRules.evaluate(
            .init(
                now: now, indices: [index([], members: ["AAVE", "UNI", "GMX"])],
                signals: [
                    "AAVE": .init(previous: "neutral", current: "bullish"),
                    "UNI": .init(previous: "bullish", current: "bullish"),
                    "GMX": .init(previous: nil, current: "bearish"),  // no previous day: not a flip
                    "LDO": .init(previous: "bearish", current: "bullish"),  // not a constituent
                ]))
        #expect(
            e.conditions == [
                AlertCondition(AlertKey(.signal, index: "x", asset: "AAVE"), "x: AAVE signal neutral → bullish")
            ])
    }

    @Test func aRegimeChangeCountsOnceItHeldItsConfirmationDays() {
        let c = AlertRules.confirmedChange
        #expect(c(["low", "low", "low", "high", "high", "high"], 3).map { [$0.from, $0.to] } == ["low", "high"])
        #expect(c(["low", "low", "low", "high", "high"], 3) == nil)  // two days only
        #expect(c(["low", "high", "low", "high"], 3) == nil)  // noise
        #expect(c(["low", "low", "high", "high", "high", "high"], 3) == nil)  // confirmed the day before
        #expect(c(["low", "medium"], 1).map { [$0.from, $0.to] } == ["low", "medium"])
        #expect(c(["high"], 1) == nil)
        // The market needs 3 days (still low); a signal index needing 2 has changed (medium now).
        let history = ["low", "low", "medium", "medium"]
        #expect(c(history, 3) == nil)
        let change = c(history, 2)
        #expect(change.map { [$0.from, $0.to] } == ["low", "medium"])
        var sig = index([], slug: "sig", confirm: 2)
        sig.regimeChange = change
        let e = AlertRules.evaluate(.init(now: now, indices: [sig, index([], slug: "cap")], regimeHistory: history))
        #expect(
            e.conditions == [AlertCondition(AlertKey(.regime, index: "sig"), "sig: regime low → medium (held 2 days)")])
    }

    @Test func dueRebalancesAndDeposits() {
        let e = AlertRules.evaluate(
            .init(
                now: now,
                indices: [
                    index([], slug: "a", band: nil, due: "scheduled", dca: true), index([], slug: "b", dca: true),
                ]))
        #expect(
            e.conditions.map(\.message) == ["a: rebalance due (scheduled); DCA deposit due", "b: DCA deposit due"])
    }

    @Test func keysWithinFourteenDaysExpiredOrRejected() {
        func key(
            _ id: String, _ v: UInt32 = 1, expires: Int64, usable: Bool = true, retired: Bool = false,
            rejected: Bool = false
        )
            -> AlertInputs.Key
        {
            .init(id: id, version: v, usable: usable, retired: retired, expires: expires, rejected: rejected)
        }
        let keys = [
            key("a/dev/read", expires: now + 14 * day),  // exactly 14 days: warned
            key("b/dev/read", expires: now + 14 * day + 1),  // a second more: not yet
            key("c/dev/read", expires: now),  // expires at now: expired
            key("d/dev/read", expires: now + 90 * day, rejected: true),
            key("e/dev/read", expires: now - day, usable: false, retired: true),  // deactivated: ignored
            key("f/dev/read", 1, expires: now - day), key("f/dev/read", 2, expires: now + 60 * day),  // rotated
            key("g/dev/read", expires: now + 36 * 3600),  // 1.5 days left: "2 days"
        ]
        let e = AlertRules.evaluate(.init(now: now, keys: keys))
        #expect(e.evaluated.contains(.key))
        #expect(
            e.conditions.map { "\($0.key.asset): \($0.message)" } == [
                "a/dev/read: key a/dev/read v1 expires in 14 days (2025-01-20T00:00:00Z)",
                "c/dev/read: key c/dev/read v1 expired on 2025-01-06T00:00:00Z",
                "d/dev/read: key d/dev/read v1 was rejected by its provider",
                "g/dev/read: key g/dev/read v1 expires in 2 days (2025-01-07T12:00:00Z)",
            ])
    }

    @Test func feedsStaleOrStopped() {
        let feeds: [AlertInputs.Feed] = [
            .init(name: "sim", staleAfter: 6, lastPriceTime: now - 7),
            .init(name: "file:/p", staleAfter: 6, lastPriceTime: now - 6),  // exactly at the threshold: fresh
            .init(name: "coingecko", staleAfter: 180, lastPriceTime: now, stoppedError: "API key rejected (HTTP 401)"),
        ]
        let e = AlertRules.evaluate(.init(now: now, feeds: feeds))
        #expect(
            e.conditions.map(\.message) == [
                "feed coingecko stopped: API key rejected (HTTP 401)",
                "feed sim is stale: last price 7 s ago (stale after 6 s)",
            ])
        #expect(e.covers(AlertKey(.feed, asset: "file:/p")))
        #expect(!e.covers(AlertKey(.feed, asset: "tokenmetrics")))  // not looked at: left alone
    }

    @Test func kindsNotLookedAtAreLeftAlone() {
        let e = AlertRules.evaluate(.init(now: now))
        #expect(e.evaluated == [.drift, .signal, .regime, .due])
        #expect(!e.covers(AlertKey(.key, asset: "a/dev/read")))
        #expect(e.covers(AlertKey(.drift, index: "gone")))
    }
}
