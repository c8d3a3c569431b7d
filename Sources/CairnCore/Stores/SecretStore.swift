/// Where secrets are kept: encrypted rows, one per secret.
///
/// A store never sees a secret's values: ``SecretSealing`` encrypts them before they reach it and
/// decrypts them after they leave it, with a master key the store does not hold. A store keeps the
/// rows, and decides between writers: ``replaceSecret(_:ifStill:)`` is a conditional update, so
/// that of two processes that read one version and both write the next, one wins and the other
/// reads again.
///
/// `SQLiteMetadataStore` and `PostgreSQLMetadataStore` keep secrets beside the runs, as ZenML's SQL
/// store does; another backend (a vault, a cloud's secret manager) can conform on its own. Every
/// implementation passes `SecretStoreConformance` in `CairnTesting`.
public protocol SecretStore: Sendable {
    /// Adds a secret, whose ``EncryptedSecret/version`` is its first.
    ///
    /// - Throws: ``SecretError/exists(_:)`` when a secret has this name.
    func insertSecret(_ secret: EncryptedSecret) async throws

    /// Replaces the row of `secret.name` with `secret`, if the stored row is still `current`: the
    /// same version, wrapped by the same master key.
    ///
    /// - Returns: `false` when another writer changed or deleted the row since `current` was read.
    func replaceSecret(_ secret: EncryptedSecret, ifStill current: EncryptedSecret) async throws -> Bool

    /// The row of the secret named `name`, or `nil`.
    func secret(named name: String) async throws -> EncryptedSecret?

    /// Every secret's row, by name.
    func secrets() async throws -> [EncryptedSecret]

    /// Deletes the secret named `name`; returns whether there was one.
    func deleteSecret(named name: String) async throws -> Bool
}
