public import CairnCore
import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Artifacts

    /// The artifact version with this identifier.
    public func artifactVersion(id: String) async throws -> ArtifactVersionRecord? {
        try await rows("SELECT \(unescaped: RecordRows.artifactVersionColumns) FROM artifact_version WHERE id = \(id)")
            .first.map(RecordRows.artifactVersion)
    }

    /// A version of the named artifact: `version`, or the highest-numbered one when it is `nil`.
    public func artifactVersion(named name: String, version: Int?) async throws -> ArtifactVersionRecord? {
        let rows =
            if let version {
                try await rows(
                    "SELECT \(unescaped: RecordRows.artifactVersionColumns) FROM artifact_version WHERE name = \(name) AND version = \(version)")
            } else {
                try await rows(
                    "SELECT \(unescaped: RecordRows.artifactVersionColumns) FROM artifact_version WHERE name = \(name) ORDER BY version DESC LIMIT 1")
            }
        return try rows.first.map(RecordRows.artifactVersion)
    }

    /// At most `limit` versions of the named artifact, newest first, after skipping `offset`.
    public func artifactVersions(named name: String, limit: Int, offset: Int) async throws -> [ArtifactVersionRecord] {
        try await rows(
            """
            SELECT \(unescaped: RecordRows.artifactVersionColumns) FROM artifact_version WHERE name = \(name)
            ORDER BY version DESC LIMIT \(limit) OFFSET \(offset)
            """
        ).map(RecordRows.artifactVersion)
    }

    /// Sets the reason every version stored under `digest` is unusable, or clears it.
    public func markArtifacts(digest: String, unusableBecause reason: String?) async throws {
        _ = try await rows("UPDATE artifact_version SET unusable_reason = \(reason) WHERE digest = \(digest)")
    }

    /// Records a version of an artifact saved outside a pipeline, numbered as a step's output is: one statement.
    public func createArtifactVersion(_ version: NewArtifactVersion) async throws -> ArtifactVersionRecord {
        var plan = StepRunPlan()
        plan.save(version, at: Date())
        return try Self.numbered(plan.created[0], by: try await execute(plan))[0]
    }
}
