import CairnCore
import CairnSQLite
import Foundation
import GRDB
import Testing

/// Records for the inspection tests: two runs of `training` sharing the artifact `load` produced.
///
/// - run `first`: `load` produces `training::load::output` v1 (digest `aa`), `train` reads it and
///   produces `training::train::model` v1 (digest `bb`);
/// - run `second`: `train` reads the `load` output of `first` and produces the model v2 (digest `bb`, the same bytes),
///   then `report` fails.
private struct InspectionFixture {
    let store: any MetadataStore
    let first: RunRecord
    let second: RunRecord
    let load: StepRunRecord
    let firstTrain: StepRunRecord
    let secondTrain: StepRunRecord
    let report: StepRunRecord
    let data: ArtifactVersionRecord
    let firstModel: ArtifactVersionRecord
    let secondModel: ArtifactVersionRecord

    static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(seconds))
    }

    static func output(_ outputName: String, artifact: String, digest: String) -> NewArtifactVersion {
        NewArtifactVersion(
            outputName: outputName, name: artifact, digest: digest, typeName: "Swift.Int", serializer: "cairn.json",
            serializerVersion: 1, size: 8)
    }

    static func make(_ store: any MetadataStore) async throws -> InspectionFixture {
        func newRun(_ name: String, at seconds: Int, steps: [String]) throws -> NewRun {
            let nodes = steps.map { #"{"after":[],"fingerprint":"f","inputs":[],"invocation":"\#($0)","step":"\#($0)"}"# }
            return NewRun(
                name: name, pipelineName: "training", configuration: "{}",
                graph: try CanonicalJSON.decode(PipelineGraph.self, from: #"{"nodes":[\#(nodes.joined(separator: ","))]}"#),
                startedAt: date(seconds), host: "test-host", processID: 1, processStart: "boot/\(seconds)")
        }
        func step(_ run: RunRecord, _ invocation: String, at seconds: Int, inputs: [InputLink] = []) async throws -> StepRunRecord {
            try await store.createStepRun(NewStepRun(
                runID: run.id, invocation: invocation, stepName: invocation, status: .running, startedAt: date(seconds),
                inputs: inputs))
        }
        let first = try await store.createRun(try newRun("first", at: 0, steps: ["load", "train"]))
        let load = try await step(first, "load", at: 1)
        let data = try await store.finishStepRun(
            id: load.id, outcome: .completed(outputs: [output("output", artifact: "training::load::output", digest: "aa")]), at: date(2))[0]
        let firstTrain = try await step(first, "train", at: 3, inputs: [InputLink(name: "data", artifactVersionID: data.id)])
        let firstModel = try await store.finishStepRun(
            id: firstTrain.id, outcome: .completed(outputs: [output("model", artifact: "training::train::model", digest: "bb")]), at: date(4))[0]
        try await store.finishRun(id: first.id, status: .completed, error: nil, outputs: ["model": firstModel.id], at: date(5), owner: RunOwner(of: first))

        let second = try await store.createRun(try newRun("second", at: 10, steps: ["train", "report", "publish"]))
        let secondTrain = try await step(second, "train", at: 11, inputs: [InputLink(name: "data", artifactVersionID: data.id)])
        let secondModel = try await store.finishStepRun(
            id: secondTrain.id, outcome: .completed(outputs: [output("model", artifact: "training::train::model", digest: "bb")]), at: date(12))[0]
        let report = try await step(second, "report", at: 13, inputs: [InputLink(name: "model", artifactVersionID: secondModel.id)])
        try await store.finishStepRun(id: report.id, outcome: .failed(error: "no printer"), at: date(14))
        return InspectionFixture(
            store: store, first: try #require(try await store.run(id: first.id)), second: second, load: load,
            firstTrain: firstTrain, secondTrain: secondTrain, report: report, data: data, firstModel: firstModel,
            secondModel: secondModel)
    }
}

@Suite("MetadataStore conformance: inspection", .timeLimit(.minutes(1)))
struct InspectionConformanceTests {
    @Test("counts are zero in an empty store and count every record", arguments: StoreKind.allCases)
    func counts(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        #expect(try await store.counts() == StoreCounts())
        _ = try await InspectionFixture.make(store)
        #expect(try await store.counts() == StoreCounts(pipelines: 1, runs: 2, stepRuns: 4, artifacts: 2, artifactVersions: 3))
    }

    @Test("run names are found by prefix, in name order, at most as many as asked", arguments: StoreKind.allCases)
    func runNamesByPrefix(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        for name in ["train-b", "train-a", "train", "trainer", "evaluate", "tr"] {
            _ = try await store.createRun(NewRun(
                name: name, pipelineName: "p", configuration: "{}", graph: PipelineGraph(), startedAt: InspectionFixture.date(0),
                host: "h", processID: 1))
        }
        #expect(try await store.runNames(startingWith: "train", limit: 10) == ["train", "train-a", "train-b", "trainer"])
        #expect(try await store.runNames(startingWith: "train-", limit: 1) == ["train-a"])
        #expect(try await store.runNames(startingWith: "x", limit: 10) == [])
        #expect(try await store.runNames(startingWith: "", limit: 2) == ["evaluate", "tr"])
    }

    @Test("run summaries list runs like runs(_:), with their planned steps, step run statuses and process", arguments: StoreKind.allCases)
    func summaries(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let fixture = try await InspectionFixture.make(store)
        let summaries = try await store.runSummaries(RunQuery())
        #expect(summaries == [
            RunSummary(
                id: fixture.second.id, name: "second", pipelineName: "training", status: .running, startedAt: InspectionFixture.date(10),
                plannedStepCount: 3, stepRunCounts: [.completed: 1, .failed: 1], host: "test-host", processID: 1,
                processStart: "boot/10", heartbeatAt: InspectionFixture.date(10)),
            RunSummary(
                id: fixture.first.id, name: "first", pipelineName: "training", status: .completed, startedAt: InspectionFixture.date(0),
                endedAt: InspectionFixture.date(5), plannedStepCount: 2, stepRunCounts: [.completed: 2], host: "test-host", processID: 1,
                processStart: "boot/0", heartbeatAt: InspectionFixture.date(0)),
        ])
        for query in [
            RunQuery(status: .completed), RunQuery(pipelineName: "training", limit: 1, offset: 1),
            RunQuery(startedAfter: InspectionFixture.date(1)), RunQuery(pipelineName: "other"),
        ] {
            #expect(try await store.runSummaries(query).map(\.id) == store.runs(query).map(\.id), "\(query)")
        }
    }

    @Test("the outputs of a run's step runs come by step run, and versions by identifier in the order asked", arguments: StoreKind.allCases)
    func outputsAndVersions(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let fixture = try await InspectionFixture.make(store)
        let outputs = try await store.stepRunOutputs(runID: fixture.first.id)
        #expect(outputs == [
            fixture.load.id: [ArtifactLink(name: "output", artifact: fixture.data)],
            fixture.firstTrain.id: [ArtifactLink(name: "model", artifact: fixture.firstModel)],
        ])
        #expect(try await store.stepRunOutputs(runID: fixture.second.id).keys.sorted() == [fixture.secondTrain.id])
        #expect(try await store.stepRunOutputs(runID: "unknown").isEmpty)
        #expect(try await store.artifactVersions(ids: [fixture.secondModel.id, "unknown", fixture.data.id]) == [fixture.secondModel, fixture.data])
        #expect(try await store.artifactVersions(ids: []).isEmpty)
    }

    @Test("step run references carry their run's name, in the order asked, without unknown ones", arguments: StoreKind.allCases)
    func references(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let fixture = try await InspectionFixture.make(store)
        let references = try await store.stepRunReferences(ids: [fixture.report.id, "unknown", fixture.load.id, fixture.report.id])
        #expect(references == [
            StepRunReference(
                stepRunID: fixture.report.id, invocation: "report", stepName: "report", status: .failed, runID: fixture.second.id,
                runName: "second", pipelineName: "training"),
            StepRunReference(
                stepRunID: fixture.load.id, invocation: "load", stepName: "load", status: .completed, runID: fixture.first.id,
                runName: "first", pipelineName: "training"),
        ])
    }

    @Test("artifacts are listed by name with their version count and latest version", arguments: StoreKind.allCases)
    func artifacts(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let fixture = try await InspectionFixture.make(store)
        #expect(try await store.artifacts() == [
            ArtifactSummary(name: "training::load::output", versionCount: 1, latest: fixture.data),
            ArtifactSummary(name: "training::train::model", versionCount: 2, latest: fixture.secondModel),
        ])
    }

    @Test("the consumers of a version are the step runs that read it, oldest first", arguments: StoreKind.allCases)
    func consumers(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let fixture = try await InspectionFixture.make(store)
        #expect(try await store.consumers(ofArtifactVersion: fixture.data.id).map(\.stepRunID) == [fixture.firstTrain.id, fixture.secondTrain.id])
        #expect(try await store.consumers(ofArtifactVersion: fixture.secondModel.id).map(\.runName) == ["second"])
        #expect(try await store.consumers(ofArtifactVersion: fixture.firstModel.id).isEmpty)
    }

    @Test("referenced digests are those of every version, once each", arguments: StoreKind.allCases)
    func digests(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        #expect(try await store.referencedDigests().isEmpty)
        _ = try await InspectionFixture.make(store)
        #expect(try await store.referencedDigests() == ["aa", "bb"])
    }

    @Test("deleting a run removes its step runs and links, and the versions no other run uses", arguments: StoreKind.allCases)
    func deleteRun(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let fixture = try await InspectionFixture.make(store)

        let deletion = try await store.deleteRun(id: fixture.first.id)
        #expect(deletion.run == fixture.first)
        #expect(deletion.deletedStepRunCount == 2)
        #expect(deletion.deletedArtifactVersions == [fixture.firstModel])
        #expect(deletion.keptArtifactVersions == [fixture.data])

        #expect(try await store.run(id: fixture.first.id) == nil)
        #expect(try await store.stepRuns(runID: fixture.first.id).isEmpty)
        #expect(try await store.stepRun(id: fixture.load.id) == nil)
        #expect(try await store.artifactVersion(id: fixture.firstModel.id) == nil)
        // Still read by the second run: kept, without its producer.
        let kept = try #require(try await store.artifactVersion(id: fixture.data.id))
        #expect(kept.producerStepRunID == nil)
        #expect(try await store.inputs(ofStepRun: fixture.secondTrain.id).map(\.artifact.id) == [fixture.data.id])
        #expect(try await store.consumers(ofArtifactVersion: fixture.data.id).map(\.runName) == ["second"])
        #expect(try await store.counts() == StoreCounts(pipelines: 1, runs: 1, stepRuns: 2, artifacts: 2, artifactVersions: 2))
        #expect(try await store.referencedDigests() == ["aa", "bb"])

        let last = try await store.deleteRun(id: fixture.second.id)
        #expect(last.deletedArtifactVersions == [fixture.secondModel])
        // `data` was produced by the first run, so deleting the second leaves it, unreferenced and without a producer.
        #expect(try await store.counts() == StoreCounts(pipelines: 0, runs: 0, stepRuns: 0, artifacts: 1, artifactVersions: 1))
        #expect(try await store.pipelines().isEmpty)

        await #expect(throws: CairnError.notFound(kind: "run", name: "missing", suggestion: nil)) {
            try await store.deleteRun(id: "missing")
        }
    }
}

@Suite("SQLite query plans of listing and showing runs", .timeLimit(.minutes(1)))
struct SQLiteQueryPlanTests {
    /// The plan SQLite picks for `sql`, one step per line.
    static func plan(_ sql: String, in queue: DatabaseQueue) throws -> [String] {
        try queue.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String } }
    }

    /// How the SQLite store selects runs: each row with its graph, put together from its nodes.
    static let runSelection = SQLiteMetadataStore.runSelection

    /// The statements `cairn runs list` and `cairn runs show` make, as the SQLite store writes them.
    static let statements = [
        runSelection + " ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE pipelineName = 'p' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE status = 'failed' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE startedAt >= '2025-01-01' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        runSelection + " WHERE pipelineName = 'p' AND startedAt >= '2025-01-01' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0",
        "SELECT runID, status, COUNT(*) AS count FROM stepRun WHERE runID IN ('a','b') GROUP BY runID, status",
        """
        SELECT id, name, (SELECT COUNT(*) FROM runNode WHERE runNode.runID = run.id) AS plannedStepCount FROM run
        WHERE status = 'failed' ORDER BY startedAt DESC, rowid DESC LIMIT 21 OFFSET 0
        """,
        """
        SELECT stepRun.id AS linkStepRunID, stepRunOutput.name AS linkName, artifactVersion.*
        FROM stepRun JOIN stepRunOutput ON stepRunOutput.stepRunNumber = stepRun.number
        JOIN artifactVersion ON artifactVersion.id = stepRunOutput.artifactVersionID
        WHERE stepRun.runID = 'a' ORDER BY stepRunOutput.stepRunNumber, stepRunOutput.name
        """,
        "SELECT * FROM artifactVersion WHERE id IN ('a','b')",
        runSelection + " WHERE id = 'a'",
        runSelection + " WHERE name = 'a'",
        "SELECT name FROM run WHERE name >= 'a' AND name < 'b' ORDER BY name LIMIT 50",
        "SELECT * FROM stepRun WHERE runID = 'a' ORDER BY startedAt, rowid",
        """
        SELECT stepRunOutput.name AS linkName, 0 AS linkPosition, artifactVersion.*
        FROM stepRun JOIN stepRunOutput ON stepRunOutput.stepRunNumber = stepRun.number
        JOIN artifactVersion ON artifactVersion.id = stepRunOutput.artifactVersionID
        WHERE stepRun.id = 'a' ORDER BY stepRunOutput.name
        """,
        """
        SELECT stepRun.id AS stepRunID, run.name AS runName FROM stepRun JOIN run ON run.id = stepRun.runID
        WHERE stepRun.number IN (SELECT stepRunNumber FROM stepRunInput WHERE artifactVersionID = 'a')
        ORDER BY stepRun.startedAt, stepRun.rowid
        """,
    ]

    @Test("listing and showing runs read indexes only: no table scan", arguments: statements)
    func noScans(sql: String) throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-plan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "metadata.sqlite").path
        _ = try SQLiteMetadataStore(path: path)
        let plan = try Self.plan(sql, in: try DatabaseQueue(path: path))
        // A scan of a subquery's rows (`SCAN (subquery-1)`) reads what the subquery found, not a table.
        for step in plan where step.hasPrefix("SCAN") && !step.hasPrefix("SCAN (subquery") {
            #expect(step.contains("USING INDEX") || step.contains("USING COVERING INDEX"), "\(sql): \(plan)")
        }
        // Sorting the matching rows for ORDER BY would read all of them first: only the small IN list may be sorted.
        if sql.contains("FROM run") && sql.contains("LIMIT") {
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql): \(plan)")
        }
    }
}
