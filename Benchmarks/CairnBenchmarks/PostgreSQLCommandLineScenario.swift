import Cairn
import CairnPostgres
import CairnTesting
import Foundation

/// The `postgres-cli` scenario: the `cli` scenario's store, 100,000 runs of ten chained steps, in
/// PostgreSQL, and the time the release `cairn` executable takes, as a whole process, to list and
/// show runs on a stack whose metadata store it is.
///
/// The server is a private one on loopback (``PostgreSQLTestServer``), with every commit waiting for
/// the disk as a real server's does. The store is filled by SQL on the server (`INSERT … SELECT` from
/// `generate_series`, in one transaction), with the rows the store itself writes: runs with their
/// graphs' nodes, step runs, artifact versions and their counters, inputs, outputs and parents; then
/// `VACUUM ANALYZE`, as autovacuum would. The queries are then timed in process too, to tell the
/// store's share from the process's (connecting, authenticating, starting up).
///
/// Run it with `swift build -c release --product cairn --product cairn-benchmarks` and then
/// `.build/release/cairn-benchmarks postgres-cli`; `CAIRN_BENCH_CLI_RUNS=2000` makes a smaller store.
enum PostgreSQLCommandLineScenario {
    static let schema = "cli"

    static func run() async throws -> [Figure] {
        let runCount = CommandLineScenario.runCount
        let server = try await PostgreSQLTestServer.start(durable: true)
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-bench-postgres-cli-\(UUID().uuidString)")
        do {
            let figures = try await fillAndTime(on: server, runCount: runCount, folder: folder)
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
            return figures
        } catch {
            await server.stop()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// Fills the store, then times the queries in process and the commands as whole processes.
    private static func fillAndTime(on server: PostgreSQLTestServer, runCount: Int, folder: URL) async throws -> [Figure] {
        let created = try await server.makeStore(schema: schema)
        await created.close()
        let seconds = try await measureAsync { try await generate(runCount, on: server) }
        var figures = [
            Figure(
                name: "postgres-cli: generate 100,000 runs, 1,000,000 step runs (INSERT … SELECT, then VACUUM ANALYZE)", value: seconds, unit: "s",
                note: "plus artifact versions and links; fsync on")
        ]
        let configuration = server.configuration(schema: schema)
        let store = try await PostgreSQLMetadataStore.open(configuration, migrating: false)
        figures.append(Figure(name: "postgres-cli: size of the store's tables and indexes", value: Double(try await store.storedBytes()) / 1_048_576, unit: "MiB"))
        guard let newest = try await store.runs(RunQuery(limit: 1)).first?.name,
            let middle = try await store.runs(RunQuery(limit: 1, offset: runCount / 2)).first?.name
        else { throw CairnError.store("the generated store has no runs") }
        let listPlan = try await server.runSQL(
            "SET search_path TO \(schema); EXPLAIN SELECT id FROM run ORDER BY started_at DESC, seq DESC LIMIT 21 OFFSET 0"
        ).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "; ")
        await store.close()

        figures += try await inProcess(configuration, runCount: runCount, middle: middle)
        figures += try wholeProcess(on: server, folder: folder, newest: newest, middle: middle, listPlan: listPlan)
        return figures
    }

    /// Opening the store and the queries of `runs list` and `runs show`, each the median of 20 fresh
    /// opens; and, for comparison, what `runs list` and `runs show` did before they only read:
    /// opening with the schema check of a store that migrates, and looking for abandoned runs.
    private static func inProcess(_ configuration: PostgreSQLMetadataStore.Configuration, runCount: Int, middle: String) async throws -> [Figure] {
        var opens: [Double] = []
        var migratingOpens: [Double] = []
        var lists: [Double] = []
        var warmLists: [Double] = []
        var pages: [Double] = []
        var watchdogs: [Double] = []
        var shows: [Double] = []
        for _ in 0..<BenchmarkSize.repetitions(20) {
            var store: PostgreSQLMetadataStore?
            opens.append(try await measureAsync { store = try await PostgreSQLMetadataStore.open(configuration, migrating: false) })
            guard let metadata = store else { continue }
            lists.append(try await measureAsync { _ = try await metadata.runSummaries(RunQuery(limit: 21)) })
            warmLists.append(try await measureAsync { _ = try await metadata.runSummaries(RunQuery(limit: 21)) })
            pages.append(try await measureAsync { _ = try await metadata.runSummaries(RunQuery(limit: 21, offset: 1_980)) })
            watchdogs.append(try await measureAsync { _ = try await RunWatchdog.markAbandonedRuns(in: metadata) })
            shows.append(try await measureAsync {
                guard let run = try await metadata.run(named: middle) else { throw CairnError.store("no run \(middle)") }
                let stepRuns = try await metadata.stepRuns(runID: run.id)
                _ = try await metadata.stepRunOutputs(runID: run.id)
                _ = try await metadata.stepRunReferences(ids: stepRuns.compactMap(\.cachedFrom))
                _ = try await metadata.artifactVersions(ids: Array(run.outputs.values))
            })
            await metadata.close()
            migratingOpens.append(try await measureAsync { store = try await PostgreSQLMetadataStore.open(configuration) })
            await store?.close()
        }
        return [
            ("open the store without migrating (read commands)", opens, "connect, authenticate, read the schema's version"),
            ("open the store as a run does (checks, migrates if needed)", migratingOpens, "what read commands did before"),
            ("runSummaries, 21 runs (runs list)", lists, "the pool's first query: it opens a connection"),
            ("runSummaries, 21 runs, again", warmLists, "on the pool's open connection: the query's own time"),
            ("runSummaries, 21 runs after 1,980 (runs list --page 100)", pages, ""),
            ("look for abandoned runs (what runs list and show did first, before they only read)", watchdogs, "none to mark"),
            ("a run, its step runs and their outputs (runs show, run \(runCount / 2) by name)", shows, ""),
        ].map { name, times, note in
            Figure(name: "postgres-cli in process: \(name): median of 20", value: median(of: times.dropFirst()) * 1000, unit: "ms", note: note)
        }
    }

    /// The `cairn` executable on the stack, as a user types each command.
    private static func wholeProcess(
        on server: PostgreSQLTestServer, folder: URL, newest: String, middle: String, listPlan: String
    ) throws -> [Figure] {
        let stack = server.stack(named: "bench", schema: schema, artifacts: folder.appending(path: "artifacts"), passwordVariable: "CAIRN_BENCH_DB_PASSWORD")
        _ = try LocalArtifactStore(root: folder.appending(path: "artifacts"))
        var file = StackFile(emptyAt: folder.appending(path: StackFile.fileName).path)
        try file.register(stack)
        try file.write()
        let timing = try CommandTiming(
            environment: [
                StackFile.environmentVariable: file.path, StackSelection.environmentVariable: stack.name, "CAIRN_BENCH_DB_PASSWORD": server.password,
            ],
            prefix: "postgres-cli: ")
        return try timing.figures(CommandTiming.inspection(
            newest: newest, middle: middle, options: [], listPlan: listPlan, worstCase: "worst case: no run matches"))
    }

    // MARK: - Generating

    /// Fills the store's schema with `runCount` runs of the `cli` scenario's pipelines, in one
    /// transaction, with foreign keys unchecked while it loads (they hold by construction); then
    /// vacuums and analyses it.
    static func generate(_ runCount: Int, on server: PostgreSQLTestServer) async throws {
        let pipelines = CommandLineScenario.pipelineCount
        let steps = CommandLineScenario.stepsPerRun
        let failing = "n % \(CommandLineScenario.failureInterval) = \(CommandLineScenario.failureInterval - 1)"
        let configurations = try (0..<pipelines).map { index in
            "(\(index), \(literal(try CommandLineScenario.configuration(of: "pipeline_\(index)"))))"
        }
        let nodes = try CommandLineScenario.chainGraph().nodes.map { literal($0.canonicalJSON) }
        let runs = "generate_series(0, \(runCount - 1)) AS n"
        let origin = "timestamptz '2023-11-14 22:13:20+00'"
        let runID = "md5('run' || n)::uuid::text"
        let stepID = "md5('step' || n || '-' || k)::uuid::text"
        let versionID = "md5('version' || n || '-' || k)::uuid::text"
        let stepStart = "\(origin) + n * interval '1 minute' + k * interval '5 seconds'"
        let stepStatus = "CASE WHEN NOT (\(failing)) OR k < 7 THEN 'completed' WHEN k = 7 THEN 'failed' ELSE 'skipped' END"
        let diverged = "'step ''step_7'' failed: the loss diverged at epoch 3'"
        try await server.runSQL("""
            SET search_path TO \(schema);
            SET session_replication_role = replica;
            BEGIN;
            INSERT INTO pipeline (name, created_at) SELECT 'pipeline_' || p, \(origin) FROM generate_series(0, \(pipelines - 1)) AS p;
            CREATE TEMPORARY TABLE bench_configuration (pipeline integer PRIMARY KEY, configuration text NOT NULL);
            INSERT INTO bench_configuration VALUES \(configurations.joined(separator: ", "));
            INSERT INTO run (id, name, pipeline_name, status, started_at, ended_at, configuration, error, outputs, host, process_id, heartbeat_at)
            SELECT \(runID),
                'pipeline_' || n % \(pipelines) || '-' || to_char((\(origin) + n * interval '1 minute') AT TIME ZONE 'UTC', 'YYYY_MM_DD-HH24_MI_SS'),
                'pipeline_' || n % \(pipelines), CASE WHEN \(failing) THEN 'failed' ELSE 'completed' END,
                \(origin) + n * interval '1 minute', \(origin) + n * interval '1 minute' + \(steps * 5) * interval '1 second',
                configuration, CASE WHEN \(failing) THEN \(diverged) END,
                CASE WHEN \(failing) THEN '{}' ELSE '{"result":"' || md5('version' || n || '-\(steps - 1)')::uuid::text || '"}' END,
                'bench-host', 4242, \(origin) + n * interval '1 minute'
            FROM \(runs) JOIN bench_configuration ON bench_configuration.pipeline = n % \(pipelines)
            ORDER BY n;
            INSERT INTO run_node (run_id, position, node)
            SELECT \(runID), k, (ARRAY[\(nodes.joined(separator: ", "))])[k + 1] FROM \(runs), generate_series(0, \(steps - 1)) AS k;
            INSERT INTO step_run (id, run_id, invocation, step_name, status, started_at, ended_at, parameters, fingerprint, error, attempt)
            SELECT \(stepID), \(runID), 'step_' || k, 'step_' || k, status, \(stepStart),
                CASE WHEN status = 'skipped' THEN \(stepStart) ELSE \(stepStart) + interval '4.25 seconds' END,
                CASE WHEN k = 0 THEN '{"seed":"42"}' ELSE '{}' END, 'fingerprint-' || k,
                CASE status WHEN 'failed' THEN \(diverged) WHEN 'skipped' THEN 'step ''step_' || (k - 1) || ''' did not complete' END, 1
            FROM \(runs), generate_series(0, \(steps - 1)) AS k, LATERAL (SELECT \(stepStatus) AS status) AS chosen
            ORDER BY n, k;
            INSERT INTO artifact_version (
                id, name, version, digest, type_name, serializer, serializer_version, size, created_at, producer_step_run_id, output_name)
            SELECT \(versionID), 'pipeline_' || n % \(pipelines) || '::step_' || k || '::output', n / \(pipelines) + 1,
                lpad(to_hex(n * \(steps) + k + 1), 64, '0'), 'Swift.Array<Swift.Double>', 'cairn.npy', 1, 4096,
                \(stepStart) + interval '4.25 seconds', \(stepID), 'output'
            FROM \(runs), generate_series(0, \(steps - 1)) AS k WHERE NOT (\(failing)) OR k < 7;
            INSERT INTO artifact_counter (name, latest) SELECT name, max(version) FROM artifact_version GROUP BY name;
            INSERT INTO step_run_output (step_run_id, name, artifact_version_id) SELECT producer_step_run_id, 'output', id FROM artifact_version;
            INSERT INTO step_run_input (step_run_id, name, position, artifact_version_id)
            SELECT \(stepID), 'data', 0, md5('version' || n || '-' || (k - 1))::uuid::text
            FROM \(runs), generate_series(1, \(steps - 1)) AS k WHERE NOT (\(failing)) OR k < 7;
            INSERT INTO step_run_parent (step_run_id, parent_step_run_id, position)
            SELECT \(stepID), md5('step' || n || '-' || (k - 1))::uuid::text, 0 FROM \(runs), generate_series(1, \(steps - 1)) AS k;
            COMMIT;
            """)
        // VACUUM runs outside a transaction, so in a command of its own: every schema of the server's database.
        try await server.runSQL("VACUUM ANALYZE")
    }

    /// `text` as an SQL string literal.
    private static func literal(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }
}
