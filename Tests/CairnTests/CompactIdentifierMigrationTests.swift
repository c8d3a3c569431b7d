import CairnCore
import CairnSQLite
import Foundation
import GRDB
import Testing

@Suite("SQLite: a store of schema v10 migrated to compact identifiers", .timeLimit(.minutes(1)))
struct CompactIdentifierMigrationTests {
    // Identifiers as schema v10 kept them, as text: UUIDs, and one that is not a UUID.
    let runID = "019ab5e1-d9cb-769f-a165-70867728950e"
    let otherRunID = "019ab5e1-d9cb-769f-a165-70867728950f"
    let prepare = "019ab5e1-d9cb-769f-a165-000000000001"
    let load = "019ab5e1-d9cb-769f-a165-000000000002"
    let train = "a-step-run-of-an-older-cairn"
    let cached = "019ab5e1-d9cb-769f-a165-000000000004"
    let data = "019ab5e1-d9cb-769f-a165-0000000000aa"
    let model = "019ab5e1-d9cb-769f-a165-0000000000bb"
    let fingerprint = String(repeating: "0f", count: 32)
    let cacheKey = String(repeating: "ab", count: 32)

    /// A file at schema v10 holding two runs: `first` (prepare, load, train, train having both
    /// others as parents, load's last) and `second`, whose train is cached from the first's.
    func makeVersion10Store(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try SQLiteMetadataStore.migrator.migrate(queue, upTo: "v10-run-process-start")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO pipeline (name, createdAt) VALUES ('p', '2025-01-01 00:00:00.000')")
            let tagged = #"{"options":{"tags":["nightly"]}}"#
            for (id, name, outputs, configuration) in [(runID, "first", #"{"model":"\#(model)"}"#, tagged), (otherRunID, "second", "{}", "{}")] {
                try db.execute(
                    sql: """
                        INSERT INTO run (id, name, pipelineName, status, startedAt, endedAt, configuration, outputs, host, processID)
                        VALUES (?, ?, 'p', 'completed', '2025-01-01 00:00:00.000', '2025-01-01 00:01:00.000', ?, ?, 'h', 1)
                        """,
                    arguments: [id, name, configuration, outputs])
            }
            let steps: [(String, String, String, String?, String?)] = [
                (prepare, runID, "prepare", nil, nil), (load, runID, "load", nil, nil), (train, runID, "train", nil, cacheKey),
                (cached, otherRunID, "train", train, cacheKey),
            ]
            for (index, (id, run, invocation, cachedFrom, key)) in steps.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO stepRun (id, runID, invocation, stepName, status, startedAt, endedAt, parameters, fingerprint,
                            cachedFrom, attempt, cacheKey)
                        VALUES (?, ?, ?, ?, ?, ?, ?, '{"rate":"0.1"}', ?, ?, 1, ?)
                        """,
                    arguments: [
                        id, run, invocation, invocation, cachedFrom == nil ? "completed" : "cached", "2025-01-01 00:00:0\(index).000",
                        "2025-01-01 00:00:0\(index).500", fingerprint, cachedFrom, key,
                    ])
            }
            try db.execute(sql: "INSERT INTO cacheIngredients (cacheKey, ingredients) VALUES (?, '{\"step\":\"train\"}')", arguments: [cacheKey])
            for (id, name, producer) in [(data, "p::load::output", load), (model, "p::train::output", train)] {
                try db.execute(
                    sql: """
                        INSERT INTO artifactVersion (id, name, version, digest, typeName, serializer, serializerVersion, size, createdAt,
                            producerStepRunID, outputName)
                        VALUES (?, ?, 1, 'dd', 'T', 'cairn.json', 1, 4, '2025-01-01 00:00:00.000', ?, 'output')
                        """,
                    arguments: [id, name, producer])
            }
            try db.execute(
                sql: "INSERT INTO stepRunInput (stepRunID, name, position, artifactVersionID) VALUES (?, 'data', 0, ?), (?, 'data', 0, ?)",
                arguments: [train, data, cached, data])
            try db.execute(
                sql: "INSERT INTO stepRunOutput (stepRunID, name, artifactVersionID) VALUES (?, 'output', ?), (?, 'output', ?), (?, 'output', ?)",
                arguments: [load, data, train, model, cached, model])
            // Given in this order: load's identifier sorts after prepare's.
            try db.execute(
                sql: "INSERT INTO stepRunParent (stepRunID, parentStepRunID) VALUES (?, ?), (?, ?)", arguments: [train, load, train, prepare])
            try db.execute(sql: "INSERT INTO metadata (entityType, entityID, key, value) VALUES ('stepRun', ?, 'loss', '0.5')", arguments: [train])
            try db.execute(sql: "INSERT INTO visualization (artifactVersionID, kind, digest) VALUES (?, 'html', 'ee')", arguments: [data])
        }
        try queue.close()
    }

    @Test("every record and link reads back as before, and new records link to the migrated ones")
    func migrated() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-v11-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "metadata.sqlite").path
        try makeVersion10Store(at: path)

        let store = try SQLiteMetadataStore(path: path)
        #expect(try await store.schemaVersion() == SQLiteMetadataStore.latestSchemaVersion)
        #expect(try await store.integrityCheck().isEmpty)
        let violations = try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)

        #expect(try await store.run(id: runID)?.outputs == ["model": model])
        #expect(try await store.run(id: runID)?.configuration == #"{"options":{"tags":["nightly"]}}"#)
        #expect(try await store.runs(RunQuery(tag: "nightly")).map(\.name) == ["first"])
        #expect(try await store.stepRuns(runID: runID).map(\.id) == [prepare, load, train])
        let trained = try #require(try await store.stepRun(id: train))
        #expect(trained.runID == runID && trained.fingerprint == fingerprint && trained.cacheKey == cacheKey)
        #expect(trained.cacheIngredients == #"{"step":"train"}"# && trained.parameters == ["rate": "0.1"])
        #expect(try await store.stepRun(id: cached)?.cachedFrom == train)
        #expect(try await store.parents(ofStepRun: train) == [load, prepare])
        #expect(try await store.inputs(ofStepRun: train).map(\.artifact.id) == [data])
        #expect(try await store.outputs(ofStepRun: cached).map(\.artifact.id) == [model])
        #expect(try await store.outputs(ofStepRun: train).first?.artifact.producerStepRunID == train)
        #expect(try await store.consumers(ofArtifactVersion: data).map(\.runName) == ["first", "second"])
        #expect(try await store.stepRunOutputs(runID: runID).mapValues { $0.map(\.artifact.id) } == [load: [data], train: [model]])
        #expect(try await store.cacheCandidates(key: cacheKey, limit: 5).map(\.id) == [train])
        #expect(try await store.metadata(of: .stepRun(id: train)) == ["loss": .number(0.5)])
        #expect(try await store.visualizations(ofArtifactVersion: data).map(\.digest) == ["ee"])

        let next = try await store.createRun(NewRun(
            name: "third", pipelineName: "p", configuration: "{}", graph: PipelineGraph(nodes: []), startedAt: Date(), host: "h",
            processID: 1))
        let report = try await store.createStepRun(NewStepRun(
            runID: next.id, invocation: "report", stepName: "report", status: .running, startedAt: Date(),
            inputs: [InputLink(name: "model", artifactVersionID: model)], parents: [train, cached]))
        #expect(try await store.parents(ofStepRun: report.id) == [train, cached])
        #expect(try await store.consumers(ofArtifactVersion: model).map(\.runName) == ["third"])
    }
}
