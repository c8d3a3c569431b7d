public import CairnCore
public import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Runs

    /// Records a new run with status `running`, registering its pipeline on its first run: one statement.
    ///
    /// The statement picks the name (`name`, or the smallest free `name_N` from 2) from what it
    /// reads, and the unique index on names decides between writers that picked the same one at
    /// once, on any host: the one that commits second is refused, and picks again. A name that
    /// must not be numbered, if taken, throws `CairnError.runNameTaken(name:)`.
    public func createRun(_ run: NewRun) async throws -> RunRecord {
        let id = RandomIdentifier.make()
        let outputs = CanonicalJSON.string(encoding: [String: String]())
        let nodes = run.graph.nodes.map(\.canonicalJSON)
        // `$1` is the wanted name; with a number only where it is taken and the run allows it.
        let chosen =
            run.isNumbered
            ? """
            WITH taken AS (SELECT name FROM run WHERE name = $1 OR (name >= $1 || '_' AND name < $1 || '`')),
            chosen AS (
                SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM taken WHERE name = $1) THEN $1 ELSE $1 || '_' || (
                    SELECT min(n) FROM generate_series(2, (SELECT count(*) FROM taken) + 2) AS n
                    WHERE NOT EXISTS (SELECT 1 FROM taken WHERE name = $1 || '_' || n)) END AS name),
            """ : "WITH chosen AS (SELECT $1::text AS name),"
        var query = PostgresQuery(
            unsafeSQL: chosen + """
                new_pipeline AS (INSERT INTO pipeline (name, created_at) VALUES ($2, $3) ON CONFLICT DO NOTHING),
                new_run AS (
                    INSERT INTO run (id, name, pipeline_name, status, started_at, configuration, outputs, host, process_id, process_start, heartbeat_at)
                    SELECT $4, chosen.name, $2, $5, $3, $6, $7, $8, $9, $10, $3 FROM chosen
                    RETURNING name),
                new_nodes AS (
                    INSERT INTO run_node (run_id, position, node)
                    SELECT $4, node.ord - 1, node.text FROM unnest($11::text[]) WITH ORDINALITY AS node(text, ord))
                SELECT name FROM new_run
                """)
        query.binds.append(run.name)
        query.binds.append(run.pipelineName)
        query.binds.append(run.startedAt)
        query.binds.append(id)
        query.binds.append(ExecutionStatus.running.rawValue)
        query.binds.append(run.configuration)
        query.binds.append(outputs)
        query.binds.append(run.host)
        query.binds.append(run.processID)
        query.binds.append(run.processStart)
        query.binds.append(nodes)
        var attempts = 1
        while true {
            do {
                let rows = try await retryingConflicts { try await self.rawRows(query) }
                let name = try rows.first?["name"].decode(String.self) ?? run.name
                return RunRecord(
                    id: id, name: name, pipelineName: run.pipelineName, status: .running, startedAt: run.startedAt,
                    configuration: run.configuration, graph: run.graph, host: run.host, processID: run.processID,
                    processStart: run.processStart, heartbeatAt: run.startedAt)
            } catch let error as PSQLError where error.sqlState == "23505" && error.serverInfo?[.constraintName] == "run_name_key" {
                guard run.isNumbered else { throw CairnError.runNameTaken(name: run.name) }
                // Another writer took the name this one picked, and committed first: pick again.
                guard attempts < 100 else { throw storeError(error) }
                attempts += 1
            } catch let error as PSQLError {
                throw storeError(error)
            }
        }
    }

    /// Records the end of a run.
    ///
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when no run has this identifier.
    public func finishRun(
        id: String, status: ExecutionStatus, error: String?, outputs: [String: String], at date: Date, owner: RunOwner
    ) async throws {
        let outputs = CanonicalJSON.string(encoding: outputs)
        let updated = try await rows(
            """
            UPDATE run SET status = \(status.rawValue), error = \(error), outputs = \(outputs), ended_at = \(date)
            WHERE id = \(id) AND host = \(owner.host) AND process_id = \(owner.processID) RETURNING id
            """)
        guard updated.isEmpty else { return }
        guard let run = try await rows("SELECT name, host, process_id FROM run WHERE id = \(id)").first else {
            throw CairnError.notFound(kind: "run", name: id, suggestion: nil)
        }
        let current = RunOwner(host: try run["host"].decode(String.self), processID: try run["process_id"].decode(Int32.self))
        throw CairnError.runTakenOver(run: try run["name"].decode(String.self), owner: current.description)
    }

    /// Records the graph of a run, in place of the one recorded before: one statement.
    public func recordGraph(_ graph: PipelineGraph, ofRun id: String) async throws {
        _ = try await rows(
            PostgresQuery(
                unsafeSQL: "WITH claimed AS (SELECT $1::text AS id), \(Self.nodeReplacement) SELECT 1",
                binds: Self.bindings(id, graph.nodes.map(\.canonicalJSON))))
    }

    /// Records that the process running a run is alive.
    public func heartbeat(runID: String, at date: Date) async throws {
        _ = try await rows("UPDATE run SET heartbeat_at = \(date) WHERE id = \(runID)")
    }

    /// Marks a run whose process is gone as failed, with its unfinished step runs: one statement.
    public func abandonRun(id: String, reason: String, at date: Date) async throws {
        let unfinished = [ExecutionStatus.running, .initializing, .retrying].map(\.rawValue)
        _ = try await rows(
            """
            WITH abandoned AS (
                UPDATE run SET status = \(ExecutionStatus.failed.rawValue), error = \(reason), ended_at = \(date)
                WHERE id = \(id) AND status = \(ExecutionStatus.running.rawValue)
                RETURNING id)
            UPDATE step_run SET status = \(ExecutionStatus.failed.rawValue), error = \(reason), ended_at = \(date)
            WHERE run_id IN (SELECT id FROM abandoned) AND status = ANY(\(unfinished))
            """)
    }

    /// Claims a failed or stopped run for this process, as running again with the graph it now
    /// executes, to resume it.
    ///
    /// The claim is one conditional update, with the graph in the same statement: of two processes
    /// that resume the same run at once, one claims it and the other is refused, as is a resume of
    /// a run that is running.
    public func resumeRun(id: String, graph: PipelineGraph, at date: Date) async throws {
        let resumable = [ExecutionStatus.failed, .stopped].map(\.rawValue)
        var query = PostgresQuery(
            unsafeSQL: """
                WITH claimed AS (
                    UPDATE run SET status = $3, error = NULL, ended_at = NULL, heartbeat_at = $4, host = $5, process_id = $6, process_start = $7
                    WHERE id = $1 AND status = ANY($8)
                    RETURNING id),
                \(Self.nodeReplacement)
                SELECT count(*) AS claimed FROM claimed
                """)
        query.binds.append(id)
        query.binds.append(graph.nodes.map(\.canonicalJSON))
        query.binds.append(ExecutionStatus.running.rawValue)
        query.binds.append(date)
        query.binds.append(ProcessInfo.processInfo.hostName)
        query.binds.append(ProcessInfo.processInfo.processIdentifier)
        query.binds.append(ProcessLiveness.currentStart)
        query.binds.append(resumable)
        let claimed = try await rows(query).first?["claimed"].decode(Int64.self) ?? 0
        guard claimed == 0 else { return }
        guard let run = try await run(id: id) else {
            throw CairnError.notFound(kind: "run", name: id, suggestion: nil)
        }
        throw CairnError.runNotResumable(run: run.name, reason: run.whyNotResumable)
    }

    /// The run with this identifier.
    public func run(id: String) async throws -> RunRecord? {
        try await rows("SELECT \(unescaped: RecordRows.runColumns) FROM run WHERE id = \(id)").first.map(RecordRows.run)
    }

    /// The run with this name.
    public func run(named name: String) async throws -> RunRecord? {
        try await rows("SELECT \(unescaped: RecordRows.runColumns) FROM run WHERE name = \(name)").first.map(RecordRows.run)
    }

    /// Runs matching `query`, newest first; runs that started at the same time, the last created first.
    public func runs(_ query: RunQuery) async throws -> [RunRecord] {
        try await rows(Self.selection(RecordRows.runColumns, of: query)).map(RecordRows.run)
    }

    /// Every pipeline that has runs, by name, with its number of runs.
    public func pipelines() async throws -> [PipelineRecord] {
        try await rows(
            """
            SELECT pipeline.name, pipeline.created_at, count(*) AS run_count
            FROM pipeline JOIN run ON run.pipeline_name = pipeline.name
            GROUP BY pipeline.name
            ORDER BY pipeline.name
            """
        ).map { row in
            PipelineRecord(
                name: try row["name"].decode(String.self), createdAt: try row["created_at"].decode(Date.self),
                runCount: Int(try row["run_count"].decode(Int64.self)))
        }
    }

    // MARK: - Helpers

    /// Common table expressions that make the graph `$2` (canonical JSON nodes, in call order) the
    /// graph of the run a CTE `claimed` returns, if it returns one: the nodes it has are replaced in
    /// place and those past the new graph's end deleted, so that no key is deleted and inserted
    /// again in the same statement.
    static let nodeReplacement = """
        new_nodes AS (
            INSERT INTO run_node (run_id, position, node)
            SELECT claimed.id, node.ord - 1, node.text FROM claimed, unnest($2::text[]) WITH ORDINALITY AS node(text, ord)
            ON CONFLICT (run_id, position) DO UPDATE SET node = excluded.node),
        old_nodes AS (
            DELETE FROM run_node WHERE run_id IN (SELECT id FROM claimed) AND position >= cardinality($2::text[]))
        """

    /// `SELECT columns FROM run` for the runs of `query`, newest first, served by the run indexes.
    static func selection(_ columns: String, of query: RunQuery) -> PostgresQuery {
        var selection = PostgresQuery(unsafeSQL: "SELECT \(columns) FROM run WHERE true")
        func condition(_ sql: String, _ value: some PostgresDynamicTypeEncodable) {
            selection.binds.append(value)
            selection.sql += " AND " + sql.replacing("?", with: "$\(selection.binds.count)")
        }
        if let pipelineName = query.pipelineName {
            condition("pipeline_name = ?", pipelineName)
        }
        if let status = query.status {
            condition("status = ?", status.rawValue)
        }
        if let startedAfter = query.startedAfter {
            condition("started_at >= ?", startedAfter)
        }
        if let tag = query.tag {
            // Tags are recorded in the run's configuration, with its options.
            condition("EXISTS (SELECT 1 FROM json_array_elements_text(configuration::json -> 'options' -> 'tags') AS tag WHERE tag = ?)", tag)
        }
        selection.binds.append(query.limit)
        selection.binds.append(query.offset)
        selection.sql += " ORDER BY started_at DESC, seq DESC LIMIT $\(selection.binds.count - 1) OFFSET $\(selection.binds.count)"
        return selection
    }

    /// Bindings for `$1`, `$2`, … in order.
    static func bindings(_ values: any PostgresDynamicTypeEncodable...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
