public import CairnCore
import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Secrets

    /// Adds a secret: one statement; the primary key refuses a name taken.
    public func insertSecret(_ secret: EncryptedSecret) async throws {
        let keys = CanonicalJSON.string(encoding: .array(secret.keys.map(JSONValue.string)))
        do {
            _ = try await rawRows(
                """
                INSERT INTO secret (name, version, keys, master_key_id, wrapped_key, ciphertext, created_at, updated_at)
                VALUES (\(secret.name), \(secret.version), \(keys), \(secret.masterKeyID), \(secret.wrappedKey), \(secret.ciphertext),
                    \(secret.createdAt), \(secret.updatedAt))
                """)
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw SecretError.exists(secret.name)
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// Replaces a secret's row if it is still `current`: one conditional update.
    public func replaceSecret(_ secret: EncryptedSecret, ifStill current: EncryptedSecret) async throws -> Bool {
        let keys = CanonicalJSON.string(encoding: .array(secret.keys.map(JSONValue.string)))
        let rows = try await rows(
            """
            UPDATE secret SET version = \(secret.version), keys = \(keys), master_key_id = \(secret.masterKeyID),
                wrapped_key = \(secret.wrappedKey), ciphertext = \(secret.ciphertext), updated_at = \(secret.updatedAt)
            WHERE name = \(current.name) AND version = \(current.version) AND master_key_id = \(current.masterKeyID)
            RETURNING name
            """)
        return rows.count == 1
    }

    /// The row of one secret.
    public func secret(named name: String) async throws -> EncryptedSecret? {
        try await rows("SELECT * FROM secret WHERE name = \(name)").first.map(Self.secret(from:))
    }

    /// Every secret's row, by name.
    public func secrets() async throws -> [EncryptedSecret] {
        try await rows("SELECT * FROM secret ORDER BY name").map(Self.secret(from:))
    }

    /// Deletes one secret.
    public func deleteSecret(named name: String) async throws -> Bool {
        try await rows("DELETE FROM secret WHERE name = \(name) RETURNING name").count == 1
    }

    private static func secret(from row: PostgresRandomAccessRow) throws -> EncryptedSecret {
        EncryptedSecret(
            name: try row["name"].decode(String.self), version: try row["version"].decode(Int.self),
            keys: try CanonicalJSON.decode([String].self, from: row["keys"].decode(String.self)),
            masterKeyID: try row["master_key_id"].decode(String.self), wrappedKey: try row["wrapped_key"].decode(Data.self),
            ciphertext: try row["ciphertext"].decode(Data.self), createdAt: try row["created_at"].decode(Date.self),
            updatedAt: try row["updated_at"].decode(Date.self))
    }
}
