public import CairnCore
import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Inspection

    /// How many pipelines (with runs), runs, step runs, artifact names and artifact versions the store holds.
    public func counts() async throws -> StoreCounts {
        guard
            let row = try await rows(
                """
                SELECT
                    (SELECT count(*) FROM pipeline WHERE EXISTS (SELECT 1 FROM run WHERE run.pipeline_name = pipeline.name)) AS pipelines,
                    (SELECT count(*) FROM run) AS runs,
                    (SELECT count(*) FROM step_run) AS step_runs,
                    (SELECT count(DISTINCT name) FROM artifact_version) AS artifacts,
                    (SELECT count(*) FROM artifact_version) AS artifact_versions
                """
            ).first
        else { return StoreCounts() }
        func count(_ column: String) throws -> Int { Int(try row[column].decode(Int64.self)) }
        return StoreCounts(
            pipelines: try count("pipelines"), runs: try count("runs"), stepRuns: try count("step_runs"), artifacts: try count("artifacts"),
            artifactVersions: try count("artifact_versions"))
    }

    /// At most `limit` run names that start with `prefix`, in name order: one range of the unique index on names.
    public func runNames(startingWith prefix: String, limit: Int) async throws -> [String] {
        // U+10FFFF sorts after every character a name can hold, byte by byte as names compare.
        try await rows("SELECT name FROM run WHERE name >= \(prefix) AND name < \(prefix + "\u{10FFFF}") ORDER BY name LIMIT \(limit)")
            .map { try $0["name"].decode(String.self) }
    }

    /// Summaries of the runs matching `query`, newest first, with the status counts of their step
    /// runs: one query, served by the same indexes as ``runs(_:)``.
    ///
    /// The page of runs is selected first, and its step runs counted after: counted in the same
    /// select, the runs a page skips (`OFFSET`) would be counted too, 2,000 of them for page 100.
    public func runSummaries(_ query: RunQuery) async throws -> [RunSummary] {
        var page = Self.selection(
            "id, name, pipeline_name, status, started_at, ended_at, error, host, process_id, process_start, heartbeat_at, seq", of: query)
        page.sql = """
            SELECT run.*,
                (SELECT count(*) FROM run_node WHERE run_node.run_id = run.id) AS planned_step_count,
                (SELECT json_object_agg(status, count)::text FROM (
                    SELECT step_run.status, count(*) FROM step_run WHERE step_run.run_id = run.id GROUP BY step_run.status) AS counted
                ) AS step_run_counts
            FROM (\(page.sql)) AS run
            ORDER BY run.started_at DESC, run.seq DESC
            """
        return try await rows(page).map { row in
            var counts: [ExecutionStatus: Int] = [:]
            if let json = try row["step_run_counts"].decode(String?.self) {
                for (status, count) in try CanonicalJSON.decode([String: Int].self, from: json) {
                    if let status = ExecutionStatus(rawValue: status) { counts[status] = count }
                }
            }
            return RunSummary(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
                pipelineName: try row["pipeline_name"].decode(String.self), status: try RecordRows.status(row["status"]),
                startedAt: try row["started_at"].decode(Date.self), endedAt: try row["ended_at"].decode(Date?.self),
                error: try row["error"].decode(String?.self), plannedStepCount: Int(try row["planned_step_count"].decode(Int64.self)),
                stepRunCounts: counts, host: try row["host"].decode(String.self), processID: try row["process_id"].decode(Int32.self),
                processStart: try row["process_start"].decode(String?.self), heartbeatAt: try row["heartbeat_at"].decode(Date?.self))
        }
    }

    /// The output artifact versions of every step run of a run, read through the index on run identifiers.
    public func stepRunOutputs(runID: String) async throws -> [String: [ArtifactLink]] {
        var outputs: [String: [ArtifactLink]] = [:]
        let rows = try await rows(
            """
            SELECT step_run_output.step_run_id AS link_step_run_id, step_run_output.name AS link_name, \(unescaped: RecordRows.artifactVersionColumns)
            FROM step_run
            JOIN step_run_output ON step_run_output.step_run_id = step_run.id
            JOIN artifact_version ON artifact_version.id = step_run_output.artifact_version_id
            WHERE step_run.run_id = \(runID)
            ORDER BY step_run_output.step_run_id, step_run_output.name
            """)
        for row in rows {
            let link = ArtifactLink(name: try row["link_name"].decode(String.self), artifact: try RecordRows.artifactVersion(row))
            outputs[try row["link_step_run_id"].decode(String.self), default: []].append(link)
        }
        return outputs
    }

    /// The artifact versions with these identifiers, in the order of `ids`, each once; unknown ones left out.
    public func artifactVersions(ids: [String]) async throws -> [ArtifactVersionRecord] {
        guard !ids.isEmpty else { return [] }
        let found = try await rows("SELECT \(unescaped: RecordRows.artifactVersionColumns) FROM artifact_version WHERE id = ANY(\(ids))")
            .map(RecordRows.artifactVersion)
        return Self.inOrder(ids, found, identifiedBy: \.id)
    }

    /// The step runs with these identifiers, with the names of their runs, in the order of `ids`, each once.
    public func stepRunReferences(ids: [String]) async throws -> [StepRunReference] {
        guard !ids.isEmpty else { return [] }
        let found = try await rows(
            "SELECT \(unescaped: RecordRows.referenceColumns) FROM step_run JOIN run ON run.id = step_run.run_id WHERE step_run.id = ANY(\(ids))"
        ).map(RecordRows.reference)
        return Self.inOrder(ids, found, identifiedBy: \.stepRunID)
    }

    /// Every artifact name, in name order, with its number of versions and its latest version.
    public func artifacts() async throws -> [ArtifactSummary] {
        try await rows(
            """
            SELECT \(unescaped: RecordRows.artifactVersionColumns), latest.version_count
            FROM (SELECT name, max(version) AS version, count(*) AS version_count FROM artifact_version GROUP BY name) AS latest
            JOIN artifact_version ON artifact_version.name = latest.name AND artifact_version.version = latest.version
            ORDER BY artifact_version.name
            """
        ).map { row in
            let latest = try RecordRows.artifactVersion(row)
            return ArtifactSummary(name: latest.name, versionCount: Int(try row["version_count"].decode(Int64.self)), latest: latest)
        }
    }

    /// The step runs that read this artifact version as an input, oldest first.
    public func consumers(ofArtifactVersion id: String) async throws -> [StepRunReference] {
        try await rows(
            """
            SELECT \(unescaped: RecordRows.referenceColumns) FROM step_run JOIN run ON run.id = step_run.run_id
            WHERE step_run.id IN (SELECT step_run_id FROM step_run_input WHERE artifact_version_id = \(id))
            ORDER BY step_run.started_at, step_run.seq
            """
        ).map(RecordRows.reference)
    }

    /// The digest of every artifact version, step log and visualization: the bytes that must be kept.
    public func referencedDigests() async throws -> Set<String> {
        Set(
            try await rows(
                """
                SELECT digest FROM artifact_version
                UNION SELECT log_digest FROM step_run WHERE log_digest IS NOT NULL
                UNION SELECT digest FROM visualization
                """
            ).map { try $0["digest"].decode(String.self) })
    }

    /// Deletes a run, its step runs and their links, and the artifact versions only it used, in one transaction.
    ///
    /// Deleting the step runs removes their links (the foreign keys cascade), clears `cached_from` in
    /// step runs that reused them and the producer of the artifact versions that stay. The counters
    /// of the names whose versions go are locked first, then set to the highest number left, so that
    /// the next version of a name is numbered one past its highest, as in SQLite.
    public func deleteRun(id: String) async throws -> RunDeletion {
        try await transaction { transaction in
            guard let run = try await transaction.rows("SELECT \(unescaped: RecordRows.runColumns) FROM run WHERE id = \(id) FOR UPDATE").first.map(RecordRows.run)
            else {
                throw CairnError.notFound(kind: "run", name: id, suggestion: nil)
            }
            let produced = try await transaction.rows(
                """
                SELECT \(unescaped: RecordRows.artifactVersionColumns), (
                    EXISTS (SELECT 1 FROM step_run_input JOIN step_run ON step_run.id = step_run_input.step_run_id
                            WHERE step_run_input.artifact_version_id = artifact_version.id AND step_run.run_id <> \(id))
                    OR EXISTS (SELECT 1 FROM step_run_output JOIN step_run ON step_run.id = step_run_output.step_run_id
                               WHERE step_run_output.artifact_version_id = artifact_version.id AND step_run.run_id <> \(id))
                ) AS used_elsewhere
                FROM artifact_version
                WHERE producer_step_run_id IN (SELECT id FROM step_run WHERE run_id = \(id))
                ORDER BY name, version
                """
            ).map { row in (version: try RecordRows.artifactVersion(row), isUsedElsewhere: try row["used_elsewhere"].decode(Bool.self)) }
            let deleted = produced.filter { !$0.isUsedElsewhere }.map(\.version)
            let names = Array(Set(deleted.map(\.name))).sorted()
            try await transaction.execute("SELECT name FROM artifact_counter WHERE name = ANY(\(names)) ORDER BY name FOR UPDATE")
            try await transaction.execute(
                """
                DELETE FROM metadata WHERE (entity_type = 'run' AND entity_id = \(id))
                    OR (entity_type = 'stepRun' AND entity_id IN (SELECT id FROM step_run WHERE run_id = \(id)))
                    OR (entity_type = 'artifactVersion' AND entity_id = ANY(\(deleted.map(\.id))))
                """)
            let deletedStepRunCount = try await transaction.rows("DELETE FROM step_run WHERE run_id = \(id) RETURNING 1").count
            try await transaction.execute("DELETE FROM artifact_version WHERE id = ANY(\(deleted.map(\.id)))")
            try await transaction.execute("DELETE FROM run WHERE id = \(id)")
            try await transaction.execute(
                """
                UPDATE artifact_counter SET latest = COALESCE((SELECT max(version) FROM artifact_version WHERE name = artifact_counter.name), 0)
                WHERE name = ANY(\(names))
                """)
            return RunDeletion(
                run: run, deletedStepRunCount: deletedStepRunCount, deletedArtifactVersions: deleted,
                keptArtifactVersions: produced.filter(\.isUsedElsewhere).map(\.version))
        }
    }

    // MARK: - Helpers

    /// `found` in the order of `ids`, each once, unknown identifiers left out.
    static func inOrder<Record>(_ ids: [String], _ found: [Record], identifiedBy key: KeyPath<Record, String>) -> [Record] {
        let byID = Dictionary(found.map { ($0[keyPath: key], $0) }, uniquingKeysWith: { $1 })
        var seen = Set<String>()
        return ids.compactMap { id in seen.insert(id).inserted ? byID[id] : nil }
    }
}
