public import CairnCore
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Artifacts

    /// The artifact version with this identifier.
    public func artifactVersion(id: String) async throws -> ArtifactVersionRecord? {
        try await dbPool.read { db in
            try DecodedRow<ArtifactVersionRecord>.fetchOne(
                db, sql: "SELECT * FROM artifactVersion WHERE id = ?", arguments: [id]
            )?.value
        }
    }

    /// A version of the named artifact: `version`, or the highest-numbered one when it is `nil`.
    public func artifactVersion(named name: String, version: Int?) async throws -> ArtifactVersionRecord? {
        try await dbPool.read { db in
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
        try await dbPool.read { db in
            try DecodedRow<ArtifactVersionRecord>.fetchAll(
                db, sql: "SELECT * FROM artifactVersion WHERE name = ? ORDER BY version", arguments: [name]
            ).map(\.value)
        }
    }

    // MARK: - Helpers

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
