import IndexCore

extension PortfolioStore {
    /// True when `index` has work due at `time`: a rebalance `dueTrigger` names (schedule, risk-off, absolute
    /// or relative drift band) or a DCA deposit. The one rule behind `rebalance --due` and the dashboard's
    /// DUE marker. `valuation`: the index valued at `time` when the caller has it.
    public func isDue(_ index: IndexRecord, at time: Int64, valuation: IndexValuation? = nil) throws -> Bool {
        if try dueTrigger(index, at: time, valuation: valuation) != nil { return true }
        return try nextDCA(index).map { $0 <= time } ?? false
    }
}
