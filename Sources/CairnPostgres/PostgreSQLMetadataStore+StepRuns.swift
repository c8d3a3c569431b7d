public import CairnCore
public import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Step runs

    /// Records a step run with its input and parent links: one statement.
    ///
    /// - Throws: `CairnError.store(_:)` when its run, an input artifact version or a parent step
    ///   run is not in the store.
    public func createStepRun(_ stepRun: NewStepRun) async throws -> StepRunRecord {
        try await createStepRuns([stepRun])
        return StepRunRecord(stepRun)
    }

    /// Records several step runs in one statement, in order.
    ///
    /// - Throws: `CairnError.store(_:)` when a run, an input artifact version or a parent step
    ///   run is not in the store; then none is recorded.
    public func createStepRuns(_ stepRuns: [NewStepRun]) async throws {
        guard !stepRuns.isEmpty else { return }
        var write = StepRunWrite()
        for stepRun in stepRuns { write.add(stepRun) }
        _ = try await insert(write, recording: stepRuns)
    }

    /// Records step runs whole, with their new output versions, in one statement, in order.
    ///
    /// - Throws: `CairnError.store(_:)` when a run, an input artifact version or a parent step run
    ///   is not in the store; then none is recorded.
    @discardableResult
    public func recordStepRuns(_ stepRuns: [WholeStepRun]) async throws -> [[ArtifactVersionRecord]] {
        guard !stepRuns.isEmpty else { return [] }
        var write = StepRunWrite()
        var created: [[ArtifactVersionRecord]] = []
        for whole in stepRuns {
            let (status, error, outputs) = Self.ending(whole.outcome)
            write.add(whole.stepRun, end: (status, error, whole.endedAt))
            created.append(write.add(outputs, producer: whole.stepRun.id, at: whole.endedAt))
        }
        let numbers = try await insert(write, recording: stepRuns.map(\.stepRun))
        return try created.map { try Self.numbered($0, by: numbers) }
    }

    /// Records how a step run ended, with its new output versions: one statement.
    ///
    /// For a completed step run, each output becomes a new version of its artifact, numbered one
    /// past the highest of its name (see ``StepRunStatements``).
    ///
    /// - Returns: The new artifact versions, in the order of the outputs; empty unless it completed.
    /// - Throws: `CairnError.notFound(kind:name:suggestion:)` when no step run has this identifier;
    ///   then nothing is written.
    @discardableResult
    public func finishStepRun(id: String, outcome: StepOutcome, startedAt: Date?, at date: Date) async throws -> [ArtifactVersionRecord] {
        let (status, error, outputs) = Self.ending(outcome)
        var write = StepRunWrite()
        let created = write.add(outputs, producer: id, at: date)
        let statement = StepRunStatements.Finish(
            document: try write.json(), id: id, status: status, error: error, startedAt: startedAt, endedAt: date)
        let rows: [StepRunStatements.Row]
        do {
            rows = try await retryingConflicts { try await self.execute(statement) }
        } catch let error as PSQLError {
            throw storeError(error)
        }
        guard rows.first?.0 == 1 else {
            throw CairnError.notFound(kind: "step run", name: id, suggestion: nil)
        }
        return try Self.numbered(created, by: Self.versionNumbers(rows))
    }

    /// Links a stored log to a step run.
    public func attachLog(stepRunID: String, digest: String) async throws {
        _ = try await rows("UPDATE step_run SET log_digest = \(digest) WHERE id = \(stepRunID)")
    }

    /// Marks a failed step run as retried.
    public func markRetried(stepRunID: String) async throws {
        _ = try await rows(
            """
            UPDATE step_run SET status = \(ExecutionStatus.retried.rawValue)
            WHERE id = \(stepRunID) AND status = \(ExecutionStatus.failed.rawValue)
            """)
    }

    /// Completed step runs with this cache key, newest first: a statement prepared once per
    /// connection, since every step of every run looks up its key.
    public func cacheCandidates(key: String, limit: Int) async throws -> [StepRunRecord] {
        do {
            return try await execute(CacheCandidates(key: key, limit: limit))
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// The step run with this identifier.
    public func stepRun(id: String) async throws -> StepRunRecord? {
        try await rows("SELECT \(unescaped: RecordRows.stepRunColumns) FROM step_run WHERE id = \(id)").first.map(RecordRows.stepRun)
    }

    /// The step runs of a run, in the order they were created.
    public func stepRuns(runID: String) async throws -> [StepRunRecord] {
        try await rows("SELECT \(unescaped: RecordRows.listedStepRunColumns) FROM step_run WHERE run_id = \(runID) ORDER BY started_at, seq")
            .map(RecordRows.stepRun)
    }

    /// The input artifact versions of a step run, by input name, then position.
    public func inputs(ofStepRun id: String) async throws -> [ArtifactLink] {
        try await links(
            """
            SELECT step_run_input.name AS link_name, step_run_input.position AS link_position, \(unescaped: RecordRows.artifactVersionColumns)
            FROM step_run_input JOIN artifact_version ON artifact_version.id = step_run_input.artifact_version_id
            WHERE step_run_input.step_run_id = \(id)
            ORDER BY step_run_input.name, step_run_input.position
            """)
    }

    /// The output artifact versions of a step run, by output name.
    public func outputs(ofStepRun id: String) async throws -> [ArtifactLink] {
        try await links(
            """
            SELECT step_run_output.name AS link_name, 0 AS link_position, \(unescaped: RecordRows.artifactVersionColumns)
            FROM step_run_output JOIN artifact_version ON artifact_version.id = step_run_output.artifact_version_id
            WHERE step_run_output.step_run_id = \(id)
            ORDER BY step_run_output.name
            """)
    }

    /// The identifiers of the step runs a step run depends on, in the order they were given.
    public func parents(ofStepRun id: String) async throws -> [String] {
        try await rows("SELECT parent_step_run_id FROM step_run_parent WHERE step_run_id = \(id) ORDER BY position")
            .map { try $0["parent_step_run_id"].decode(String.self) }
    }

    // MARK: - Helpers

    /// The status, error and new outputs of an outcome.
    static func ending(_ outcome: StepOutcome) -> (ExecutionStatus, String?, [NewArtifactVersion]) {
        switch outcome {
        case .completed(let outputs, let note): (.completed, note, outputs)
        case .failed(let message): (.failed, message, [])
        case .stopped(let reason): (.stopped, reason, [])
        }
    }

    /// Runs the insertion statement for `write`, made of `stepRuns`, and returns the numbers it
    /// gave the new artifact versions, by identifier.
    func insert(_ write: StepRunWrite, recording stepRuns: [NewStepRun]) async throws -> [String: Int] {
        let statement = StepRunStatements.Insert(document: try write.json())
        do {
            return Self.versionNumbers(try await retryingConflicts { try await self.execute(statement) })
        } catch let error as PSQLError where error.sqlState == "23503" && !stepRuns.isEmpty {
            let culprit = try await firstUnrecordable(stepRuns) ?? stepRuns[0]
            throw CairnError.store(
                "cannot record step run '\(culprit.invocation)': its run \(culprit.runID), one of its input artifact "
                    + "versions or one of its parent step runs is not in \(configuration.storeDescription) (\(error.summary))")
        } catch let error as PSQLError {
            throw storeError(error)
        }
    }

    /// The first of `stepRuns` that refers to a run, artifact version or step run that is neither in
    /// the store nor recorded before it in the same call.
    private func firstUnrecordable(_ stepRuns: [NewStepRun]) async throws -> NewStepRun? {
        let stepRunIDs = stepRuns.flatMap { $0.parents + ($0.cachedFrom.map { [$0] } ?? []) }
        let versionIDs = stepRuns.flatMap { $0.inputs.map(\.artifactVersionID) }
        let rows = try await rows(
            """
            SELECT id FROM run WHERE id = ANY(\(stepRuns.map(\.runID))) UNION ALL SELECT id FROM step_run WHERE id = ANY(\(stepRunIDs))
            UNION ALL SELECT id FROM artifact_version WHERE id = ANY(\(versionIDs))
            """)
        var known = Set(try rows.map { try $0["id"].decode(String.self) })
        return stepRuns.first { stepRun in
            let references = [stepRun.runID] + stepRun.parents + stepRun.inputs.map(\.artifactVersionID) + (stepRun.cachedFrom.map { [$0] } ?? [])
            known.insert(stepRun.id)
            return !references.allSatisfy(known.contains)
        }
    }

    /// The look-up of ``cacheCandidates(key:limit:)``.
    private struct CacheCandidates: PostgresPreparedStatement {
        static let sql = """
            SELECT \(RecordRows.listedStepRunColumns) FROM step_run
            WHERE cache_key = $1 AND status = '\(ExecutionStatus.completed.rawValue)' ORDER BY ended_at DESC LIMIT $2
            """
        var key: String
        var limit: Int

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(key)
            bindings.append(limit)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> StepRunRecord {
            try RecordRows.stepRun(PostgresRandomAccessRow(row))
        }
    }

    /// Runs a prepared statement on a connection of the pool and returns its rows; the server's errors as they are.
    private func execute<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await client.execute(statement) { rows.append(row) }
        return rows
    }

    /// The numbers a step run statement returned, by artifact version identifier.
    private static func versionNumbers(_ rows: [StepRunStatements.Row]) -> [String: Int] {
        Dictionary(rows.compactMap { row in row.1.flatMap { id in row.2.map { (id, Int($0)) } } }, uniquingKeysWith: { $1 })
    }

    /// `records` with the numbers the statement gave them.
    static func numbered(_ records: [ArtifactVersionRecord], by numbers: [String: Int]) throws -> [ArtifactVersionRecord] {
        try records.map { record in
            guard let number = numbers[record.id] else {
                throw CairnError.store("artifact version \(record.id) of '\(record.name)' was not numbered")
            }
            var numbered = record
            numbered.version = number
            return numbered
        }
    }

    /// Links from rows made of `link_name`, `link_position` and the columns of an artifact version.
    private func links(_ query: PostgresQuery) async throws -> [ArtifactLink] {
        try await rows(query).map { row in
            ArtifactLink(
                name: try row["link_name"].decode(String.self), position: Int(try row["link_position"].decode(Int32.self)),
                artifact: try RecordRows.artifactVersion(row))
        }
    }
}
