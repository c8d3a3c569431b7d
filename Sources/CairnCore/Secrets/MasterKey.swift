public import Crypto
import Foundation

/// A master key: a 256-bit AES key and the identifier stored with every data key it wraps.
///
/// Written as `ID:BASE64` (`k1:3q2+7w…`), one per line in a key file or comma-separated in an
/// environment variable. The identifier lets `cairn secret rotate-key` know which rows a new key
/// has re-wrapped already.
public struct MasterKey: Sendable, Equatable {
    /// The key's identifier: letters, digits, `_`, `-` and `.`.
    public let id: String
    /// The key.
    public let key: SymmetricKey

    /// Makes a master key from an identifier and 32 bytes.
    public init(id: String, key: SymmetricKey) {
        self.id = id
        self.key = key
    }

    /// A new random key with a new random identifier (`k-` and 8 hexadecimal digits).
    public static func generate() -> MasterKey {
        let suffix = (0..<4).map { _ in UInt8.random(in: 0...255) }.hexString
        return MasterKey(id: "k-" + suffix, key: SymmetricKey(size: .bits256))
    }

    /// Reads `ID:BASE64`; `source` names where it came from, in errors (never the key itself).
    public init(parsing text: some StringProtocol, source: String) throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else {
            throw SecretError.invalidMasterKey(source: source, reason: "a key is written ID:BASE64 (its identifier, a colon, then 32 bytes in base64)")
        }
        let id = String(parts[0])
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || "_-.".unicodeScalars.contains($0) })
        else {
            throw SecretError.invalidMasterKey(source: source, reason: "a key's identifier is letters, digits, '_', '-' and '.'")
        }
        guard let bytes = Data(base64Encoded: String(parts[1])), bytes.count == 32 else {
            throw SecretError.invalidMasterKey(source: source, reason: "key '\(id)' is not 32 bytes in base64 (make one with `openssl rand -base64 32`)")
        }
        self.init(id: id, key: SymmetricKey(data: bytes))
    }

    /// The key as `ID:BASE64`, as a key file holds it.
    public var text: String {
        id + ":" + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Two keys are equal when their identifiers and bytes are.
    public static func == (lhs: MasterKey, rhs: MasterKey) -> Bool {
        lhs.id == rhs.id && lhs.key == rhs.key
    }
}
