import CairnCore
import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import Testing

@Suite("SQLiteMetadataStore", .timeLimit(.minutes(1)))
struct SQLiteMetadataStoreTests {
    /// A path for a new database file in a new temporary folder, and a function that deletes the folder.
    func makePath() -> (path: String, cleanup: @Sendable () -> Void) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-sqlite-\(UUID().uuidString)")
        return (folder.appendingPathComponent("nested/metadata.sqlite").path, { try? FileManager.default.removeItem(at: folder) })
    }

    @Test("The file is in WAL mode, healthy, and at the newest schema")
    func walModeAndIntegrity() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        let store = try SQLiteMetadataStore(path: path)
        #expect(store.path == path)
        _ = try await store.createRun(try StoreSamples.run("wal"))

        let journalMode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
        #expect(try await store.integrityCheck().isEmpty)
        #expect(try await store.schemaVersion() == SQLiteMetadataStore.latestSchemaVersion)
    }

    @Test("Reopening a file keeps its records")
    func reopen() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        let created = try await SQLiteMetadataStore(path: path).createRun(try StoreSamples.run("kept"))

        let reopened = try SQLiteMetadataStore(path: path)
        #expect(try await reopened.run(id: created.id) == created)
        #expect(try await reopened.schemaVersion() == SQLiteMetadataStore.latestSchemaVersion)
    }

    @Test("A file that kept each run's graph as one text, and each step run's cache ingredients, is migrated, both kept")
    func graphsMigratedToNodes() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        let store = try SQLiteMetadataStore(path: path)
        let created = try await store.createRun(try StoreSamples.run("old"))
        let stepRun = try await store.createStepRun(NewStepRun(
            runID: created.id, invocation: "load", stepName: "load", status: .completed, startedAt: StoreSamples.date(1), cacheKey: "k1",
            cacheIngredients: #"{"step":"load"}"#))
        // Back to the schemas before `v6-run-nodes` (the graph in the run's row) and `v9-compact` (the
        // ingredients in the step run's row).
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "ALTER TABLE run ADD COLUMN graph TEXT NOT NULL DEFAULT ''")
            try db.execute(sql: "UPDATE run SET graph = ?", arguments: [CanonicalJSON.string(encoding: created.graph)])
            try db.execute(sql: "DROP TABLE runNode")
            try db.execute(sql: "DROP TABLE graphNode")
            try db.execute(sql: "ALTER TABLE stepRun ADD COLUMN cacheIngredients TEXT")
            try db.execute(sql: "UPDATE stepRun SET cacheIngredients = (SELECT ingredients FROM cacheIngredients WHERE cacheKey = stepRun.cacheKey)")
            try db.execute(sql: "DROP TABLE cacheIngredients")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier IN ('v6-run-nodes', 'v9-compact')")
        }

        let reopened = try SQLiteMetadataStore(path: path)
        #expect(try await reopened.run(id: created.id) == created)
        #expect(try await reopened.runSummaries(RunQuery()).first?.plannedStepCount == 2)
        #expect(try await reopened.stepRun(id: stepRun.id)?.cacheIngredients == #"{"step":"load"}"#)
        #expect(try await reopened.schemaVersion() == SQLiteMetadataStore.latestSchemaVersion)
    }

    @Test("A file written by a newer Cairn is refused")
    func newerSchemaIsRefused() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        _ = try await SQLiteMetadataStore(path: path).createRun(try StoreSamples.run("old"))
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }

        let error = #expect(throws: CairnError.self) { try SQLiteMetadataStore(path: path) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("newer version of Cairn"))
        #expect(message.contains("v99-from-the-future"))
        #expect(message.contains(path))
    }

    @Test("Separate connections to one file, as separate processes have, never collide")
    func separateConnections() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        let first = try SQLiteMetadataStore(path: path)
        let run = try await first.createRun(try StoreSamples.run("setup"))

        // Each task opens its own store: its own SQLite connections, contending for the write lock.
        let results = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for index in 0..<20 {
                group.addTask {
                    let store = try SQLiteMetadataStore(path: path)
                    let name = try await store.createRun(try StoreSamples.run("shared")).name
                    let (_, versions) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "shard_\(index)",
                        outputs: [StoreSamples.output(artifact: "shared::shard::output")])
                    return (name, versions[0].version)
                }
            }
            return try await group.reduce(into: [(String, Int)]()) { $0.append($1) }
        }
        #expect(Set(results.map(\.0)) == Set(["shared"] + (2...20).map { "shared_\($0)" }))
        #expect(results.map(\.1).sorted() == Array(1...20))
        #expect(try await first.integrityCheck().isEmpty)
    }
}
