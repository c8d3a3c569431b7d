public import CairnCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Secrets

    /// The table of secrets: one row a secret, its values sealed (see ``EncryptedSecret``).
    static func createSecretTable(_ db: Database) throws {
        try db.create(table: "secret", options: .withoutRowID) { t in
            t.primaryKey("name", .text)
            t.column("version", .integer).notNull()
            t.column("keys", .text).notNull()
            t.column("masterKeyID", .text).notNull()
            t.column("wrappedKey", .blob).notNull()
            t.column("ciphertext", .blob).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
    }

    /// Adds a secret.
    public func insertSecret(_ secret: EncryptedSecret) async throws {
        let keys = try CanonicalJSON.text(encoding: secret.keys)
        do {
            try await write { db in
                try db.execute(
                    sql: """
                        INSERT INTO secret (name, version, keys, masterKeyID, wrappedKey, ciphertext, createdAt, updatedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        secret.name, secret.version, keys, secret.masterKeyID, secret.wrappedKey, secret.ciphertext,
                        DatabaseDate.value(secret.createdAt), DatabaseDate.value(secret.updatedAt),
                    ])
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw SecretError.exists(secret.name)
        }
    }

    /// Replaces a secret's row if it is still `current`: one conditional update.
    public func replaceSecret(_ secret: EncryptedSecret, ifStill current: EncryptedSecret) async throws -> Bool {
        let keys = try CanonicalJSON.text(encoding: secret.keys)
        return try await write { db in
            try db.execute(
                sql: """
                    UPDATE secret SET version = ?, keys = ?, masterKeyID = ?, wrappedKey = ?, ciphertext = ?, updatedAt = ?
                    WHERE name = ? AND version = ? AND masterKeyID = ?
                    """,
                arguments: [
                    secret.version, keys, secret.masterKeyID, secret.wrappedKey, secret.ciphertext, DatabaseDate.value(secret.updatedAt),
                    current.name, current.version, current.masterKeyID,
                ])
            return db.changesCount == 1
        }
    }

    /// The row of one secret.
    public func secret(named name: String) async throws -> EncryptedSecret? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM secret WHERE name = ?", arguments: [name]).map(Self.secret(from:))
        }
    }

    /// Every secret's row, by name.
    public func secrets() async throws -> [EncryptedSecret] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM secret ORDER BY name").map(Self.secret(from:))
        }
    }

    /// Deletes one secret.
    public func deleteSecret(named name: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM secret WHERE name = ?", arguments: [name])
            return db.changesCount == 1
        }
    }

    private static func secret(from row: Row) throws -> EncryptedSecret {
        EncryptedSecret(
            name: row["name"], version: row["version"], keys: try CanonicalJSON.decode([String].self, from: row["keys"] as String),
            masterKeyID: row["masterKeyID"], wrappedKey: row["wrappedKey"], ciphertext: row["ciphertext"], createdAt: row["createdAt"],
            updatedAt: row["updatedAt"])
    }
}
