public import CairnCore
public import Foundation
import PostgresNIO

extension PostgreSQLMetadataStore {
    // MARK: - Step runs

    /// Writes step runs' starts and ends in one transaction, in order: one statement when they are
    /// all starts (a start followed by its end counts as one start, recorded ended) or when there is
    /// one end, as there is for every step run but those recorded together.
    ///
    /// A completed step run's outputs become new versions of their artifacts, each numbered one past
    /// the highest of its name (see ``StepRunStatements``).
    ///
    /// - Throws: `CairnError.store(_:)` when a started step run's run, input artifact version or
    ///   parent step run is not in the store, and `CairnError.notFound(kind:name:suggestion:)` when an
    ///   ended step run is not; then nothing is written.
    @discardableResult
    public func writeStepRuns(_ writes: [StepRunWrite]) async throws -> [[ArtifactVersionRecord]] {
        guard !writes.isEmpty else { return [] }
        var plan = StepRunPlan()
        var index = writes.startIndex
        while index < writes.endIndex {
            if case .start(let stepRun) = writes[index], index + 1 < writes.endIndex,
                case .end(let id, let outcome, let startedAt, let endedAt) = writes[index + 1], id == stepRun.id
            {
                var started = stepRun
                started.startedAt = startedAt ?? stepRun.startedAt
                plan.start(started, endingWith: outcome, at: endedAt)
                index += 2
            } else {
                try plan.add(writes[index])
                index += 1
            }
        }
        let numbers = try await execute(plan)
        return try plan.created.map { try Self.numbered($0, by: numbers) }
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
            var candidates: [StepRunRecord] = []
            for try await candidate in try await client.execute(CacheCandidates(key: key, limit: limit)) { candidates.append(candidate) }
            return candidates
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

    /// Runs the statements of `plan`, in one transaction when there are several, and returns the
    /// numbers they gave the new artifact versions, by identifier.
    func execute(_ plan: StepRunPlan) async throws -> [String: Int] {
        let statements = try plan.statements()
        let rows: [StepRunStatements.Row]
        do {
            rows = try await retryingConflicts {
                if statements.count == 1 { return try await statements[0].execute(on: self.client) }
                return try await self.client.withConnection { connection in
                    try await PostgreSQLTransaction.run(on: connection) { transaction in
                        var rows: [StepRunStatements.Row] = []
                        for statement in statements { rows += try await statement.execute(in: transaction) }
                        return rows
                    }
                }
            }
        } catch let error as PSQLError where error.sqlState == "23503" && !plan.started.isEmpty {
            let culprit = try await firstUnrecordable(plan.started) ?? plan.started[0]
            throw CairnError.store(
                "cannot record step run '\(culprit.invocation)': its run \(culprit.runID), one of its input artifact "
                    + "versions or one of its parent step runs is not in \(configuration.storeDescription) (\(error.summary))")
        } catch let error as PSQLError {
            throw storeError(error)
        }
        return Self.versionNumbers(rows)
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
