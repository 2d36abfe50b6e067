// libFuzzer harness for the audit-line parser, compiled together with Sources/Vault by
// .ci/fuzz-vault.sh. Not a SwiftPM target.
//
// Properties: no crash or hang; a refused line is an `.audit` error; an accepted line is written
// back canonically and parses to the same entry; the scanner's own-log check never traps.

@_cdecl("LLVMFuzzerTestOneInput")
public func vaultFuzzAuditLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let entry = try AuditEntry.parse(line: text)
        let again = try AuditEntry.parse(line: entry.line())
        precondition(again == entry && again.line() == entry.line(), "accepted line does not round-trip")
    } catch let error as VaultError {
        precondition(error.code == .audit, "unexpected error \(error)")
    } catch {
        preconditionFailure("unexpected error \(error)")
    }
    _ = ScanRules.isAuditEntry(bytes[...])
    return 0
}
