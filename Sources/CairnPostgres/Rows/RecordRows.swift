import CairnCore
import Foundation
import PostgresNIO

/// CairnCore's records read from rows, and the columns each is read from.
///
/// Every query that returns a record selects its ``RecordRows`` columns, so that the names read
/// here are those the queries produce; JSON columns are decoded with ``CanonicalJSON``.
enum RecordRows {
    /// The columns of a ``RunRecord``: the run's row, and its graph put together from its nodes in call order.
    static let runColumns = """
        run.id, run.name, run.pipeline_name, run.status, run.started_at, run.ended_at, run.configuration, run.error, run.outputs,
        run.host, run.process_id, run.process_start, run.heartbeat_at,
        '{"nodes":[' || COALESCE((SELECT string_agg(node, ',' ORDER BY position) FROM run_node WHERE run_node.run_id = run.id), '')
            || ']}' AS graph
        """

    /// The columns of a ``StepRunRecord`` as lists show it: all but the cache key's ingredients, the largest.
    static let listedStepRunColumns = """
        step_run.id, step_run.run_id, step_run.invocation, step_run.step_name, step_run.status, step_run.queued_at,
        step_run.started_at, step_run.ended_at, step_run.parameters, step_run.fingerprint, step_run.error, step_run.cached_from,
        step_run.attempt, step_run.cache_key, NULL::text AS cache_ingredients, step_run.log_digest
        """

    /// The columns of a whole ``StepRunRecord``.
    static let stepRunColumns = listedStepRunColumns.replacing("NULL::text AS cache_ingredients", with: "step_run.cache_ingredients")

    /// The columns of an ``ArtifactVersionRecord``.
    static let artifactVersionColumns = """
        artifact_version.id, artifact_version.name, artifact_version.version, artifact_version.digest, artifact_version.type_name,
        artifact_version.serializer, artifact_version.serializer_version, artifact_version.size, artifact_version.created_at,
        artifact_version.producer_step_run_id, artifact_version.output_name, artifact_version.unusable_reason
        """

    /// The columns of a ``StepRunReference``, from a step run joined with its run (`FROM step_run JOIN run`).
    static let referenceColumns = """
        step_run.id AS step_run_id, step_run.invocation, step_run.step_name, step_run.status,
        run.id AS reference_run_id, run.name AS run_name, run.pipeline_name
        """

    static func run(_ row: PostgresRandomAccessRow) throws -> RunRecord {
        RunRecord(
            id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
            pipelineName: try row["pipeline_name"].decode(String.self), status: try status(row["status"]),
            startedAt: try row["started_at"].decode(Date.self), endedAt: try row["ended_at"].decode(Date?.self),
            configuration: try row["configuration"].decode(String.self),
            graph: try CanonicalJSON.decode(PipelineGraph.self, from: row["graph"].decode(String.self)),
            error: try row["error"].decode(String?.self),
            outputs: try CanonicalJSON.decode([String: String].self, from: row["outputs"].decode(String.self)),
            host: try row["host"].decode(String.self), processID: try row["process_id"].decode(Int32.self),
            processStart: try row["process_start"].decode(String?.self), heartbeatAt: try row["heartbeat_at"].decode(Date?.self))
    }

    static func stepRun(_ row: PostgresRandomAccessRow) throws -> StepRunRecord {
        StepRunRecord(
            id: try row["id"].decode(String.self), runID: try row["run_id"].decode(String.self),
            invocation: try row["invocation"].decode(String.self), stepName: try row["step_name"].decode(String.self),
            status: try status(row["status"]), queuedAt: try row["queued_at"].decode(Date?.self),
            startedAt: try row["started_at"].decode(Date.self), endedAt: try row["ended_at"].decode(Date?.self),
            parameters: try CanonicalJSON.decode([String: String].self, from: row["parameters"].decode(String.self)),
            fingerprint: try row["fingerprint"].decode(String.self), error: try row["error"].decode(String?.self),
            cachedFrom: try row["cached_from"].decode(String?.self), attempt: Int(try row["attempt"].decode(Int32.self)),
            cacheKey: try row["cache_key"].decode(String?.self), cacheIngredients: try row["cache_ingredients"].decode(String?.self),
            logDigest: try row["log_digest"].decode(String?.self))
    }

    static func artifactVersion(_ row: PostgresRandomAccessRow) throws -> ArtifactVersionRecord {
        ArtifactVersionRecord(
            id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
            version: Int(try row["version"].decode(Int32.self)), digest: try row["digest"].decode(String.self),
            typeName: try row["type_name"].decode(String.self), serializer: try row["serializer"].decode(String.self),
            serializerVersion: Int(try row["serializer_version"].decode(Int32.self)), size: try row["size"].decode(Int64.self),
            createdAt: try row["created_at"].decode(Date.self), producerStepRunID: try row["producer_step_run_id"].decode(String?.self),
            outputName: try row["output_name"].decode(String?.self), unusableReason: try row["unusable_reason"].decode(String?.self))
    }

    static func reference(_ row: PostgresRandomAccessRow) throws -> StepRunReference {
        StepRunReference(
            stepRunID: try row["step_run_id"].decode(String.self), invocation: try row["invocation"].decode(String.self),
            stepName: try row["step_name"].decode(String.self), status: try status(row["status"]),
            runID: try row["reference_run_id"].decode(String.self), runName: try row["run_name"].decode(String.self),
            pipelineName: try row["pipeline_name"].decode(String.self))
    }

    /// A status column.
    static func status(_ cell: PostgresCell) throws -> ExecutionStatus {
        let text = try cell.decode(String.self)
        guard let status = ExecutionStatus(rawValue: text) else {
            throw CairnError.store("unknown status '\(text)' in column \(cell.columnName)")
        }
        return status
    }
}
