public import CairnCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    // MARK: - Metadata

    /// Sets metadata on a run, step run or artifact version, replacing keys logged before.
    public func logMetadata(_ values: [String: JSONValue], on target: MetadataTarget) async throws {
        let rows = try values.map { ($0.key, try CanonicalJSON.text(encoding: $0.value)) }
        try await write { db in
            for (key, value) in rows {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO metadata (entityType, entityID, key, value) VALUES (?, ?, ?, ?)",
                    arguments: [target.kind, StoredIdentifier.value(target.id), key, value])
            }
        }
    }

    /// The metadata of a run, step run or artifact version.
    public func metadata(of target: MetadataTarget) async throws -> [String: JSONValue] {
        let rows = try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT key, value FROM metadata WHERE entityType = ? AND entityID = ?",
                arguments: [target.kind, StoredIdentifier.value(target.id)])
        }
        var values: [String: JSONValue] = [:]
        for row in rows {
            values[row["key"]] = try CanonicalJSON.decode(JSONValue.self, from: row["value"])
        }
        return values
    }

    /// Links stored visualizations to an artifact version.
    public func addVisualizations(_ visualizations: [VisualizationRecord], toArtifactVersion id: String) async throws {
        try await write { db in
            for visualization in visualizations {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO visualization (artifactVersionID, kind, digest) VALUES (?, ?, ?)",
                    arguments: [StoredIdentifier.value(id), visualization.kind.rawValue, visualization.digest])
            }
        }
    }

    /// The visualizations of an artifact version.
    public func visualizations(ofArtifactVersion id: String) async throws -> [VisualizationRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, digest FROM visualization WHERE artifactVersionID = ? ORDER BY kind", arguments: [StoredIdentifier.value(id)])
                .compactMap { row in Visualization.Kind(rawValue: row["kind"]).map { VisualizationRecord(kind: $0, digest: row["digest"]) } }
        }
    }
}
