public import CairnCore
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Metadata

    /// Sets metadata on a run, step run or artifact version, replacing keys logged before: one statement.
    public func logMetadata(_ values: [String: JSONValue], on target: MetadataTarget) async throws {
        guard !values.isEmpty else { return }
        let sorted = values.sorted { $0.key < $1.key }
        _ = try await rows(
            """
            INSERT INTO metadata (entity_type, entity_id, key, value)
            SELECT \(target.kind), \(target.id), entry.key, entry.value
            FROM unnest(\(sorted.map(\.key))::text[], \(sorted.map { CanonicalJSON.string(encoding: $0.value) })::text[]) AS entry(key, value)
            ON CONFLICT (entity_type, entity_id, key) DO UPDATE SET value = excluded.value
            """)
    }

    /// The metadata of a run, step run or artifact version.
    public func metadata(of target: MetadataTarget) async throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for row in try await rows("SELECT key, value FROM metadata WHERE entity_type = \(target.kind) AND entity_id = \(target.id)") {
            values[try row["key"].decode(String.self)] = try CanonicalJSON.decode(JSONValue.self, from: row["value"].decode(String.self))
        }
        return values
    }

    /// Links stored visualizations to an artifact version: one statement.
    public func addVisualizations(_ visualizations: [VisualizationRecord], toArtifactVersion id: String) async throws {
        // A kind given twice keeps its last digest, as one replace after another would.
        var byKind: [String: String] = [:]
        for visualization in visualizations { byKind[visualization.kind.rawValue] = visualization.digest }
        guard !byKind.isEmpty else { return }
        let sorted = byKind.sorted { $0.key < $1.key }
        _ = try await rows(
            """
            INSERT INTO visualization (artifact_version_id, kind, digest)
            SELECT \(id), entry.kind, entry.digest FROM unnest(\(sorted.map(\.key))::text[], \(sorted.map(\.value))::text[]) AS entry(kind, digest)
            ON CONFLICT (artifact_version_id, kind) DO UPDATE SET digest = excluded.digest
            """)
    }

    /// The visualizations of an artifact version.
    public func visualizations(ofArtifactVersion id: String) async throws -> [VisualizationRecord] {
        try await rows("SELECT kind, digest FROM visualization WHERE artifact_version_id = \(id) ORDER BY kind").compactMap { row in
            guard let kind = Visualization.Kind(rawValue: try row["kind"].decode(String.self)) else { return nil }
            return VisualizationRecord(kind: kind, digest: try row["digest"].decode(String.self))
        }
    }
}
