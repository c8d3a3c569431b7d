import Crypto
public import Foundation

/// Encrypts a secret's values into the row a ``SecretStore`` keeps, and decrypts them back.
///
/// Each seal makes a fresh 256-bit data key, seals the values (a JSON object, keys sorted) with it
/// using AES-GCM, and seals the data key with the keyring's current master key. The row's identity
/// is the associated data of both: (name, version) for the values, (name, version, master key
/// identifier) for the data key. A wrong master key, a changed byte, or a ciphertext moved to
/// another row or version fails AES-GCM's authentication: ``SecretError/undecryptable(secret:keyID:)``,
/// never wrong values.
public enum SecretSealing {
    /// Seals `values` as version `version` of the secret `name`.
    ///
    /// - Throws: ``SecretError/empty(_:)`` without values, ``SecretError/invalidKey(secret:key:)``
    ///   for a key that cannot name an environment variable.
    public static func seal(
        _ values: [String: String], name: String, version: Int, createdAt: Date, at date: Date = Date(), keyring: MasterKeyring
    ) throws -> EncryptedSecret {
        try validate(values.keys, secret: name)
        let dataKey = SymmetricKey(size: .bits256)
        let plaintext = try JSONEncoder.sortedKeys.encode(values)
        let masterKey = keyring.current
        let ciphertext = try AES.GCM.seal(plaintext, using: dataKey, authenticating: valueContext(name: name, version: version)).combined!
        let wrapped = try dataKey.withUnsafeBytes { bytes in
            try AES.GCM.seal(Data(bytes), using: masterKey.key, authenticating: keyContext(name: name, version: version, keyID: masterKey.id)).combined!
        }
        return EncryptedSecret(
            name: name, version: version, keys: values.keys.sorted(), masterKeyID: masterKey.id, wrappedKey: wrapped, ciphertext: ciphertext,
            createdAt: createdAt, updatedAt: date)
    }

    /// Opens a row: its values, by key.
    ///
    /// - Throws: ``SecretError/unknownMasterKey(secret:keyID:known:)`` when the keyring lacks the
    ///   row's master key; ``SecretError/undecryptable(secret:keyID:)`` when authentication fails,
    ///   or the keys decrypted are not those the row lists.
    public static func open(_ secret: EncryptedSecret, keyring: MasterKeyring) throws -> [String: String] {
        let dataKey = try unwrap(secret, keyring: keyring)
        let refused = SecretError.undecryptable(secret: secret.name, keyID: secret.masterKeyID)
        guard let box = try? AES.GCM.SealedBox(combined: secret.ciphertext),
            let plaintext = try? AES.GCM.open(box, using: dataKey, authenticating: valueContext(name: secret.name, version: secret.version)),
            let values = try? JSONDecoder().decode([String: String].self, from: plaintext),
            values.keys.sorted() == secret.keys
        else { throw refused }
        return values
    }

    /// The same row with its data key wrapped by the keyring's current master key instead; the
    /// values are not decrypted.
    public static func rewrap(_ secret: EncryptedSecret, keyring: MasterKeyring) throws -> EncryptedSecret {
        let dataKey = try unwrap(secret, keyring: keyring)
        var rewrapped = secret
        rewrapped.masterKeyID = keyring.current.id
        rewrapped.wrappedKey = try dataKey.withUnsafeBytes { bytes in
            try AES.GCM.seal(
                Data(bytes), using: keyring.current.key, authenticating: keyContext(name: secret.name, version: secret.version, keyID: keyring.current.id)
            ).combined!
        }
        return rewrapped
    }

    /// Checks that every key can name an environment variable, and that there is one at least.
    public static func validate(_ keys: some Collection<String>, secret: String) throws {
        guard !keys.isEmpty else { throw SecretError.empty(secret) }
        for key in keys.sorted() {
            let scalars = Array(key.unicodeScalars)
            let isValid =
                !scalars.isEmpty && !("0"..."9").contains(scalars[0])
                && scalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            guard isValid, key.utf8.count <= 200 else { throw SecretError.invalidKey(secret: secret, key: key) }
        }
    }

    /// The data key of a row, unwrapped by the master key it names.
    private static func unwrap(_ secret: EncryptedSecret, keyring: MasterKeyring) throws -> SymmetricKey {
        guard let masterKey = keyring.key(id: secret.masterKeyID) else {
            throw SecretError.unknownMasterKey(secret: secret.name, keyID: secret.masterKeyID, known: keyring.all.map(\.id))
        }
        guard let box = try? AES.GCM.SealedBox(combined: secret.wrappedKey),
            let bytes = try? AES.GCM.open(
                box, using: masterKey.key, authenticating: keyContext(name: secret.name, version: secret.version, keyID: masterKey.id)),
            bytes.count == 32
        else { throw SecretError.undecryptable(secret: secret.name, keyID: secret.masterKeyID) }
        return SymmetricKey(data: bytes)
    }

    /// The associated data of a row's values: what they are, and which row they belong to.
    private static func valueContext(name: String, version: Int) -> Data {
        Data("cairn secret values\0\(name)\0\(version)".utf8)
    }

    /// The associated data of a row's data key.
    private static func keyContext(name: String, version: Int, keyID: String) -> Data {
        Data("cairn secret data key\0\(name)\0\(version)\0\(keyID)".utf8)
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so that the same values always make the same plaintext.
    fileprivate static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
