import CairnCore
import Foundation
import PostgresNIO

/// The statements that record step runs: each one statement, so one round trip and one commit,
/// prepared once per connection.
///
/// Both write a ``StepRunDocument`` (`$1`). New artifact versions are numbered by `artifact_counter`:
/// the upsert of a name's row takes its lock until the statement commits, so concurrent writers of
/// one name, on any host, take numbers one after the other, and a writer waiting for the lock
/// reads the number its predecessor left. Names are locked in name order, so that two writers of
/// the same names never wait for each other in a circle.
///
/// Foreign keys are checked when the statement ends, so a step run may name, as its parent or
/// input, a step run or an artifact version written by the same statement.
enum StepRunStatements {
    /// Rows of `artifact_version` to insert, read from the document (`wanted`), then numbered (`numbered`).
    static func versionSteps(when condition: String) -> String {
        """
        wanted AS (
            SELECT v.* FROM document, jsonb_to_recordset(document.doc -> 'versions') AS v(
                id text, name text, digest text, type_name text, serializer text, serializer_version integer, size bigint,
                created_at bigint, producer_step_run_id text, output_name text, ord integer)
            WHERE \(condition)),
        counted AS (
            INSERT INTO artifact_counter AS counter (name, latest)
            SELECT name, count(*) FROM wanted GROUP BY name ORDER BY name
            ON CONFLICT (name) DO UPDATE SET latest = counter.latest + excluded.latest
            RETURNING name, latest),
        numbered AS (
            SELECT wanted.*, (counted.latest - count(*) OVER (PARTITION BY wanted.name)
                + row_number() OVER (PARTITION BY wanted.name ORDER BY wanted.ord))::integer AS version
            FROM wanted JOIN counted USING (name)),
        new_versions AS (
            INSERT INTO artifact_version (
                id, name, version, digest, type_name, serializer, serializer_version, size, created_at, producer_step_run_id, output_name)
            SELECT id, name, version, digest, type_name, serializer, serializer_version, size, \(StepRunDocument.time("created_at")),
                producer_step_run_id, output_name
            FROM numbered
            RETURNING id, version),
        new_outputs AS (
            INSERT INTO step_run_output (step_run_id, name, artifact_version_id)
            SELECT o.* FROM document, jsonb_to_recordset(document.doc -> 'outputs') AS o(step_run_id text, name text, artifact_version_id text)
            WHERE \(condition)),
        new_metadata AS (
            INSERT INTO metadata (entity_type, entity_id, key, value)
            SELECT 'artifactVersion', m.entity_id, m.key, m.value
            FROM document, jsonb_to_recordset(document.doc -> 'metadata') AS m(entity_id text, key text, value text)
            WHERE \(condition)
            ON CONFLICT (entity_type, entity_id, key) DO UPDATE SET value = excluded.value),
        new_visualizations AS (
            INSERT INTO visualization (artifact_version_id, kind, digest)
            SELECT z.* FROM document, jsonb_to_recordset(document.doc -> 'visualizations') AS z(artifact_version_id text, kind text, digest text)
            WHERE \(condition)
            ON CONFLICT (artifact_version_id, kind) DO UPDATE SET digest = excluded.digest)
        """
    }

    /// Inserts new step runs, with their links: every list of the document.
    static let insertion = """
        WITH document AS (SELECT $1::jsonb AS doc),
        new_step_runs AS (
            INSERT INTO step_run (
                id, run_id, invocation, step_name, status, queued_at, started_at, ended_at, parameters, fingerprint, error, cached_from,
                attempt, cache_key, cache_ingredients)
            SELECT s.id, s.run_id, s.invocation, s.step_name, s.status, \(StepRunDocument.time("s.queued_at")),
                \(StepRunDocument.time("s.started_at")), \(StepRunDocument.time("s.ended_at")), s.parameters, s.fingerprint, s.error,
                s.cached_from, s.attempt, s.cache_key, s.cache_ingredients
            FROM document, jsonb_to_recordset(document.doc -> 'step_runs') AS s(
                id text, run_id text, invocation text, step_name text, status text, queued_at bigint, started_at bigint, ended_at bigint,
                parameters text, fingerprint text, error text, cached_from text, attempt integer, cache_key text, cache_ingredients text,
                ord integer)
            ORDER BY s.ord),
        new_inputs AS (
            INSERT INTO step_run_input (step_run_id, name, position, artifact_version_id)
            SELECT i.* FROM document, jsonb_to_recordset(document.doc -> 'inputs') AS i(
                step_run_id text, name text, position integer, artifact_version_id text)),
        new_parents AS (
            INSERT INTO step_run_parent (step_run_id, parent_step_run_id, position)
            SELECT p.* FROM document, jsonb_to_recordset(document.doc -> 'parents') AS p(
                step_run_id text, parent_step_run_id text, position integer)
            ON CONFLICT DO NOTHING),
        \(versionSteps(when: "true"))
        SELECT 1::bigint AS finished, new_versions.id, new_versions.version FROM (SELECT 1) AS one LEFT JOIN new_versions ON true
        """

    /// Ends a running step run (`$2` its identifier, `$3` its status, `$4` its error, `$5` when its body
    /// began or `NULL`, `$6` when it ended) and inserts its new output versions, only if it exists.
    static let finish = """
        WITH document AS (SELECT $1::jsonb AS doc),
        finished AS (
            UPDATE step_run SET status = $3::text, error = $4::text, started_at = COALESCE($5::timestamptz, started_at), ended_at = $6::timestamptz
            WHERE id = $2::text
            RETURNING id),
        \(versionSteps(when: "EXISTS (SELECT 1 FROM finished)"))
        SELECT (SELECT count(*) FROM finished) AS finished, new_versions.id, new_versions.version
        FROM (SELECT 1) AS one LEFT JOIN new_versions ON true
        """

    /// The rows both statements return: how many step runs were ended (1 when a step run was
    /// inserted), then each new artifact version's identifier and number, or `NULL`s when there is none.
    typealias Row = (Int64, String?, Int32?)

    /// Records new step runs whole, with their new artifact versions.
    struct Insert: PostgresPreparedStatement {
        static let sql = StepRunStatements.insertion
        var document: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(document)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> StepRunStatements.Row {
            try row.decode(StepRunStatements.Row.self)
        }
    }

    /// Ends a step run, with its new artifact versions.
    struct Finish: PostgresPreparedStatement {
        static let sql = StepRunStatements.finish
        var document: String
        var id: String
        var status: ExecutionStatus
        var error: String?
        var startedAt: Date?
        var endedAt: Date

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings()
            bindings.append(document)
            bindings.append(id)
            bindings.append(status.rawValue)
            bindings.append(error)
            bindings.append(startedAt)
            bindings.append(endedAt)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> StepRunStatements.Row {
            try row.decode(StepRunStatements.Row.self)
        }
    }
}
