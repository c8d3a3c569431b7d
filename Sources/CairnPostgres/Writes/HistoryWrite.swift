import CairnCore
import Foundation

/// The rows an imported history adds below its run, as one JSON document: step runs as they were
/// recorded, with their links, and artifact versions under their own numbers, with metadata and
/// visualizations.
///
/// As with ``StepRunDocument``, one statement reads each list with `jsonb_to_recordset`
/// (``insertion``), so that a run of any size costs one round trip; keys are the columns' names and
/// dates are ``StepRunDocument/microseconds(_:)``.
struct HistoryWrite: Encodable {
    struct StepRun: Encodable {
        var id, runID, invocation, stepName, status: String
        var queuedAt: Int64?
        var startedAt: Int64
        var endedAt: Int64?
        var parameters, fingerprint: String
        var error, cachedFrom: String?
        var attempt: Int
        var cacheKey, cacheIngredients, logDigest: String?
        var ord: Int
    }

    struct Version: Encodable {
        var id, name: String
        var version: Int
        var digest, typeName, serializer: String
        var serializerVersion: Int
        var size: Int64
        var createdAt: Int64
        var producerStepRunID, outputName, unusableReason: String?
    }

    var stepRuns: [StepRun] = []
    var inputs: [StepRunDocument.Input] = []
    var parents: [StepRunDocument.Parent] = []
    var outputs: [StepRunDocument.Output] = []
    var versions: [Version] = []
    var metadata: [Metadata] = []
    var visualizations: [StepRunDocument.Visualization] = []

    /// Metadata of any kind of entity, where ``StepRunDocument`` writes only artifact versions'.
    struct Metadata: Encodable {
        var entityType, entityID, key, value: String
    }

    /// The rows below `history`'s run.
    init(_ history: RunHistory) {
        add(history.metadata, on: .run(id: history.run.id))
        for stepRun in history.stepRuns {
            let record = stepRun.record
            stepRuns.append(
                StepRun(
                    id: record.id, runID: record.runID, invocation: record.invocation, stepName: record.stepName, status: record.status.rawValue,
                    queuedAt: record.queuedAt.map(StepRunDocument.microseconds), startedAt: StepRunDocument.microseconds(record.startedAt),
                    endedAt: record.endedAt.map(StepRunDocument.microseconds), parameters: CanonicalJSON.string(encoding: record.parameters),
                    fingerprint: record.fingerprint, error: record.error, cachedFrom: record.cachedFrom, attempt: record.attempt,
                    cacheKey: record.cacheKey, cacheIngredients: record.cacheIngredients, logDigest: record.logDigest, ord: stepRuns.count))
            inputs += stepRun.inputs.map {
                StepRunDocument.Input(stepRunID: record.id, name: $0.name, position: $0.position, artifactVersionID: $0.artifactVersionID)
            }
            parents += stepRun.parents.enumerated().map { StepRunDocument.Parent(stepRunID: record.id, parentStepRunID: $1, position: $0) }
            outputs += stepRun.outputs.sorted { $0.key < $1.key }.map {
                StepRunDocument.Output(stepRunID: record.id, name: $0.key, artifactVersionID: $0.value)
            }
            add(stepRun.metadata, on: .stepRun(id: record.id))
        }
        for version in history.artifactVersions { add(version) }
    }

    /// The rows of one artifact version that no step run produced.
    init(_ version: ArtifactVersionHistory) {
        add(version)
    }

    /// Adds an artifact version with its metadata and visualizations.
    private mutating func add(_ version: ArtifactVersionHistory) {
        let record = version.record
        versions.append(
            Version(
                id: record.id, name: record.name, version: record.version, digest: record.digest, typeName: record.typeName,
                serializer: record.serializer, serializerVersion: record.serializerVersion, size: record.size,
                createdAt: StepRunDocument.microseconds(record.createdAt), producerStepRunID: record.producerStepRunID, outputName: record.outputName,
                unusableReason: record.unusableReason))
        add(version.metadata, on: .artifactVersion(id: record.id))
        visualizations += version.visualizations.map {
            StepRunDocument.Visualization(artifactVersionID: record.id, kind: $0.kind.rawValue, digest: $0.digest)
        }
    }

    /// Adds metadata on `target`.
    private mutating func add(_ values: [String: JSONValue], on target: MetadataTarget) {
        metadata += values.sorted { $0.key < $1.key }.map {
            Metadata(entityType: target.kind, entityID: target.id, key: $0.key, value: CanonicalJSON.string(encoding: $0.value))
        }
    }

    /// The document, as text for a `jsonb` parameter.
    func json() throws -> String {
        String(decoding: try Self.encoder.encode(self), as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    /// Inserts every list of the document (`$1`): step runs in their order, artifact versions (but
    /// those whose identifier is there already), links, metadata and visualizations. Foreign keys
    /// are checked when the statement ends, so that rows may refer to rows it inserts.
    static let insertion = """
        WITH document AS (SELECT $1::jsonb AS doc),
        new_step_runs AS (
            INSERT INTO step_run (
                id, run_id, invocation, step_name, status, queued_at, started_at, ended_at, parameters, fingerprint, error, cached_from,
                attempt, cache_key, cache_ingredients, log_digest)
            SELECT s.id, s.run_id, s.invocation, s.step_name, s.status, \(StepRunDocument.time("s.queued_at")),
                \(StepRunDocument.time("s.started_at")), \(StepRunDocument.time("s.ended_at")), s.parameters, s.fingerprint, s.error,
                s.cached_from, s.attempt, s.cache_key, s.cache_ingredients, s.log_digest
            FROM document, jsonb_to_recordset(document.doc -> 'step_runs') AS s(
                id text, run_id text, invocation text, step_name text, status text, queued_at bigint, started_at bigint, ended_at bigint,
                parameters text, fingerprint text, error text, cached_from text, attempt integer, cache_key text, cache_ingredients text,
                log_digest text, ord integer)
            ORDER BY s.ord),
        new_versions AS (
            INSERT INTO artifact_version (
                id, name, version, digest, type_name, serializer, serializer_version, size, created_at, producer_step_run_id, output_name,
                unusable_reason)
            SELECT v.id, v.name, v.version, v.digest, v.type_name, v.serializer, v.serializer_version, v.size, \(StepRunDocument.time("v.created_at")),
                v.producer_step_run_id, v.output_name, v.unusable_reason
            FROM document, jsonb_to_recordset(document.doc -> 'versions') AS v(
                id text, name text, version integer, digest text, type_name text, serializer text, serializer_version integer, size bigint,
                created_at bigint, producer_step_run_id text, output_name text, unusable_reason text)
            ON CONFLICT (id) DO NOTHING
            RETURNING id),
        new_inputs AS (
            INSERT INTO step_run_input (step_run_id, name, position, artifact_version_id)
            SELECT i.* FROM document, jsonb_to_recordset(document.doc -> 'inputs') AS i(
                step_run_id text, name text, position integer, artifact_version_id text)),
        new_outputs AS (
            INSERT INTO step_run_output (step_run_id, name, artifact_version_id)
            SELECT o.* FROM document, jsonb_to_recordset(document.doc -> 'outputs') AS o(step_run_id text, name text, artifact_version_id text)),
        new_parents AS (
            INSERT INTO step_run_parent (step_run_id, parent_step_run_id, position)
            SELECT p.* FROM document, jsonb_to_recordset(document.doc -> 'parents') AS p(
                step_run_id text, parent_step_run_id text, position integer)
            ON CONFLICT DO NOTHING),
        new_metadata AS (
            INSERT INTO metadata (entity_type, entity_id, key, value)
            SELECT m.* FROM document, jsonb_to_recordset(document.doc -> 'metadata') AS m(entity_type text, entity_id text, key text, value text)
            WHERE m.entity_type <> 'artifactVersion' OR m.entity_id IN (SELECT id FROM new_versions)
            ON CONFLICT (entity_type, entity_id, key) DO UPDATE SET value = excluded.value),
        new_visualizations AS (
            INSERT INTO visualization (artifact_version_id, kind, digest)
            SELECT z.* FROM document, jsonb_to_recordset(document.doc -> 'visualizations') AS z(artifact_version_id text, kind text, digest text)
            WHERE z.artifact_version_id IN (SELECT id FROM new_versions)
            ON CONFLICT (artifact_version_id, kind) DO UPDATE SET digest = excluded.digest)
        SELECT count(*) AS versions FROM new_versions
        """
}
