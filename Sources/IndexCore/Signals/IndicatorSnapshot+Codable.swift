import Foundation

/// JSON in the field names of DESIGN §12 (`signals --json` → `indicators`), with `null` for a value without
/// enough history (never omitted), plus `bars`, `close`, `previous_rsi14` and `previous_sma50`.
extension IndicatorSnapshot {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case bars, close, sma20, sma50, sma200, ema12, ema26, rsi14, macd
        case macdSignal = "macd_signal"
        case macdHist = "macd_hist"
        case bbUpper = "bb_upper"
        case bbMiddle = "bb_middle"
        case bbLower = "bb_lower"
        case roc7, roc30, volatility30
        case volumeTrend = "volume_trend"
        case drawdown90
        case previousRSI14 = "previous_rsi14"
        case previousSMA50 = "previous_sma50"
    }

    /// Encodes every field; missing values as JSON `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bars, forKey: .bars)
        for key in CodingKeys.allCases where key != .bars {
            try c.encode(self[key], forKey: key)
        }
    }

    /// Decodes the fields written by ``encode(to:)``; absent or `null` values are nil.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(bars: try c.decodeIfPresent(Int.self, forKey: .bars) ?? 0)
        for key in CodingKeys.allCases where key != .bars {
            self[key] = try c.decodeIfPresent(Double.self, forKey: key)
        }
    }

    private subscript(key: CodingKeys) -> Double? {
        get {
            switch key {
            case .bars: return Double(bars)
            case .close: return close
            case .sma20: return sma20
            case .sma50: return sma50
            case .sma200: return sma200
            case .ema12: return ema12
            case .ema26: return ema26
            case .rsi14: return rsi14
            case .macd: return macd
            case .macdSignal: return macdSignal
            case .macdHist: return macdHist
            case .bbUpper: return bbUpper
            case .bbMiddle: return bbMiddle
            case .bbLower: return bbLower
            case .roc7: return roc7
            case .roc30: return roc30
            case .volatility30: return volatility30
            case .volumeTrend: return volumeTrend
            case .drawdown90: return drawdown90
            case .previousRSI14: return previousRSI14
            case .previousSMA50: return previousSMA50
            }
        }
        set {
            switch key {
            case .bars: bars = Int(newValue ?? 0)
            case .close: close = newValue
            case .sma20: sma20 = newValue
            case .sma50: sma50 = newValue
            case .sma200: sma200 = newValue
            case .ema12: ema12 = newValue
            case .ema26: ema26 = newValue
            case .rsi14: rsi14 = newValue
            case .macd: macd = newValue
            case .macdSignal: macdSignal = newValue
            case .macdHist: macdHist = newValue
            case .bbUpper: bbUpper = newValue
            case .bbMiddle: bbMiddle = newValue
            case .bbLower: bbLower = newValue
            case .roc7: roc7 = newValue
            case .roc30: roc30 = newValue
            case .volatility30: volatility30 = newValue
            case .volumeTrend: volumeTrend = newValue
            case .drawdown90: drawdown90 = newValue
            case .previousRSI14: previousRSI14 = newValue
            case .previousSMA50: previousSMA50 = newValue
            }
        }
    }
}
