public import CairnCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Artifacts

    /// The artifact version with this identifier.
    public func artifactVersion(id: String) async throws -> ArtifactVersionRecord? {
        try await read { db in
            try DecodedRow<ArtifactVersionRecord>.fetchOne(
                db, sql: "SELECT * FROM artifactVersion WHERE id = ?", arguments: [StoredIdentifier.value(id)]
            )?.value
        }
    }

    /// A version of the named artifact: `version`, or the highest-numbered one when it is `nil`.
    public func artifactVersion(named name: String, version: Int?) async throws -> ArtifactVersionRecord? {
        try await read { db in
            if let version {
                try DecodedRow<ArtifactVersionRecord>.fetchOne(
                    db, sql: "SELECT * FROM artifactVersion WHERE name = ? AND version = ?", arguments: [name, version]
                )?.value
            } else {
                try DecodedRow<ArtifactVersionRecord>.fetchOne(
                    db, sql: "SELECT * FROM artifactVersion WHERE name = ? ORDER BY version DESC LIMIT 1", arguments: [name]
                )?.value
            }
        }
    }

    /// A page of the versions of the named artifact, newest first, read backwards along the unique
    /// index on name and version.
    public func artifactVersions(named name: String, limit: Int, offset: Int) async throws -> [ArtifactVersionRecord] {
        try await read { db in
            try DecodedRow<ArtifactVersionRecord>.fetchAll(
                db, sql: "SELECT * FROM artifactVersion WHERE name = ? ORDER BY version DESC LIMIT ? OFFSET ?", arguments: [name, limit, offset]
            ).map(\.value)
        }
    }

    /// Sets the reason every version stored under `digest` is unusable, or clears it.
    public func markArtifacts(digest: String, unusableBecause reason: String?) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE artifactVersion SET unusableReason = ? WHERE digest = ?", arguments: [reason, digest])
        }
    }

    /// Records a version of an artifact saved outside a pipeline.
    public func createArtifactVersion(_ version: NewArtifactVersion) async throws -> ArtifactVersionRecord {
        try await write { db in try Self.insertArtifactVersion(version, producer: nil, at: Date(), in: db) }
    }

    // MARK: - Helpers

    /// Inserts a version numbered one past the highest of its name. The number is chosen inside the
    /// same immediate transaction as the insert, so concurrent processes never get the same number.
    ///
    /// The statements are prepared once per connection and reused: every step output runs them.
    static func insertArtifactVersion(_ version: NewArtifactVersion, producer: String?, at date: Date, in db: Database) throws -> ArtifactVersionRecord {
        let number = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(version), 0) + 1 FROM artifactVersion WHERE name = ?"), arguments: [version.name]) ?? 1
        let record = ArtifactVersionRecord(version, number: number, producer: producer, createdAt: date)
        try db.cachedStatement(
            sql: """
                INSERT INTO artifactVersion (id, name, version, digest, typeName, serializer, serializerVersion, size, createdAt,
                    producerStepRunID, outputName)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            StoredIdentifier.value(record.id), record.name, record.version, record.digest, record.typeName, record.serializer,
            record.serializerVersion,
            record.size, DatabaseDate.value(record.createdAt), StoredIdentifier.value(record.producerStepRunID), record.outputName,
        ])
        for (key, value) in version.metadata {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO metadata (entityType, entityID, key, value) VALUES ('artifactVersion', ?, ?, ?)")
                .execute(arguments: [StoredIdentifier.value(record.id), key, try CanonicalJSON.text(encoding: value)])
        }
        for visualization in version.visualizations {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO visualization (artifactVersionID, kind, digest) VALUES (?, ?, ?)")
                .execute(arguments: [StoredIdentifier.value(record.id), visualization.kind.rawValue, visualization.digest])
        }
        return record
    }
}
