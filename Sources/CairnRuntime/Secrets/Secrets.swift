public import CairnCore
public import Foundation

/// A stack's secrets: named sets of key/value pairs, encrypted at rest, that steps receive as
/// environment variables.
///
/// ```swift
/// let secrets = stack.secrets
/// try await secrets.create("api_keys", values: ["token": token])
/// try await secrets.update("api_keys", setting: ["region": "eu-west-1"])
/// let values = try await secrets.values(of: "api_keys")     // ["region": …, "token": …]
/// let rotation = try await secrets.rotateKey()              // a new master key wraps every data key
/// ```
///
/// Values are sealed here (``SecretSealing``), with the master keys of ``keys``, before they reach
/// the ``SecretStore``, which keeps only ciphertext. Listing needs no key; storing and reading do.
public struct Secrets: Sendable {
    /// Where the encrypted rows are kept.
    public let store: any SecretStore
    /// Where the master keys come from.
    public let keys: SecretKeySource

    /// Manages the secrets of `store` with the master keys of `keys`.
    public init(store: any SecretStore, keys: SecretKeySource) {
        self.store = store
        self.keys = keys
    }

    /// How many times an update reads again after another writer changed the secret first.
    private static let attempts = 50

    /// Creates a secret.
    ///
    /// - Throws: ``SecretError/exists(_:)``, ``SecretError/noMasterKey(reason:)``, or
    ///   `CairnError.invalidName` for a name outside letters, digits, `_`, `-` and `.`.
    public func create(_ name: String, values: [String: String], at date: Date = Date()) async throws {
        try Names.validate(name, kind: "secret")
        let keyring = try keys.keyring(creating: true)
        try await store.insertSecret(SecretSealing.seal(values, name: name, version: 1, createdAt: date, at: date, keyring: keyring))
    }

    /// Sets keys of a secret (replacing their values) and removes others, as a new version; returns
    /// that version.
    ///
    /// Two writers updating one secret at once both succeed, one after the other: the second reads
    /// the first's version and applies its change to it. Each version is sealed whole.
    @discardableResult
    public func update(_ name: String, setting values: [String: String] = [:], removing removed: [String] = [], at date: Date = Date())
        async throws -> Int
    {
        let keyring = try keys.keyring(creating: false)
        for _ in 0..<Self.attempts {
            let current = try await row(named: name)
            var merged = try SecretSealing.open(current, keyring: keyring)
            for key in removed {
                guard merged.removeValue(forKey: key) != nil else {
                    throw CairnError.notFound(kind: "key in secret '\(name)'", name: key, suggestion: Suggestion.closest(to: key, in: current.keys))
                }
            }
            merged.merge(values) { _, new in new }
            let next = try SecretSealing.seal(merged, name: name, version: current.version + 1, createdAt: current.createdAt, at: date, keyring: keyring)
            if try await store.replaceSecret(next, ifStill: current) { return next.version }
        }
        throw SecretError.conflict(name)
    }

    /// The values of a secret, by key.
    public func values(of name: String) async throws -> [String: String] {
        let keyring = try keys.keyring(creating: false)
        return try SecretSealing.open(try await row(named: name), keyring: keyring)
    }

    /// Every secret, by name, without values: this needs no master key.
    public func list() async throws -> [SecretSummary] {
        try await store.secrets().map(Self.summary)
    }

    /// One secret, without its values.
    public func summary(of name: String) async throws -> SecretSummary {
        Self.summary(try await row(named: name))
    }

    /// Deletes a secret.
    public func delete(_ name: String) async throws {
        guard try await store.deleteSecret(named: name) else { throw try await notFound(name) }
    }

    /// Wraps every secret's data key with a new master key; values are not decrypted.
    ///
    /// With a key file, the new key is made and written first, beside the old ones, so that an
    /// interrupted rotation leaves every secret readable; once every secret is re-wrapped the file
    /// keeps the new key only. Keys from an environment variable cannot be changed by Cairn: pass
    /// the new key as `newKey`, then put it in the variable in place of the old.
    ///
    /// - Parameter newKey: The key to rotate to; by default, a new random one (key files only).
    public func rotateKey(to newKey: MasterKey? = nil) async throws -> KeyRotation {
        let old = try keys.keyring(creating: false)
        guard newKey != nil || isFile else {
            throw SecretError.noMasterKey(reason: "\(keys) cannot be changed by Cairn: give the new key (--new-key-env VARIABLE)")
        }
        let keyring = MasterKeyring(current: newKey ?? .generate(), retired: old.all)
        if isFile { try keys.replace(with: keyring) }
        var rewrapped = 0
        for _ in 0..<Self.attempts {
            let stale = try await store.secrets().filter { $0.masterKeyID != keyring.current.id }
            if stale.isEmpty {
                if isFile { try keys.replace(with: MasterKeyring(current: keyring.current)) }
                return KeyRotation(keyID: keyring.current.id, previousKeyIDs: old.all.map(\.id), rewrapped: rewrapped)
            }
            for secret in stale {
                // A secret another writer changed meanwhile is left for the next pass.
                if try await store.replaceSecret(SecretSealing.rewrap(secret, keyring: keyring), ifStill: secret) { rewrapped += 1 }
            }
        }
        throw SecretError.conflict("(every secret)")
    }

    /// Whether the keys are in a file, which a rotation rewrites.
    private var isFile: Bool {
        if case .file = keys { true } else { false }
    }

    private func row(named name: String) async throws -> EncryptedSecret {
        guard let row = try await store.secret(named: name) else { throw try await notFound(name) }
        return row
    }

    private func notFound(_ name: String) async throws -> SecretError {
        .notFound(name, suggestion: Suggestion.closest(to: name, in: try await store.secrets().map(\.name)))
    }

    private static func summary(_ row: EncryptedSecret) -> SecretSummary {
        SecretSummary(
            name: row.name, keys: row.keys, version: row.version, masterKeyID: row.masterKeyID, createdAt: row.createdAt, updatedAt: row.updatedAt)
    }
}
