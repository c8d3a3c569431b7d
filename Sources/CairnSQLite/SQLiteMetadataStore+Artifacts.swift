public import CairnCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Artifacts

    /// The artifact version with this identifier.
    public func artifactVersion(id: String) async throws -> ArtifactVersionRecord? {
        try read { db in
            try DecodedRow<ArtifactVersionRecord>.fetchOne(
                db, sql: "SELECT * FROM artifactVersion WHERE id = ?", arguments: [id]
            )?.value
        }
    }

    /// A version of the named artifact: `version`, or the highest-numbered one when it is `nil`.
    public func artifactVersion(named name: String, version: Int?) async throws -> ArtifactVersionRecord? {
        try read { db in
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

    /// Every version of the named artifact, oldest (version 1) first.
    public func artifactVersions(named name: String) async throws -> [ArtifactVersionRecord] {
        try read { db in
            try DecodedRow<ArtifactVersionRecord>.fetchAll(
                db, sql: "SELECT * FROM artifactVersion WHERE name = ? ORDER BY version", arguments: [name]
            ).map(\.value)
        }
    }

    /// Records a version of an artifact saved outside a pipeline.
    public func createArtifactVersion(_ version: NewArtifactVersion) async throws -> ArtifactVersionRecord {
        try write { db in try Self.insertArtifactVersion(version, producer: nil, at: Date(), in: db) }
    }

    // MARK: - Helpers

    /// Inserts a version numbered one past the highest of its name. The number is chosen inside the
    /// same immediate transaction as the insert, so concurrent processes never get the same number.
    static func insertArtifactVersion(_ version: NewArtifactVersion, producer: String?, at date: Date, in db: Database) throws -> ArtifactVersionRecord {
        let number = try Int.fetchOne(
            db, sql: "SELECT COALESCE(MAX(version), 0) + 1 FROM artifactVersion WHERE name = ?", arguments: [version.name]) ?? 1
        let id = makeID()
        try ArtifactVersionRow(id: id, version: number, output: version, producerStepRunID: producer, createdAt: date).insert(db)
        for (key, value) in version.metadata {
            try db.execute(
                sql: "INSERT OR REPLACE INTO metadata (entityType, entityID, key, value) VALUES ('artifactVersion', ?, ?, ?)",
                arguments: [id, key, try CanonicalJSON.text(encoding: value)])
        }
        for visualization in version.visualizations {
            try db.execute(
                sql: "INSERT OR REPLACE INTO visualization (artifactVersionID, kind, digest) VALUES (?, ?, ?)",
                arguments: [id, visualization.kind.rawValue, visualization.digest])
        }
        return try fetchArtifactVersion(id: id, in: db)
    }

    /// The artifact version with this identifier, which must exist.
    static func fetchArtifactVersion(id: String, in db: Database) throws -> ArtifactVersionRecord {
        guard
            let row = try DecodedRow<ArtifactVersionRecord>.fetchOne(
                db, sql: "SELECT * FROM artifactVersion WHERE id = ?", arguments: [id])
        else {
            throw CairnError.notFound(kind: "artifact version", name: id, suggestion: nil)
        }
        return row.value
    }
}
