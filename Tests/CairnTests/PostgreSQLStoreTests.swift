import CairnCore
import CairnPostgres
import CairnTesting
import Foundation
import Testing

/// A run request with a one-node graph.
private func newRun(_ name: String, isNumbered: Bool = true) throws -> NewRun {
    NewRun(
        name: name, isNumbered: isNumbered, pipelineName: "training", configuration: "{}",
        graph: try CanonicalJSON.decode(
            PipelineGraph.self, from: #"{"nodes":[{"after":[],"fingerprint":"f","inputs":[],"invocation":"load","step":"load"}]}"#),
        startedAt: Date(timeIntervalSince1970: 1_700_000_000), host: "test-host", processID: 4242)
}

/// An output version of the artifact `name`.
private func newOutput(artifact name: String) -> NewArtifactVersion {
    NewArtifactVersion(outputName: "output", name: name, digest: "d", typeName: "Swift.Int", serializer: "cairn.json", serializerVersion: 1, size: 8)
}

/// What PostgreSQL holds that the SQLite store has no counterpart for: several processes' pools on
/// one database, the schema option, TLS, and the errors of opening a store.
@Suite(
    "PostgreSQLMetadataStore", .timeLimit(.minutes(1)),
    .enabled(if: PostgreSQLTestServer.canRun, Comment(rawValue: PostgreSQLTestServer.missingMessage)))
struct PostgreSQLStoreTests {
    @Test("Writers on pools of their own, as processes on several hosts have, get distinct run names and version numbers 1 to N")
    func concurrentPools() async throws {
        let server = try await PostgreSQLTestServer.shared()
        let schema = "test_pools_\(UUID().uuidString.prefix(8).lowercased())"
        let first = try await server.makeStore(schema: schema)
        let run = try await first.createRun(try newRun("setup"))
        let writers = 8
        let runsEach = 6
        let results = try await withThrowingTaskGroup(of: [(String, Int)].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    // Each writer opens the store again: a pool and connections of its own.
                    let store = try await server.makeStore(schema: schema)
                    var results: [(String, Int)] = []
                    for index in 0..<runsEach {
                        let name = try await store.createRun(try newRun("shared")).name
                        let stepRun = try await store.createStepRun(
                            NewStepRun(runID: run.id, invocation: "shard_\(writer)_\(index)", stepName: "shard", status: .running, startedAt: Date()))
                        let versions = try await store.finishStepRun(
                            id: stepRun.id, outcome: .completed(outputs: [newOutput(artifact: "shared::shard::output")]), at: Date())
                        results.append((name, versions[0].version))
                    }
                    await store.close()
                    return results
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let total = writers * runsEach
        #expect(Set(results.map(\.0)) == Set(["shared"] + (2...total).map { "shared_\($0)" }))
        #expect(results.map(\.1).sorted() == Array(1...total))
        #expect(try await first.artifactVersions(named: "shared::shard::output").map(\.version) == Array(1...total))
        #expect(try await first.counts().runs == total + 1)
        await first.close()
    }

    /// Each writer is an exit test: a process of its own. Run by `scripts/concurrent-writers` alone in
    /// its test process, never in `swift test`'s: on Linux, Swift Testing waits for exit tests on a
    /// thread that calls `waitid(P_ALL, WNOWAIT)` in a loop from the first exit test on, and so spins,
    /// taking a core, whenever another child of the process has ended and is not yet reaped, as the
    /// children of the kill and subprocess tests beside it are.
    @Test(
        "Writers in processes of their own get distinct run names and version numbers 1 to N (CAIRN_WRITERS × CAIRN_RUNS_PER_WRITER)",
        .enabled(if: ProcessInfo.processInfo.environment["CAIRN_POSTGRES_PROCESSES"] == "1", "run by scripts/concurrent-writers"))
    func concurrentProcesses() async throws {
        let server = try await PostgreSQLTestServer.shared()
        let configuration = server.configuration(schema: "test_processes_\(UUID().uuidString.prefix(8).lowercased())")
        let first = try await PostgreSQLMetadataStore.open(configuration)
        let run = try await first.createRun(try newRun("setup"))
        let (writers, runsEach) = (ReliabilityScale.current.writers, ReliabilityScale.current.runsPerWriter)
        let (host, port, password, schema, runID) = (configuration.host, configuration.port, server.password, configuration.schema, run.id)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<writers {
                group.addTask {
                    // Each writer is a process of its own, with its own pool, as on another host.
                    await #expect(processExitsWith: .success) {
                        [host = host as String, port = port as Int, password = password as String, schema = schema as String,
                         runID = runID as String, runsEach = runsEach as Int] in
                        let store = try await PostgreSQLMetadataStore.open(
                            .init(host: host, port: port, database: "postgres", user: "postgres", password: password, schema: schema, tls: .disable))
                        for index in 0..<runsEach {
                            _ = try await store.createRun(try newRun("shared"))
                            let stepRun = try await store.createStepRun(
                                NewStepRun(runID: runID, invocation: "shard_\(index)", stepName: "shard", status: .running, startedAt: Date()))
                            try await store.finishStepRun(
                                id: stepRun.id, outcome: .completed(outputs: [newOutput(artifact: "shared::shard::output")]), at: Date())
                        }
                        await store.close()
                    }
                }
            }
        }
        let total = writers * runsEach
        let names = try await first.runs(RunQuery(pipelineName: "training", limit: 1000)).map(\.name).filter { $0 != "setup" }
        #expect(Set(names) == Set(["shared"] + (2...total).map { "shared_\($0)" }) && names.count == total)
        #expect(try await first.artifactVersions(named: "shared::shard::output").map(\.version) == Array(1...total))
        await first.close()
    }

    @Test("A name given as it is and taken is refused, whoever took it")
    func takenNameIsRefused() async throws {
        let server = try await PostgreSQLTestServer.shared()
        let store = try await server.makeStore()
        _ = try await store.createRun(try newRun("fixed", isNumbered: false))
        await #expect(throws: CairnError.runNameTaken(name: "fixed")) { try await store.createRun(try newRun("fixed", isNumbered: false)) }
        #expect(try await store.counts().runs == 1)
        await store.close()
    }

    @Test("Versions are numbered one past the highest left after a run's are deleted, as in SQLite")
    func numberingAfterDeletion() async throws {
        let store = try await PostgreSQLTestServer.shared().makeStore()
        for name in ["first", "second"] {
            let run = try await store.createRun(try newRun(name))
            let stepRun = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: Date()))
            try await store.finishStepRun(id: stepRun.id, outcome: .completed(outputs: [newOutput(artifact: "model")]), at: Date())
        }
        let second = try #require(try await store.run(named: "second"))
        #expect(try await store.deleteRun(id: second.id).deletedArtifactVersions.map(\.version) == [2])
        #expect(try await store.createArtifactVersion(newOutput(artifact: "model")).version == 2)
        #expect(try await store.createArtifactVersion(newOutput(artifact: "model")).version == 3)
        await store.close()
    }

    @Test("Stores in two schemas of one database see only their own records; the schema is created on first use")
    func schemasAreSeparate() async throws {
        let server = try await PostgreSQLTestServer.shared()
        let name = "Team \"A\" \(UUID().uuidString.prefix(8).lowercased())"
        let teamA = try await server.makeStore(schema: name)
        let teamB = try await server.makeStore()
        _ = try await teamA.createRun(try newRun("nightly"))
        #expect(try await teamB.run(named: "nightly") == nil)
        #expect(try await teamB.createRun(try newRun("nightly")).name == "nightly")
        let tables = try await server.runSQL(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '\(name.replacing("'", with: "''"))' AND table_name = 'run'")
        #expect(tables == "run", "the tables are in the schema named")
        #expect(try await teamA.schemaVersion() == PostgreSQLMetadataStore.latestSchemaVersion)

        let reopened = try await server.makeStore(schema: name)
        #expect(try await reopened.run(named: "nightly")?.host == "test-host")
        for store in [teamA, teamB, reopened] { await store.close() }
    }

    @Test("A schema written by a newer Cairn is refused, naming the store, and nothing is written")
    func newerSchemaIsRefused() async throws {
        let server = try await PostgreSQLTestServer.shared()
        let schema = "test_newer_\(UUID().uuidString.prefix(8).lowercased())"
        let store = try await server.makeStore(schema: schema)
        _ = try await store.createRun(try newRun("old"))
        await store.close()
        try await server.runSQL("INSERT INTO \(schema).cairn_schema_migration (identifier) VALUES ('v99-from-the-future')")
        let before = try await server.runSQL("SELECT count(*) FROM \(schema).run; SELECT count(*) FROM \(schema).cairn_schema_migration")

        let error = await #expect(throws: CairnError.self) { try await server.makeStore(schema: schema) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("newer version of Cairn") && message.contains("v99-from-the-future"))
        #expect(message.contains(server.configuration(schema: schema).storeDescription))
        #expect(try await server.runSQL("SELECT count(*) FROM \(schema).run; SELECT count(*) FROM \(schema).cairn_schema_migration") == before)
    }

    @Test("Opened without migrating, a current store is read; a missing, older or newer schema is refused, naming the store, and nothing is written",
        arguments: SchemaFault.allCases)
    func openingWithoutMigrating(fault: SchemaFault) async throws {
        let server = try await PostgreSQLTestServer.shared()
        let schema = "test_read_\(UUID().uuidString.prefix(8).lowercased())"
        let configuration = server.configuration(schema: schema)
        let expected: String
        switch fault {
        case .missing:
            expected = "holds no Cairn schema yet; the first run recorded in it creates it"
        case .older, .newer:
            let store = try await PostgreSQLMetadataStore.open(configuration)
            _ = try await store.createRun(try newRun("recorded"))
            await store.close()
            let reader = try await PostgreSQLMetadataStore.open(configuration, migrating: false)
            #expect(try await reader.run(named: "recorded")?.host == "test-host", "a current schema is read as it is")
            await reader.close()
            if fault == .older {
                let latest = PostgreSQLMetadataStore.latestSchemaVersion
                try await server.runSQL("DELETE FROM \(schema).cairn_schema_migration WHERE identifier = '\(latest)'")
                expected = "has an older schema (it lacks \(latest)); the next run recorded in it upgrades it"
            } else {
                try await server.runSQL("INSERT INTO \(schema).cairn_schema_migration (identifier) VALUES ('v99-from-the-future')")
                expected = "was written by a newer version of Cairn (schema v99-from-the-future)"
            }
        }
        // The schema, its tables, their columns, the migrations applied and the runs.
        let state = fault == .missing
            ? "SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'"
            : """
            SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, column_name) FROM information_schema.columns
            WHERE table_schema = '\(schema)';
            SELECT string_agg(identifier, ',' ORDER BY identifier) FROM \(schema).cairn_schema_migration;
            SELECT string_agg(name, ',' ORDER BY name) FROM \(schema).run
            """
        let before = try await server.runSQL(state)
        if fault == .missing { #expect(before == "0") }

        let error = await #expect(throws: CairnError.self) { try await PostgreSQLMetadataStore.open(configuration, migrating: false) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(configuration.storeDescription), "\(message)")
        #expect(message.contains(expected), "\(message)")
        #expect(try await server.runSQL(state) == before, "nothing was written")
    }

    @Test("Opening fails with an error that names the store and the problem, and writes nothing", arguments: OpeningFault.allCases)
    func openingErrors(fault: OpeningFault) async throws {
        let server = try await PostgreSQLTestServer.shared()
        let port = try LoopbackPort()
        defer { port.close() }
        let schema = "test_fault_\(UUID().uuidString.prefix(8).lowercased())"
        var configuration = server.configuration(schema: schema)
        let expected: String
        switch fault {
        case .unreachablePort:
            // A port bound and not listened on: a connection to it is refused, and no one else can take it meanwhile.
            configuration.port = port.number
            expected = "cannot reach the server at 127.0.0.1:\(port.number)"
        case .wrongPassword:
            configuration.password = "not-the-password"
            expected = "the server refused the password of user 'postgres'"
        case .missingDatabase:
            configuration.database = "no_such_database"
            expected = "the database 'no_such_database' does not exist"
        case .tlsNotOffered:
            configuration.tls = .require
            expected = "the server does not offer TLS"
        }
        let error = await #expect(throws: CairnError.self) { try await PostgreSQLMetadataStore.open(configuration) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(configuration.storeDescription), "\(message)")
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains(server.password))
        #expect(try await server.runSQL("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'") == "0", "the schema was not created")
    }

    @Test("TLS required: refused when no authority vouches for the server's certificate, used when its authority is given")
    func requiredTLS() async throws {
        let server = try await PostgreSQLTestServer.start(tls: true)
        do {
            var configuration = server.configuration(schema: "test_tls")
            configuration.tls = .require
            let error = await #expect(throws: CairnError.self) { try await PostgreSQLMetadataStore.open(configuration) }
            let message = error.map { "\($0)" } ?? ""
            #expect(message.contains(configuration.storeDescription) && message.contains("TLS with the server failed"), "\(message)")

            configuration.tlsRootCertificates = try #require(server.certificate).path
            let store = try await PostgreSQLMetadataStore.open(configuration)
            #expect(try await store.createRun(try newRun("encrypted")).name == "encrypted")
            // The pool keeps its connection open: the server says whether it is encrypted. Each
            // connection names its process, as `cairn PID@HOST`.
            let encrypted = try await server.runSQL(
                """
                SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
                WHERE application_name LIKE 'cairn \(ProcessInfo.processInfo.processIdentifier)@%'
                """)
            #expect(encrypted == "t")
            await store.close()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("TLS when the server offers it falls back to plain TCP on a server without it")
    func preferredTLS() async throws {
        let server = try await PostgreSQLTestServer.shared()
        var configuration = server.configuration(schema: "test_tls_\(UUID().uuidString.prefix(8).lowercased())")
        configuration.tls = .prefer
        let store = try await PostgreSQLMetadataStore.open(configuration)
        #expect(try await store.createRun(try newRun("over-tcp")).name == "over-tcp")
        await store.close()
    }
}

/// A way for opening a PostgreSQL store to fail.
enum OpeningFault: CaseIterable, Sendable {
    case unreachablePort, wrongPassword, missingDatabase, tlsNotOffered
}

/// What is wrong with a store's schema, for a store opened without migrating.
enum SchemaFault: CaseIterable, Sendable {
    case missing, older, newer
}

