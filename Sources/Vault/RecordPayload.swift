import COpenSSL
import Foundation

/// The decrypted plaintext of a record: `{"key": "...", "secret": "...", "label": "..."}` (UTF-8 JSON).
///
/// `key` is the public half of a key pair (empty when the provider issues a single secret),
/// `secret` the secret half. Unknown fields written by other implementations are ignored.
struct RecordPayload {
    var key: String
    var secret: SecretBytes
    var label: String

    /// Serialises into a secret buffer; the intermediate byte array is wiped.
    func encoded() -> SecretBytes {
        var out: [UInt8] = Array("{\"key\":".utf8)
        RecordPayload.appendJSONString(Array(key.utf8), to: &out)
        out += Array(",\"label\":".utf8)
        RecordPayload.appendJSONString(Array(label.utf8), to: &out)
        out += Array(",\"secret\":".utf8)
        var secretBytes = secret.withUnsafeBytes { Array($0) }
        RecordPayload.appendJSONString(secretBytes, to: &out)
        Crypto.cleanse(&secretBytes)
        out.append(UInt8(ascii: "}"))
        let result = out.withUnsafeBytes { SecretBytes(copying: $0) }
        Crypto.cleanse(&out)
        return result
    }

    /// Parses decrypted JSON. Foundation's parser makes transient copies that cannot be wiped.
    static func decode(_ plaintext: SecretBytes) throws -> RecordPayload {
        let data = plaintext.withUnsafeBytes { Data($0) }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let secret = object["secret"] as? String
        else {
            throw VaultError(.format, "record plaintext is not the expected JSON object")
        }
        return RecordPayload(
            key: object["key"] as? String ?? "", secret: SecretBytes(secret), label: object["label"] as? String ?? "")
    }

    /// Appends `bytes` (UTF-8) as a JSON string literal, escaped as RFC 8785 (and Python's
    /// `json.dumps(..., ensure_ascii=False)`) does: `\"` `\\` `\b` `\t` `\n` `\f` `\r`, other
    /// bytes below 0x20 as `\u00xx` (lower-case hex), everything else as is. The audit chain's
    /// canonical form depends on these exact bytes.
    static func appendJSONString(_ bytes: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
