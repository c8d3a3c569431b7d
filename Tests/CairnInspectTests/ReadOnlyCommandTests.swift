import Cairn
import CairnTesting
import Foundation
import GRDB
import Testing

/// A store of either flavor holding a completed run and a run whose process is gone, with a record of
/// every write made to its tables from then on, for commands that must only read.
///
/// - `finished`: `load` completed with the output `demo::load::output` v1, and logged a line.
/// - `killed`: recorded as running, with `score` running, by a process of this host that has ended.
///
/// Every table of the store has triggers that record each insert, update and delete (on
/// PostgreSQL, each statement, even one that changes no row) in a table of their own: ``writes()``.
struct WatchedStore {
    /// Where the stores are.
    enum Flavor: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgresql

        /// The flavors that can run here: PostgreSQL where its server is installed, and always under CI.
        static var available: [Flavor] {
            PostgreSQLTestServer.canRun ? [.sqlite, .postgresql] : [.sqlite]
        }

        var testDescription: String { rawValue }
    }

    let flavor: Flavor
    /// The project folder: the local store's `.cairn`, or the stack file and the artifact folder.
    let folder: URL
    /// What `cairn` needs to find the store: `CAIRN_HOME`, or the stack file, the stack and its password.
    let environment: [String: String]
    let metadata: any MetadataStore
    let finished: RunRecord
    let killed: RunRecord
    /// The schema of the PostgreSQL store; the triggers' table is in `SCHEMA_audit`.
    private let schema: String
    private let server: PostgreSQLTestServer?

    static func make(_ flavor: Flavor) async throws -> WatchedStore {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-read-only-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let schema = "read_only_\(UUID().uuidString.prefix(8).lowercased())"
        let environment: [String: String]
        let server: PostgreSQLTestServer?
        switch flavor {
        case .sqlite:
            server = nil
            environment = ["CAIRN_HOME": folder.appending(path: ".cairn").path]
        case .postgresql:
            let shared = try await PostgreSQLTestServer.shared()
            server = shared
            environment = try teamStack(on: shared, schema: schema, in: folder)
        }
        let stack = try await Stack.open(try StackSelection.resolve(environment: environment), environment: environment)
        let (finished, killed) = try await record(in: stack)
        let store = WatchedStore(
            flavor: flavor, folder: folder, environment: environment, metadata: stack.metadata, finished: finished, killed: killed,
            schema: schema, server: server)
        try await store.watchWrites()
        return store
    }

    /// Writes a stack file in `folder` whose stack `team` is `schema` on `server`, with its
    /// artifacts in `folder/artifacts`, and returns the environment that makes it `cairn`'s stack.
    static func teamStack(on server: PostgreSQLTestServer, schema: String, in folder: URL) throws -> [String: String] {
        let stack = server.stack(named: "team", schema: schema, artifacts: folder.appending(path: "artifacts"), passwordVariable: "TEAM_DB_PASSWORD")
        _ = try LocalArtifactStore(root: folder.appending(path: "artifacts"))
        var file = StackFile(emptyAt: folder.appending(path: StackFile.fileName).path)
        try file.register(stack)
        try file.write()
        return [
            StackFile.environmentVariable: file.path, StackSelection.environmentVariable: stack.name, "TEAM_DB_PASSWORD": server.password,
            "CAIRN_HOME": folder.appending(path: ".cairn").path,
        ]
    }

    /// Records the two runs.
    private static func record(in stack: Stack) async throws -> (finished: RunRecord, killed: RunRecord) {
        let graph = try CanonicalJSON.decode(PipelineGraph.self, from: """
            {"nodes":[{"after":[],"fingerprint":"f-load","inputs":[],"invocation":"load","step":"load"},\
            {"after":["load"],"fingerprint":"f-score","inputs":[],"invocation":"score","step":"score"}]}
            """)
        let metadata = stack.metadata
        var finished = try await metadata.createRun(NewRun(
            name: "finished", pipelineName: "demo", configuration: "{}", graph: graph, startedAt: Date(timeIntervalSinceNow: -60),
            host: ProcessInfo.processInfo.hostName, processID: ProcessInfo.processInfo.processIdentifier))
        let load = try await metadata.createStepRun(NewStepRun(
            runID: finished.id, invocation: "load", stepName: "load", status: .running, startedAt: Date(timeIntervalSinceNow: -59)))
        let bytes = try await stack.artifacts.store { try $0.write(Data("[1,2,3]".utf8)) }
        try await metadata.finishStepRun(
            id: load.id,
            outcome: .completed(outputs: [NewArtifactVersion(
                outputName: "output", name: "demo::load::output", digest: bytes.digest, typeName: "Swift.Array<Swift.Int>",
                serializer: "cairn.json", serializerVersion: 1, size: bytes.size)]),
            at: Date(timeIntervalSinceNow: -58))
        let log = try await stack.artifacts.store { try $0.write(Data("loaded 3 numbers\n".utf8)) }
        try await metadata.attachLog(stepRunID: load.id, digest: log.digest)
        try await metadata.finishRun(id: finished.id, status: .completed, error: nil, outputs: [:], at: Date(), owner: RunOwner(of: finished))
        finished = try #require(try await metadata.run(id: finished.id))

        // A process of this host that has ended: its identifier names no process now.
        let (_, output) = try await SpawnedProcess.run(["/bin/sh", "-c", "echo $$"])
        let gone = try #require(Int32(output.trimmingCharacters(in: .whitespacesAndNewlines)))
        let killed = try await metadata.createRun(NewRun(
            name: "killed", pipelineName: "demo", configuration: "{}", graph: graph, startedAt: Date(), host: ProcessInfo.processInfo.hostName,
            processID: gone))
        _ = try await metadata.createStepRun(NewStepRun(runID: killed.id, invocation: "score", stepName: "score", status: .running, startedAt: Date()))
        return (finished, killed)
    }

    /// Adds the triggers that record writes.
    private func watchWrites() async throws {
        switch flavor {
        case .sqlite:
            try await DatabaseQueue(path: folder.appending(path: ".cairn/metadata.sqlite").path).write { db in
                try db.execute(sql: "CREATE TABLE watchedWrite (tableName TEXT NOT NULL, operation TEXT NOT NULL)")
                for table in try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'watchedWrite'")
                {
                    for operation in ["INSERT", "UPDATE", "DELETE"] {
                        try db.execute(sql: """
                            CREATE TRIGGER "watch_\(table)_\(operation)" AFTER \(operation) ON "\(table)"
                            BEGIN INSERT INTO watchedWrite VALUES ('\(table)', '\(operation)'); END
                            """)
                    }
                }
            }
        case .postgresql:
            try await server!.runSQL("""
                CREATE SCHEMA \(schema)_audit;
                CREATE TABLE \(schema)_audit.writes (table_name text NOT NULL, operation text NOT NULL);
                CREATE FUNCTION \(schema)_audit.record() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN INSERT INTO \(schema)_audit.writes VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$;
                DO $$ DECLARE found record; BEGIN
                    FOR found IN SELECT tablename FROM pg_tables WHERE schemaname = '\(schema)' LOOP
                        EXECUTE format('CREATE TRIGGER watch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I.%I FOR EACH STATEMENT '
                            || 'EXECUTE FUNCTION \(schema)_audit.record()', '\(schema)', found.tablename);
                    END LOOP;
                END $$
                """)
        }
    }

    /// The writes made to the store's tables since it was made: `TABLE OPERATION`, in order.
    func writes() async throws -> [String] {
        switch flavor {
        case .sqlite:
            var configuration = Configuration()
            configuration.readonly = true
            return try await DatabaseQueue(path: folder.appending(path: ".cairn/metadata.sqlite").path, configuration: configuration).read { db in
                try Row.fetchAll(db, sql: "SELECT tableName, operation FROM watchedWrite ORDER BY rowid").map { "\($0[0] as String) \($0[1] as String)" }
            }
        case .postgresql:
            let rows = try await server!.runSQL("SELECT table_name || ' ' || operation FROM \(schema)_audit.writes")
            return rows.isEmpty ? [] : rows.components(separatedBy: "\n")
        }
    }

    /// Runs the `cairn` executable on the store.
    func cairn(_ arguments: String...) async throws -> CommandOutput {
        try await CairnExecutable.run(arguments, in: folder, environment: environment)
    }

    /// Deletes the folder; a PostgreSQL store's schemas go with the test server.
    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

@Suite("Commands that only read never write", .timeLimit(.minutes(2)))
struct ReadOnlyCommandTests {
    @Test("runs list, show and dag show a run whose process is gone as abandoned, and no read command writes", arguments: WatchedStore.Flavor.available)
    func abandonedRunIsShownNotMarked(flavor: WatchedStore.Flavor) async throws {
        let store = try await WatchedStore.make(flavor)
        defer { store.remove() }
        let reason = "the process running it stopped (process \(store.killed.processID) on \(store.killed.host)); resume the run to finish it"

        let listed = try await store.cairn("runs", "list")
        #expect(listed.status == 0, "\(listed.error)")
        let rows = listed.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.first { $0.first == "killed" }?[2] == "abandoned", "\(listed.output)")
        #expect(rows.first { $0.first == "finished" }?[2] == "completed", "\(listed.output)")
        let json = try await store.cairn("runs", "list", "--json")
        let runs = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]] ?? []
        #expect(runs.first?["status"] as? String == "abandoned" && runs.first?["error"] as? String == reason, "\(json.output)")

        let shown = try await store.cairn("runs", "show", "killed")
        #expect(shown.output.contains("Status    abandoned\n"), "\(shown.output)")
        #expect(shown.output.contains("  score  abandoned"), "\(shown.output)")
        #expect(shown.output.contains("Errors\n  \(reason)\n"), "\(shown.output)")
        let drawn = try await store.cairn("runs", "dag", "killed")
        #expect(drawn.output.contains("score  abandoned"), "\(drawn.output)")
        let pipelines = try await store.cairn("pipeline", "list")
        #expect(pipelines.output.split(separator: "\n").last?.split(separator: " ").map(String.init).dropFirst(2).prefix(2) == ["killed", "abandoned"],
            "\(pipelines.output)")

        for command in [
            ["status"], ["runs", "list", "--status", "running"], ["runs", "show", "finished", "--json"], ["runs", "dag", "finished", "--format", "dot"],
            ["steps", "logs", "finished", "load"], ["artifact", "list"], ["artifact", "show", "demo::load::output"],
            ["artifact", "versions", "demo::load::output"], ["stack", "describe"],
        ] {
            let result = try await CairnExecutable.run(command, in: store.folder, environment: store.environment)
            #expect(result.status == 0, "cairn \(command.joined(separator: " ")): \(result.error)")
        }
        #expect(try await store.writes() == [], "no read command wrote to the store")
        #expect(try await store.metadata.run(id: store.killed.id)?.status == .running, "the killed run is still recorded as running")
        #expect(try await store.metadata.stepRuns(runID: store.killed.id).map(\.status) == [.running])

        // A write marks it: here, the watchdog a run or a resume calls first.
        #expect(try await RunWatchdog.markAbandonedRuns(in: store.metadata).map(\.id) == [store.killed.id])
        #expect(try await store.cairn("runs", "show", "killed").output.contains("Status    failed\n"))
    }
}

@Suite(
    "Commands that only read never migrate a PostgreSQL store", .timeLimit(.minutes(1)),
    .enabled(if: PostgreSQLTestServer.canRun, Comment(rawValue: PostgreSQLTestServer.missingMessage)))
struct ReadOnlySchemaTests {
    /// What is wrong with the schema.
    enum Fault: String, CaseIterable {
        case missing, older, newer
    }

    @Test("a schema that is missing, older or newer than the code is named with the stack and the component, and left as it is",
        arguments: Fault.allCases)
    func schemaIsNotMigrated(fault: Fault) async throws {
        let server = try await PostgreSQLTestServer.shared()
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-read-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let schema = "read_schema_\(UUID().uuidString.prefix(8).lowercased())"
        let environment = try WatchedStore.teamStack(on: server, schema: schema, in: folder)
        let expected: String
        switch fault {
        case .missing:
            expected = "holds no Cairn schema yet; the first run recorded in it creates it"
        case .older:
            _ = try await Stack.open(try StackSelection.resolve(environment: environment), environment: environment)
            let latest = try await server.runSQL("SELECT max(identifier) FROM \(schema).cairn_schema_migration")
            try await server.runSQL("DELETE FROM \(schema).cairn_schema_migration WHERE identifier = '\(latest)'")
            expected = "has an older schema (it lacks \(latest)); the next run recorded in it upgrades it"
        case .newer:
            _ = try await Stack.open(try StackSelection.resolve(environment: environment), environment: environment)
            try await server.runSQL("INSERT INTO \(schema).cairn_schema_migration (identifier) VALUES ('v99-from-the-future')")
            expected = "was written by a newer version of Cairn (schema v99-from-the-future); upgrade Cairn to open it"
        }
        // The schema; or its columns and the migrations applied.
        let state = fault == .missing
            ? "SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'"
            : """
            SELECT count(*) FROM information_schema.columns WHERE table_schema = '\(schema)';
            SELECT string_agg(identifier, ',' ORDER BY identifier) FROM \(schema).cairn_schema_migration
            """
        let before = try await server.runSQL(state)
        if fault == .missing { #expect(before == "0") }

        for command in [["runs", "list"], ["status"], ["runs", "show", "nightly"], ["artifact", "list"]] {
            let result = try await CairnExecutable.run(command, in: folder, environment: environment)
            #expect(result.status == 1)
            #expect(result.error.hasPrefix(
                "Error: stack 'team': metadata store (postgresql, postgres@\(server.host):\(server.port)/postgres (schema \(schema))): "),
                "\(result.error)")
            #expect(result.error.contains(expected), "\(result.error)")
        }
        #expect(try await server.runSQL(state) == before, "the schema is as it was")
    }
}
