import Foundation

/// The scanner's rules, each linear in the line: token rules check a whole token (anchored),
/// assignments are parsed outwards from their operator with bounded look-back.
enum ScanRules {
    // MARK: Bytes

    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }
    static func isHexLower(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) }
    static func isBase64(_ c: UInt8) -> Bool { isAlnum(c) || c == 43 || c == 47 }  // + /
    /// Token characters: the `edge` class of every provider pattern, `[A-Za-z0-9+/_-]`.
    static func isToken(_ c: UInt8) -> Bool { isBase64(c) || c == 95 || c == 45 }
    /// Characters of an assigned value, `[A-Za-z0-9+/_.-]` (then up to two `=` of padding).
    static func isValue(_ c: UInt8) -> Bool { isToken(c) || c == 46 }
    /// Characters of a name on the left of an assignment.
    static func isName(_ c: UInt8) -> Bool { isAlnum(c) || c == 95 || c == 45 || c == 46 }
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }
    static func isQuote(_ c: UInt8) -> Bool { c == 34 || c == 39 || c == 96 }
    static func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }

    static func string(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Whether `needle` (lower-case ASCII) occurs in `hay` compared case-insensitively, with an
    /// optional check of the byte before each occurrence.
    static func containsWord(_ hay: [UInt8], _ needle: String, before: ((UInt8?) -> Bool)? = nil) -> Bool {
        let n = Array(needle.utf8)
        guard hay.count >= n.count else { return false }
        var i = 0
        while i + n.count <= hay.count {
            var j = 0
            while j < n.count && hay[i + j] == n[j] { j += 1 }
            if j == n.count, before?(i > 0 ? hay[i - 1] : nil) ?? true { return true }
            i += 1
        }
        return false
    }

    // MARK: Keywords

    /// The provider keywords on a line: `binance`, `kraken`, `coinbase` (also a word `cdp`),
    /// `kucoin`, `tokenmetrics` (`token metrics` with `_`, `.` or `-`, or a word `tm-api`/`tm_api`).
    static func keywords(in line: ArraySlice<UInt8>) -> Set<String> {
        let low = line.map(lower)
        var found: Set<String> = []
        let wordStart: (UInt8?) -> Bool = { $0.map { !isAlnum($0) } ?? true }
        for name in ["binance", "kraken", "coinbase", "kucoin"] where containsWord(low, name) { found.insert(name) }
        if containsWord(low, "cdp", before: wordStart) { found.insert("coinbase") }
        let squeezed = low.filter { $0 != 95 && $0 != 46 && $0 != 45 }
        if containsWord(squeezed, "tokenmetrics") { found.insert("tokenmetrics") }
        for spelling in ["tmapi", "tm-api", "tm_api"] where containsWord(low, spelling, before: wordStart) {
            found.insert("tokenmetrics")
        }
        return found
    }

    // MARK: Tokens

    /// Maximal runs of token characters of 20–512 bytes (no provider key is shorter or longer),
    /// each with up to two `=` of padding when the padding ends the run.
    static func tokens(_ line: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        var i = line.startIndex
        while i < line.endIndex {
            guard isToken(line[i]) else {
                i += 1
                continue
            }
            let start = i
            while i < line.endIndex && isToken(line[i]) { i += 1 }
            var end = i
            var pad = 0
            while end < line.endIndex && line[end] == 61 && pad < 2 {
                end += 1
                pad += 1
            }
            if pad > 0 && end < line.endIndex && isToken(line[end]) { end = i }
            if (20...512).contains(end - start) { out.append(string(line[start..<end])) }
            i = max(end, i)
        }
        return out
    }

    static func isUUID(_ t: [UInt8]) -> Bool {
        guard t.count == 36 else { return false }
        for (i, c) in t.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard c == 45 else { return false }
            } else {
                guard isHexLower(lower(c)) else { return false }
            }
        }
        return true
    }

    /// The provider rule a whole token matches, given the keywords in the window.
    static func providerRule(_ token: String, context: Set<String>, line: ArraySlice<UInt8>) -> String? {
        let t = Array(token.utf8)
        let entropy = SecretScanner.entropy(token)
        guard !SecretScanner.isPlaceholder(token) else { return nil }
        let allAlnum = t.allSatisfy(isAlnum)
        func base64(_ count: Int, padded: Bool) -> Bool {
            padded
                ? t.count == count + 2 && t[count...].allSatisfy { $0 == 61 } && t[..<count].allSatisfy(isBase64)
                : t.count == count && t.allSatisfy(isBase64)
        }
        if token.hasPrefix("CG-"), (23...43).contains(t.count), t[3...].allSatisfy(isAlnum), entropy >= 3.0 {
            return "coingecko-demo"
        }
        if context.contains("binance"), t.count == 64, allAlnum, entropy >= 3.5 { return "binance" }
        if context.contains("kraken"), base64(86, padded: true) || base64(56, padded: false), entropy >= 3.5 {
            return "kraken"
        }
        if context.contains("coinbase"), entropy >= 3.5 {
            let unpadded = t.prefix { $0 != 61 }
            if base64(86, padded: true) || (t.count == 32 && allAlnum)
                || (unpadded.count >= 40 && unpadded.allSatisfy(isBase64) && t.count - unpadded.count <= 2)
            {
                return "coinbase"
            }
        }
        if context.contains("kucoin") {
            // KuCoin: the key is 24 lower-case hex digits, the secret a UUID.
            if t.count == 24, t.allSatisfy(isHexLower), entropy >= 3.0 { return "kucoin" }
            if isUUID(t), entropy >= 3.0 { return "kucoin" }
        }
        if context.contains("tokenmetrics"), entropy >= 3.5 {
            if token.hasPrefix("tm-"), t.count >= 23, t[3...].allSatisfy({ isAlnum($0) || $0 == 45 }) {
                return "tokenmetrics"
            }
            if t.count >= 24, t.allSatisfy({ isAlnum($0) || $0 == 95 || $0 == 45 }) { return "tokenmetrics" }
        }
        return nil
    }

    // MARK: Assignments

    /// Name fragments (lower case, without `_`, `.`, `-`) that make an assignment secret-bearing.
    static let secretNames = [
        "apikey", "apisecret", "secret", "token", "passphrase", "password", "privatekey", "accesskey",
    ]

    /// Values assigned to secret-looking names: `name = v`, `name: v`, `name := v`, `name => v`,
    /// `name ?= v`, `name: Type = v`, `"name": "v"`, and calls `f("name", "v")` (as
    /// `setProperty("x.secret", "...")`). A value is 16–512 characters of `[A-Za-z0-9+/_.-]` plus
    /// padding, with a letter, a digit and at least 3.5 bits of entropy per character, and not a
    /// placeholder; a UUID counts only when the name says `secret`.
    static func assignedSecrets(_ line: ArraySlice<UInt8>) -> [String] {
        var out: [String] = []
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            defer { i += 1 }
            guard c == 61 || c == 58 || c == 44 else { continue }  // = : ,
            let next: UInt8? = i + 1 < line.endIndex ? line[i + 1] : nil
            let prev: UInt8? = i > line.startIndex ? line[i - 1] : nil
            var left = i - 1
            var right = i + 1
            switch c {
            case 61:
                if next == 61 || prev == 61 || prev == 33 || prev == 60 || prev == 62 { continue }  // == != <= >=
                if next == 62 { right += 1 }  // =>
                if prev == 58 || prev == 63 || prev == 43 { left -= 1 }  // := ?= +=
            case 58:
                if next == 61 || next == 58 || prev == 58 { continue }  // := (at '='), ::
            default:
                break
            }
            guard let name = nameBefore(line, left, call: c == 44), let value = valueAfter(line, right, call: c == 44)
            else { continue }
            let squeezed = String(decoding: name.map(lower).filter { $0 != 95 && $0 != 46 && $0 != 45 }, as: UTF8.self)
            guard secretNames.contains(where: squeezed.contains) else { continue }
            let v = Array(value.utf8)
            if isUUID(v) {
                if squeezed.contains("secret") { out.append(value) }
                continue
            }
            guard v.contains(where: { $0 >= 48 && $0 <= 57 }),
                v.contains(where: { (65...90).contains($0) || (97...122).contains($0) }),
                SecretScanner.entropy(value) >= 3.5, !SecretScanner.isPlaceholder(value)
            else { continue }
            out.append(value)
        }
        return out
    }

    /// The name ending at `index` (going left): spaces, an optional closing quote, the name; a
    /// type annotation `name: Type` gives `name`. For a call argument (`call`) the name must be quoted.
    static func nameBefore(_ line: ArraySlice<UInt8>, _ index: Int, call: Bool) -> ArraySlice<UInt8>? {
        var j = index
        func skipSpaces() { while j >= line.startIndex && index - j < 16 && isSpace(line[j]) { j -= 1 } }
        func identifier() -> ArraySlice<UInt8>? {
            let end = j
            while j >= line.startIndex && end - j < 64 && isName(line[j]) { j -= 1 }
            return j < end ? line[(j + 1)...end] : nil
        }
        skipSpaces()
        guard j >= line.startIndex else { return nil }
        let quoted = isQuote(line[j])
        if quoted { j -= 1 } else if call { return nil }
        guard let first = identifier() else { return nil }
        if quoted || call { return first }
        // `name: Type = value`: the identifier just read is the type.
        let save = j
        skipSpaces()
        if j >= line.startIndex && line[j] == 58 {
            j -= 1
            skipSpaces()
            if let name = identifier() { return name }
        }
        j = save
        return first
    }

    /// The value starting at `index`: spaces, an optional opening quote, then 16–512 value
    /// characters and up to two `=`. For a call argument (`call`) the value must be quoted.
    static func valueAfter(_ line: ArraySlice<UInt8>, _ index: Int, call: Bool) -> String? {
        var j = index
        while j < line.endIndex && j - index < 16 && isSpace(line[j]) { j += 1 }
        guard j < line.endIndex else { return nil }
        if isQuote(line[j]) { j += 1 } else if call { return nil }
        let start = j
        while j < line.endIndex && j - start <= 512 && isValue(line[j]) { j += 1 }
        var end = j
        while end < line.endIndex && line[end] == 61 && end - j < 2 { end += 1 }
        guard (16...512).contains(j - start) else { return nil }
        return string(line[start..<end])
    }

    // MARK: PEM and the audit log

    /// A PEM private key starting on `lines[index]` (`-----BEGIN ... PRIVATE KEY-----`), also
    /// inside a JSON string with `\n` escapes (a Coinbase CDP key file): its base64 body, read on
    /// that line and up to 64 lines below until `-----END`; nil without a marker or with a body
    /// under 40 base64 characters (a placeholder like `...`).
    static func privateKey(lines: [ArraySlice<UInt8>], at index: Int) -> String? {
        let line = Array(lines[index])
        let begin = Array("-----BEGIN ".utf8)
        let tail = Array("PRIVATE KEY-----".utf8)
        guard let b = find(begin, in: line, from: 0), let t = find(tail, in: line, from: b + begin.count),
            t - (b + begin.count) <= 24
        else { return nil }
        var body: [UInt8] = []
        var ended = false
        func collect(_ bytes: [UInt8], from: Int) {
            let stop = find(Array("-----END".utf8), in: bytes, from: from)
            var k = from
            let limit = stop ?? bytes.count
            while k < limit {
                if bytes[k] == 92 {  // a backslash escape such as \n
                    k += 2
                    continue
                }
                if isBase64(bytes[k]) || bytes[k] == 61 { body.append(bytes[k]) }
                k += 1
            }
            if stop != nil { ended = true }
        }
        collect(line, from: t + tail.count)
        var next = index + 1
        while !ended && next < lines.count && next - index <= 64 {
            collect(Array(lines[next]), from: 0)
            next += 1
        }
        let text = String(decoding: body, as: UTF8.self)
        guard body.filter({ $0 != 61 }).count >= 40, !SecretScanner.isPlaceholder(text) else { return nil }
        return text
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// A line of indextop's own audit log (its MACs and fingerprints are not secrets): a JSON
    /// entry in exactly the canonical form `AuditLog` writes.
    static func isAuditEntry(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.starts(with: Array("{\"action\":\"".utf8)) else { return false }
        let text = string(line)
        guard text.contains(",\"mac\":\""), let entry = try? AuditEntry.parse(line: text) else { return false }
        return entry.line() == text
    }
}
