public import Foundation

/// One secret as a ``SecretStore`` keeps it: its name and key names in the clear, its values
/// encrypted.
///
/// The values are a JSON object of key to value, sealed with AES-GCM under a data key of the
/// secret's own (``ciphertext``). The data key is sealed with the master key named ``masterKeyID``
/// (``wrappedKey``). Both are bound to the row: the values to (``name``, ``version``), the data key
/// to (``name``, ``version``, ``masterKeyID``), as associated data, so that a ciphertext copied to
/// another row, or an older version put back, does not decrypt. ``SecretSealing`` makes and opens it.
public struct EncryptedSecret: Sendable, Equatable, Codable {
    /// The secret's name.
    public var name: String
    /// Its version: 1 when created, one more at each update.
    public var version: Int
    /// The names of its keys, sorted: what `cairn secret list` shows without a master key.
    public var keys: [String]
    /// The identifier of the master key that wraps ``wrappedKey``.
    public var masterKeyID: String
    /// The data key, sealed by the master key (AES-GCM: nonce, ciphertext and tag).
    public var wrappedKey: Data
    /// The values, sealed by the data key (AES-GCM: nonce, ciphertext and tag).
    public var ciphertext: Data
    /// When the secret was created.
    public var createdAt: Date
    /// When this version was written.
    public var updatedAt: Date

    /// Makes a row.
    public init(
        name: String, version: Int, keys: [String], masterKeyID: String, wrappedKey: Data, ciphertext: Data, createdAt: Date, updatedAt: Date
    ) {
        self.name = name
        self.version = version
        self.keys = keys
        self.masterKeyID = masterKeyID
        self.wrappedKey = wrappedKey
        self.ciphertext = ciphertext
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
