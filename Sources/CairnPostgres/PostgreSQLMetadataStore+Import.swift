public import CairnCore
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Importing a history

    /// Records a run whole, as another store recorded it, in one transaction: its rows below the run
    /// are one statement (``HistoryWrite``).
    ///
    /// Imports of the same run wait for each other (an advisory lock on its identifier), so that two
    /// copies at once record it once. The counters of its artifacts' names are locked in name order,
    /// as every writer of new versions locks them, and raised to the imported numbers, so that the
    /// next version of a name is numbered past them.
    ///
    /// - Throws: ``HistoryConflict`` when another run has its name or another version has the number
    ///   of one of its versions, and `CairnError.store(_:)` when a step run or artifact version of
    ///   another run it refers to is not in the store. Nothing is written then.
    public func importRun(_ history: RunHistory) async throws -> Bool {
        let run = history.run
        let document = try HistoryWrite(history).json()
        let versions = history.artifactVersions.map(\.record)
        return try await transaction { transaction in
            try await transaction.execute("SELECT pg_advisory_xact_lock(hashtext(\("cairn-import " + run.id)))")
            guard try await transaction.rows("SELECT 1 FROM run WHERE id = \(run.id)").isEmpty else { return false }
            guard try await transaction.rows("SELECT 1 FROM run WHERE name = \(run.name)").isEmpty else {
                throw HistoryConflict.runName(run.name)
            }
            try await Self.claimNumbers(of: versions, in: transaction)
            try await transaction.execute(
                """
                INSERT INTO pipeline (name, created_at) VALUES (\(run.pipelineName), \(history.pipelineCreatedAt))
                ON CONFLICT (name) DO UPDATE SET created_at = LEAST(pipeline.created_at, excluded.created_at)
                """)
            try await transaction.execute(
                """
                INSERT INTO run (id, name, pipeline_name, status, started_at, ended_at, configuration, error, outputs, host, process_id,
                    process_start, heartbeat_at)
                VALUES (\(run.id), \(run.name), \(run.pipelineName), \(run.status.rawValue), \(run.startedAt), \(run.endedAt),
                    \(run.configuration), \(run.error), \(CanonicalJSON.string(encoding: run.outputs)), \(run.host), \(run.processID),
                    \(run.processStart), \(run.heartbeatAt))
                """)
            try await transaction.execute(
                """
                INSERT INTO run_node (run_id, position, node)
                SELECT \(run.id), node.ord - 1, node.text FROM unnest(\(run.graph.nodes.map(\.canonicalJSON))::text[]) WITH ORDINALITY AS node(text, ord)
                """)
            do {
                try await transaction.execute(PostgresQuery(unsafeSQL: HistoryWrite.insertion, binds: Self.bindings(document)))
            } catch let error as PSQLError where error.sqlState == "23503" {
                throw CairnError.store(
                    "cannot import run '\(run.name)' into \(self.configuration.storeDescription): a step run or artifact version of "
                        + "another run that it refers to is not there (\(error.summary))")
            }
            return true
        }
    }

    /// Records an artifact version that no step run produced, with its number, metadata and
    /// visualizations, in one transaction.
    public func importArtifactVersion(_ version: ArtifactVersionHistory) async throws -> Bool {
        let document = try HistoryWrite(version).json()
        return try await transaction { transaction in
            try await transaction.execute("SELECT pg_advisory_xact_lock(hashtext(\("cairn-import " + version.record.id)))")
            guard try await transaction.rows("SELECT 1 FROM artifact_version WHERE id = \(version.record.id)").isEmpty else { return false }
            try await Self.claimNumbers(of: [version.record], in: transaction)
            try await transaction.execute(PostgresQuery(unsafeSQL: HistoryWrite.insertion, binds: Self.bindings(document)))
            return true
        }
    }

    // MARK: - Helpers

    /// Locks the counters of the names of `versions` in name order, raising each to the highest
    /// number imported, then throws ``HistoryConflict/artifactVersion(name:version:)`` for the first
    /// version whose name and number another version, with another identifier, has.
    private static func claimNumbers(of versions: [ArtifactVersionRecord], in transaction: PostgreSQLTransaction) async throws {
        guard !versions.isEmpty else { return }
        let (ids, names, numbers) = (versions.map(\.id), versions.map(\.name), versions.map(\.version))
        try await transaction.execute(
            """
            INSERT INTO artifact_counter AS counter (name, latest)
            SELECT imported.name, max(imported.version) FROM unnest(\(names)::text[], \(numbers)::integer[]) AS imported(name, version)
            GROUP BY imported.name ORDER BY imported.name
            ON CONFLICT (name) DO UPDATE SET latest = GREATEST(counter.latest, excluded.latest)
            """)
        let taken = try await transaction.rows(
            """
            SELECT imported.name, imported.version FROM unnest(\(ids)::text[], \(names)::text[], \(numbers)::integer[]) AS imported(id, name, version)
            JOIN artifact_version ON artifact_version.name = imported.name AND artifact_version.version = imported.version
            WHERE artifact_version.id <> imported.id
            ORDER BY imported.name, imported.version LIMIT 1
            """)
        if let row = taken.first {
            throw HistoryConflict.artifactVersion(name: try row["name"].decode(String.self), version: Int(try row["version"].decode(Int32.self)))
        }
    }
}
