/// The one number parser of every input (prices, market caps, volumes, scores, amounts).
///
/// Accepts decimal text only: `[+|-]digits[.digits][(e|E)[+|-]digits]` (or `.5`, `5.`), nothing before
/// or after it (callers trim the spaces their format allows). Refused: hex (`0x10`), `inf`/`nan`,
/// digit separators, embedded NUL or any trailing byte (`1<NUL>2`), values that overflow to infinity,
/// and nonzero values below the smallest normal double (`1e-320`, whose digits a double cannot hold).
/// The result is the correctly rounded double. Pure and allocation-free for ordinary numbers.
public enum StrictNumber {
    /// Why text is not an acceptable number.
    public enum Problem: Error, Sendable, Equatable {
        /// Empty text.
        case empty
        /// Not decimal number syntax (hex, words, trailing bytes...).
        case notDecimal
        /// Too large in magnitude for a double (or for the caller's range).
        case tooLarge
        /// Nonzero but below the smallest normal double (2.2e-308).
        case tooSmall
    }

    /// The longest number text accepted, in bytes (longer is refused as not decimal).
    public static let maxLength = 64

    /// Parses `bytes` strictly. Returns the value or the problem.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Double, Problem> {
        let n = bytes.count
        guard n > 0 else { return .failure(.empty) }
        guard n <= maxLength else { return .failure(.notDecimal) }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var dropped = 0  // integer digits beyond 19 significant ones
        var digits = 0
        var fractionDigits = 0
        while i < n, bytes[i] &- 48 < 10 {
            let d = UInt64(bytes[i] &- 48)
            if significant < 19 {
                if mantissa != 0 || d != 0 {
                    mantissa = mantissa * 10 + d
                    significant += 1
                }
            } else {
                dropped += 1
            }
            digits += 1
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- 48 < 10 {
                let d = UInt64(bytes[i] &- 48)
                if significant < 19 {
                    if mantissa != 0 || d != 0 {
                        mantissa = mantissa * 10 + d
                        significant += 1
                    }
                    fractionDigits += 1
                }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return .failure(.notDecimal) }
        var exponent = 0
        if i < n, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            let start = i
            while i < n, bytes[i] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] &- 48) }
                i += 1
            }
            guard i > start else { return .failure(.notDecimal) }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return .failure(.notDecimal) }
        let value: Double
        let scale = exponent + dropped - fractionDigits
        if mantissa == 0 {
            value = 0
        } else if mantissa <= 1 << 53, (-22...22).contains(scale) {
            // Clinger's fast path: both operands exact, so one rounding gives the correctly rounded result.
            let m = Double(mantissa)
            value = scale >= 0 ? m * powersOfTen[scale] : m / powersOfTen[-scale]
        } else {
            // Rare (long or extreme numbers): the standard library's correctly rounded conversion.
            guard let v = Double(String(decoding: bytes, as: UTF8.self)) else { return .failure(.notDecimal) }
            value = abs(v)
        }
        if value.isInfinite { return .failure(.tooLarge) }
        if value != 0, value < Double.leastNormalMagnitude { return .failure(.tooSmall) }
        return .success(negative ? -value : value)
    }

    /// Parses `text` strictly (see the type's rules).
    public static func parse(_ text: some StringProtocol) -> Result<Double, Problem> {
        var s = String(text)
        return s.withUTF8 { parse($0) }
    }

    /// Parses `bytes` and checks `range`, throwing an `InputError` that quotes the value (≤ 80 chars).
    /// - Parameters:
    ///   - range: the accepted values; a value outside it says which bound it breaks.
    ///   - exclusiveLower: the lower bound itself is refused (prices must be > 0).
    public static func value(
        _ bytes: UnsafeBufferPointer<UInt8>, in range: ClosedRange<Double>, exclusiveLower: Bool = false,
        file: String, line: Int?, field: String
    ) throws -> Double {
        try check(parse(bytes), quoted: { InputError.quote(bytes: bytes) }, range, exclusiveLower, file, line, field)
    }

    /// The `String` form of ``value(_:in:exclusiveLower:file:line:field:)-(UnsafeBufferPointer<UInt8>,_,_,_,_,_)``.
    public static func value(
        _ text: some StringProtocol, in range: ClosedRange<Double>, exclusiveLower: Bool = false, file: String,
        line: Int?, field: String
    ) throws -> Double {
        try check(parse(text), quoted: { InputError.quote(text) }, range, exclusiveLower, file, line, field)
    }

    /// The message for a problem, quoting the value.
    public static func message(_ problem: Problem, quoted: String) -> String {
        switch problem {
        case .empty: return "missing"
        case .notDecimal: return "\(quoted) is not a decimal number"
        case .tooLarge: return "\(quoted) is too large"
        case .tooSmall: return "\(quoted) is too small (below 2.2e-308; use 0 or a larger value)"
        }
    }

    private static func check(
        _ result: Result<Double, Problem>, quoted: () -> String, _ range: ClosedRange<Double>, _ exclusiveLower: Bool,
        _ file: String, _ line: Int?, _ field: String
    ) throws -> Double {
        switch result {
        case .failure(let p):
            throw InputError(file: file, line: line, field: field, message(p, quoted: quoted()))
        case .success(let v):
            if exclusiveLower ? v <= range.lowerBound : v < range.lowerBound {
                throw InputError(
                    file: file, line: line, field: field,
                    "\(quoted()) must be \(exclusiveLower ? ">" : "≥") \(format(range.lowerBound))")
            }
            if v > range.upperBound {
                throw InputError(
                    file: file, line: line, field: field, "\(quoted()) must be ≤ \(format(range.upperBound))")
            }
            return v
        }
    }

    /// A bound as short text (`0`, `1e+15`, `-1`).
    static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e6 ? String(Int64(v)) : "\(v)"
    }

    private static let powersOfTen: [Double] = (0...22).map { e in
        var p = 1.0
        for _ in 0..<e { p *= 10 }
        return p
    }
}

/// The accepted ranges of each kind of number, in one place (issue: "in range").
public enum NumberLimits {
    /// Prices in USD: > 0 and at most 1e12 (no asset trades above a trillion dollars a unit).
    public static let price: ClosedRange<Double> = 0...1e12
    /// Market caps and 24 h volumes in USD: 0 to 1e15 (far above the whole crypto market).
    public static let marketValue: ClosedRange<Double> = 0...1e15
    /// Signal scores: −1 to +1.
    public static let score: ClosedRange<Double> = -1...1
    /// Deposit and withdrawal amounts in USD: > 0 and at most 1e12, so sums of NAVs stay finite and exact
    /// to the cent.
    public static let cashAmount: ClosedRange<Double> = 0...1e12
}
