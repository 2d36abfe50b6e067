// libFuzzer harness for the IDXV1 decoder, compiled together with Sources/Vault by
// .ci/fuzz-vault.sh (one module, so the internal parser is reachable). Not a SwiftPM target.
//
// Properties: no crash or hang; a refused file is a `.format` error and never reaches the KDF;
// an accepted file re-encodes to exactly its bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func vaultFuzzIDXV1(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let image = try IDXV1.parse(bytes)
        precondition(image.encodedBody() + image.mac == bytes, "accepted file does not round-trip")
        _ = try? VaultCodec.open(bytes: bytes) { kdf, _ in
            precondition((try? kdf.validate()) != nil, "KDF parameters out of bounds reached the KDF")
            return [UInt8](repeating: 9, count: 32).withUnsafeBytes { SecretBytes(copying: $0) }
        }
    } catch let error as VaultError {
        precondition(error.code == .format, "unexpected error \(error)")
        _ = try? VaultCodec.open(bytes: bytes) { _, _ in preconditionFailure("a malformed file reached the KDF") }
    } catch {
        preconditionFailure("unexpected error \(error)")
    }
    return 0
}
