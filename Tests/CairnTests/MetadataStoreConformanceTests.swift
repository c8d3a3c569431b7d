import CairnCore
import CairnPostgres
import CairnSQLite
import CairnTesting
import Foundation
import GRDB
import Testing

/// The metadata stores every conformance test runs against.
enum StoreKind: CaseIterable, Sendable {
    case sqlite
    /// A schema of its own on the test process's private server (``PostgreSQLTestServer``).
    case postgresql

    /// Every kind that can run here: PostgreSQL where its server is installed, and always under CI,
    /// where a missing server fails the tests (`PostgreSQLStoreTests` says what to install when it is missing).
    static var allCases: [StoreKind] {
        PostgreSQLTestServer.canRun ? [.sqlite, .postgresql] : [.sqlite]
    }
}

/// A fresh, empty store of `kind`, and a function that deletes or closes it.
func makeStore(_ kind: StoreKind) async throws -> (store: any MetadataStore, cleanup: @Sendable () -> Void) {
    switch kind {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-metadata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cleanup: @Sendable () -> Void = { try? FileManager.default.removeItem(at: folder) }
        return (try SQLiteMetadataStore(path: folder.appendingPathComponent("metadata.sqlite").path), cleanup)
    case .postgresql:
        let store = try await PostgreSQLTestServer.shared().makeStore()
        // The schema goes with the server at the end of the process; the pool's connections close now.
        return (store, { Task { await store.close() } })
    }
}

/// A date `seconds` after a fixed origin; whole seconds survive every store's date precision.
private func date(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(seconds))
}

/// A two-step graph, `load` then `train`, with an artifact input and a parameter.
private func makeGraph() throws -> PipelineGraph {
    let trainInputs = [
        NamedBinding(name: "data", binding: .output(invocation: "load", output: "output")),
        NamedBinding(name: "rate", binding: .constant(json: "0.1")),
    ]
    let json = """
        {"nodes":[\
        {"after":[],"fingerprint":"f-load","inputs":[],"invocation":"load","step":"load"},\
        {"after":[],"fingerprint":"f-train","inputs":\(try CanonicalJSON.string(encoding: trainInputs)),"invocation":"train","step":"train"}\
        ]}
        """
    return try CanonicalJSON.decode(PipelineGraph.self, from: json)
}

/// A request for a run of `pipeline`.
private func newRun(_ name: String, pipeline: String = "training", at seconds: Int = 0) throws -> NewRun {
    NewRun(
        name: name, pipelineName: pipeline, configuration: #"{"parameters":{"rate":0.1}}"#, graph: try makeGraph(),
        startedAt: date(seconds), host: "test-host", processID: 4242)
}

/// A request for an output artifact version.
private func newOutput(_ outputName: String = "output", artifact name: String, digest: String = "d1") -> NewArtifactVersion {
    NewArtifactVersion(
        outputName: outputName, name: name, digest: digest, typeName: "Swift.Array<Swift.Double>",
        serializer: "cairn.json", serializerVersion: 1, size: 128)
}

/// Records a step run of `runID` that completes with `outputs`, and returns it with its new artifact versions.
@discardableResult
private func completedStepRun(
    _ store: any MetadataStore, runID: String, invocation: String, outputs: [NewArtifactVersion], at seconds: Int = 1
) async throws -> (StepRunRecord, [ArtifactVersionRecord]) {
    let stepRun = try await store.createStepRun(
        NewStepRun(runID: runID, invocation: invocation, stepName: invocation, status: .running, startedAt: date(seconds)))
    let versions = try await store.finishStepRun(id: stepRun.id, outcome: .completed(outputs: outputs), at: date(seconds + 1))
    return (stepRun, versions)
}

@Suite("MetadataStore conformance", .timeLimit(.minutes(1)))
struct MetadataStoreConformanceTests {
    @Test("A run is created running, finished, and fetched by identifier and by name", arguments: StoreKind.allCases)
    func runLifecycle(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }

        let created = try await store.createRun(try newRun("training-1", at: 10))
        #expect(!created.id.isEmpty)
        #expect(created.name == "training-1")
        #expect(created.pipelineName == "training")
        #expect(created.status == .running)
        #expect(created.startedAt == date(10))
        #expect(created.endedAt == nil)
        #expect(created.outputs == [:])
        #expect(created.graph == (try makeGraph()))
        #expect(try await store.run(id: created.id) == created)
        #expect(try await store.run(named: "training-1") == created)

        try await store.finishRun(id: created.id, status: .completed, error: nil, outputs: ["model": "av-1"], at: date(20), owner: RunOwner(of: created))
        let finished = try #require(try await store.run(id: created.id))
        #expect(finished.status == .completed)
        #expect(finished.endedAt == date(20))
        #expect(finished.outputs == ["model": "av-1"])
        #expect(finished.error == nil)
        #expect(finished.configuration == created.configuration)
        #expect(finished.graph == created.graph)
        #expect(finished.host == "test-host")
        #expect(finished.processID == 4242)

        let failing = try await store.createRun(try newRun("training-2", at: 30))
        try await store.finishRun(id: failing.id, status: .failed, error: "step 'train' failed: boom", outputs: [:], at: date(31), owner: RunOwner(of: failing))
        let failed = try #require(try await store.run(named: "training-2"))
        #expect(failed.status == .failed)
        #expect(failed.error == "step 'train' failed: boom")

        #expect(try await store.run(id: "no-such-run") == nil)
        #expect(try await store.run(named: "no-such-run") == nil)
        await #expect(throws: (any Error).self) {
            try await store.finishRun(id: "no-such-run", status: .completed, error: nil, outputs: [:], at: date(40), owner: .current)
        }
    }

    @Test("A graph recorded later, or given on resuming, replaces the run's graph, its nodes in call order", arguments: StoreKind.allCases)
    func graphRecordedLater(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("dynamic"))
        // Call order differs from name order, and there are more than ten nodes, which text would sort otherwise.
        let names = ["zeta", "alpha"] + (1...11).map { "step_\($0)" }
        let called = PipelineGraph(nodes: try names.map { name in
            try CanonicalJSON.decode(
                PipelineNode.self, from: #"{"after":[],"fingerprint":"f","inputs":[],"invocation":"\#(name)","step":"step"}"#)
        })

        try await store.recordGraph(called, ofRun: run.id)
        #expect(try await store.run(id: run.id)?.graph == called)
        #expect(try await store.run(named: "dynamic")?.graph == called)
        #expect(try await store.runs(RunQuery()).first?.graph == called)
        #expect(try await store.runSummaries(RunQuery()).first?.plannedStepCount == names.count)

        try await store.finishRun(id: run.id, status: .failed, error: "boom", outputs: [:], at: date(2), owner: RunOwner(of: run))
        let resumed = try makeGraph()
        try await store.resumeRun(id: run.id, graph: resumed, at: date(3))
        #expect(try await store.run(id: run.id)?.graph == resumed)
        #expect(try await store.runSummaries(RunQuery()).first?.plannedStepCount == 2)

        try await store.recordGraph(PipelineGraph(), ofRun: run.id)
        #expect(try await store.run(id: run.id)?.graph == PipelineGraph())
    }

    @Test("Resuming claims a failed run once: a second claim, a claim of a running run, and the end recorded by the process that lost it are refused", arguments: StoreKind.allCases)
    func resumeClaimsOnce(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("claimed"))
        await #expect(throws: CairnError.runNotResumable(run: "claimed", reason: "it is running (process 4242 on test-host); resume it once it has stopped")) {
            try await store.resumeRun(id: run.id, graph: run.graph, at: date(1))
        }
        try await store.finishRun(id: run.id, status: .failed, error: "boom", outputs: [:], at: date(2), owner: RunOwner(of: run))
        let claims = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { (try? await store.resumeRun(id: run.id, graph: run.graph, at: date(3))) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(claims.filter { $0 }.count == 1, "exactly one of four resumes claims the run")
        let claimed = try #require(try await store.run(id: run.id))
        #expect(claimed.status == .running && claimed.error == nil && claimed.heartbeatAt == date(3))
        #expect(claimed.processID == ProcessInfo.processInfo.processIdentifier && claimed.host == ProcessInfo.processInfo.hostName)
        // The process that ran it before, taken for dead, cannot record its end over the new owner's.
        await #expect(throws: CairnError.runTakenOver(run: "claimed", owner: RunOwner.current.description)) {
            try await store.finishRun(id: run.id, status: .failed, error: "late", outputs: [:], at: date(4), owner: RunOwner(of: run))
        }
        #expect(try await store.run(id: run.id)?.status == .running)
        try await store.finishRun(id: run.id, status: .completed, error: nil, outputs: [:], at: date(4), owner: .current)
        await #expect(throws: CairnError.runNotResumable(run: "claimed", reason: "it is completed; only failed or stopped runs can be resumed")) {
            try await store.resumeRun(id: run.id, graph: run.graph, at: date(5))
        }
        await #expect(throws: CairnError.self) { try await store.resumeRun(id: "no-such-run", graph: run.graph, at: date(5)) }
    }

    @Test("A run name already taken gets _2, _3, …", arguments: StoreKind.allCases)
    func duplicateRunNames(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }

        var names: [String] = []
        for second in 0..<3 {
            names.append(try await store.createRun(try newRun("nightly", at: second)).name)
        }
        #expect(names == ["nightly", "nightly_2", "nightly_3"])
        // A name that merely starts like another is free.
        #expect(try await store.createRun(try newRun("night", at: 3)).name == "night")
        // Asking for a suffixed name that is taken suffixes it again.
        #expect(try await store.createRun(try newRun("nightly_2", at: 4)).name == "nightly_2_2")
        #expect(try await store.createRun(try newRun("nightly", at: 5)).name == "nightly_4")
    }

    @Test("Runs are listed newest first, filtered and paged", arguments: StoreKind.allCases)
    func runsListing(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }

        // r0 … r5, one per 10 seconds, alternating between two pipelines; r6 starts with r5.
        var runs: [RunRecord] = []
        for index in 0..<7 {
            let pipeline = index.isMultiple(of: 2) ? "training" : "inference"
            runs.append(try await store.createRun(try newRun("r\(index)", pipeline: pipeline, at: min(index, 5) * 10)))
        }
        for index in [1, 4] {
            try await store.finishRun(id: runs[index].id, status: .failed, error: "boom", outputs: [:], at: date(100), owner: RunOwner(of: runs[index]))
        }

        let all = try await store.runs(RunQuery(limit: 100))
        #expect(all.map(\.name) == ["r6", "r5", "r4", "r3", "r2", "r1", "r0"])
        #expect(try await store.runs(RunQuery()).count == 7)

        let training = try await store.runs(RunQuery(pipelineName: "training"))
        #expect(training.map(\.name) == ["r6", "r4", "r2", "r0"])

        let failed = try await store.runs(RunQuery(status: .failed))
        #expect(failed.map(\.name) == ["r4", "r1"])
        #expect(failed.allSatisfy { $0.status == .failed })

        let running = try await store.runs(RunQuery(pipelineName: "inference", status: .running))
        #expect(running.map(\.name) == ["r5", "r3"])

        let recent = try await store.runs(RunQuery(startedAfter: date(30)))
        #expect(recent.map(\.name) == ["r6", "r5", "r4", "r3"])

        let firstPage = try await store.runs(RunQuery(limit: 3))
        let secondPage = try await store.runs(RunQuery(limit: 3, offset: 3))
        let lastPage = try await store.runs(RunQuery(limit: 3, offset: 6))
        #expect(firstPage.map(\.name) == ["r6", "r5", "r4"])
        #expect(secondPage.map(\.name) == ["r3", "r2", "r1"])
        #expect(lastPage.map(\.name) == ["r0"])
        #expect(try await store.runs(RunQuery(offset: 7)).isEmpty)
        #expect(try await store.runs(RunQuery(pipelineName: "no-such-pipeline")).isEmpty)
    }

    @Test("Pipelines are listed by name with their run counts", arguments: StoreKind.allCases)
    func pipelinesWithRunCounts(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        #expect(try await store.pipelines().isEmpty)

        _ = try await store.createRun(try newRun("t1", pipeline: "training", at: 5))
        _ = try await store.createRun(try newRun("e1", pipeline: "evaluation", at: 7))
        _ = try await store.createRun(try newRun("t2", pipeline: "training", at: 9))
        _ = try await store.createRun(try newRun("t3", pipeline: "training", at: 11))

        let pipelines = try await store.pipelines()
        #expect(pipelines.map(\.name) == ["evaluation", "training"])
        #expect(pipelines.map(\.runCount) == [1, 3])
        #expect(pipelines.map(\.createdAt) == [date(7), date(5)])
    }

    @Test("Step runs round-trip with their parameters and input, output and parent links", arguments: StoreKind.allCases)
    func stepRunLinks(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("links"))

        let load = try await store.createStepRun(
            NewStepRun(
                runID: run.id, invocation: "load", stepName: "load", status: .running, startedAt: date(1),
                parameters: ["path": #""iris.csv""#], fingerprint: "f-load"))
        #expect(load.status == .running)
        #expect(load.runID == run.id)
        #expect(load.parameters == ["path": #""iris.csv""#])
        #expect(load.fingerprint == "f-load")
        #expect(load.attempt == 1)
        #expect(load.endedAt == nil)
        #expect(load.cachedFrom == nil)
        #expect(try await store.stepRun(id: load.id) == load)

        let loadOutputs = try await store.finishStepRun(
            id: load.id,
            outcome: .completed(outputs: [
                newOutput("features", artifact: "links::load::features", digest: "d-features"),
                newOutput("labels", artifact: "links::load::labels", digest: "d-labels"),
            ]),
            at: date(2))
        #expect(loadOutputs.map(\.name) == ["links::load::features", "links::load::labels"])
        #expect(loadOutputs.map(\.outputName) == ["features", "labels"])
        #expect(loadOutputs.allSatisfy { $0.producerStepRunID == load.id && $0.version == 1 && $0.createdAt == date(2) })
        let features = loadOutputs[0]
        let labels = loadOutputs[1]
        #expect(features.digest == "d-features")
        #expect(features.typeName == "Swift.Array<Swift.Double>")
        #expect(features.serializer == "cairn.json")
        #expect(features.serializerVersion == 1)
        #expect(features.size == 128)

        let finishedLoad = try #require(try await store.stepRun(id: load.id))
        #expect(finishedLoad.status == .completed)
        #expect(finishedLoad.endedAt == date(2))
        #expect(finishedLoad.duration == 1)
        #expect(finishedLoad.error == nil)

        let outputs = try await store.outputs(ofStepRun: load.id)
        #expect(outputs.map(\.name) == ["features", "labels"])
        #expect(outputs.map(\.position) == [0, 0])
        #expect(outputs.map(\.artifact) == [features, labels])

        let other = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "other", stepName: "other", status: .running, startedAt: date(1)))
        let train = try await store.createStepRun(
            NewStepRun(
                runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: date(3),
                parameters: ["rate": "0.1", "epochs": "10"], fingerprint: "f-train",
                inputs: [
                    InputLink(name: "sets", position: 1, artifactVersionID: labels.id),
                    InputLink(name: "labels", artifactVersionID: labels.id),
                    InputLink(name: "sets", position: 0, artifactVersionID: features.id),
                ],
                parents: [load.id, other.id], attempt: 2))
        #expect(train.parameters == ["rate": "0.1", "epochs": "10"])
        #expect(train.attempt == 2)

        let inputs = try await store.inputs(ofStepRun: train.id)
        #expect(inputs.map(\.name) == ["labels", "sets", "sets"])
        #expect(inputs.map(\.position) == [0, 0, 1])
        #expect(inputs.map(\.artifact) == [labels, features, labels])
        #expect(try await store.parents(ofStepRun: train.id) == [load.id, other.id])
        #expect(try await store.parents(ofStepRun: load.id).isEmpty)
        #expect(try await store.inputs(ofStepRun: load.id).isEmpty)
        #expect(try await store.outputs(ofStepRun: train.id).isEmpty)

        // Creation order: by start, then in the order they were recorded.
        #expect(try await store.stepRuns(runID: run.id).map(\.invocation) == ["load", "other", "train"])
        #expect(try await store.stepRuns(runID: "no-such-run").isEmpty)
        #expect(try await store.stepRun(id: "no-such-step-run") == nil)
    }

    @Test("A step run cannot refer to a run or artifact version that does not exist", arguments: StoreKind.allCases)
    func danglingReferences(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("dangling"))

        await #expect(throws: (any Error).self) {
            try await store.createStepRun(
                NewStepRun(runID: "no-such-run", invocation: "load", stepName: "load", status: .running, startedAt: date(1)))
        }
        await #expect(throws: (any Error).self) {
            try await store.createStepRun(
                NewStepRun(
                    runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: date(1),
                    inputs: [InputLink(name: "data", artifactVersionID: "no-such-artifact")]))
        }
        // Nothing of a refused step run is left behind.
        #expect(try await store.stepRuns(runID: run.id).isEmpty)
        await #expect(throws: (any Error).self) {
            try await store.finishStepRun(id: "no-such-step-run", outcome: .failed(error: "boom"), at: date(2))
        }
    }

    @Test("Step runs recorded together may name each other as parents; a refused batch records none", arguments: StoreKind.allCases)
    func stepRunBatches(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("batch"))
        let load = NewStepRun(runID: run.id, invocation: "load", stepName: "load", status: .cached, startedAt: date(1))
        let train = NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .cached, startedAt: date(1), parents: [load.id])
        try await store.createStepRuns([load, train])
        #expect(try await store.stepRuns(runID: run.id) == [StepRunRecord(load), StepRunRecord(train)])
        #expect(try await store.parents(ofStepRun: train.id) == [load.id])

        let orphan = NewStepRun(runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .cached, startedAt: date(2))
        let dangling = NewStepRun(
            runID: run.id, invocation: "report", stepName: "report", status: .cached, startedAt: date(2), parents: ["no-such-step-run"])
        await #expect(throws: (any Error).self) { try await store.createStepRuns([orphan, dangling]) }
        #expect(try await store.stepRuns(runID: run.id).count == 2, "nothing of the refused batch is recorded")
    }

    @Test("Step runs recorded whole in one call have their links, their ends and their new output versions, with ids chosen by the caller", arguments: StoreKind.allCases)
    func stepRunsRecordedWhole(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("whole"))
        let (load, loaded) = try await completedStepRun(store, runID: run.id, invocation: "load", outputs: [newOutput(artifact: "data")])
        let model = newOutput("model", artifact: "model", digest: "d2")
        let train = NewStepRun(
            runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: date(3),
            inputs: [InputLink(name: "data", artifactVersionID: loaded[0].id)], parents: [load.id])
        // The second links to the first's output and step run, recorded in the same call.
        let score = newOutput("score", artifact: "score", digest: "d3")
        let evaluate = NewStepRun(
            runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .running, startedAt: date(4),
            inputs: [InputLink(name: "model", artifactVersionID: model.id)], parents: [train.id])
        let versions = try await store.recordStepRuns([
            WholeStepRun(train, outcome: .completed(outputs: [model]), endedAt: date(4)),
            WholeStepRun(evaluate, outcome: .completed(outputs: [score]), endedAt: date(5)),
        ])
        #expect(versions.map { $0.map(\.id) } == [[model.id], [score.id]] && versions.map { $0.map(\.version) } == [[1], [1]])
        let recorded = try #require(try await store.stepRun(id: train.id))
        #expect(recorded.status == .completed && recorded.startedAt == date(3) && recorded.endedAt == date(4))
        #expect(try await store.inputs(ofStepRun: train.id).map(\.artifact) == loaded)
        #expect(try await store.outputs(ofStepRun: train.id).map(\.artifact) == versions[0])
        #expect(try await store.parents(ofStepRun: train.id) == [load.id])
        #expect(try await store.inputs(ofStepRun: evaluate.id).map(\.artifact) == versions[0])
        #expect(try await store.parents(ofStepRun: evaluate.id) == [train.id])
        #expect(try await store.stepRun(id: evaluate.id)?.endedAt == date(5))

        var valid = train
        (valid.id, valid.invocation) = (RandomIdentifier.make(), "train_2")
        var dangling = train
        (dangling.id, dangling.invocation, dangling.parents) = (RandomIdentifier.make(), "report", ["no-such-step-run"])
        let error = await #expect(throws: CairnError.self) {
            try await store.recordStepRuns([
                WholeStepRun(valid, outcome: .completed(outputs: [newOutput(artifact: "retrained")]), endedAt: date(6)),
                WholeStepRun(dangling, outcome: .completed(outputs: [newOutput(artifact: "report")]), endedAt: date(6)),
            ])
        }
        #expect(error.map { "\($0)".contains("'report'") } == true, "the error names the step run that cannot be recorded")
        #expect(try await store.stepRun(id: valid.id) == nil, "nothing of a refused call is recorded")
        #expect(try await store.artifactVersions(named: "retrained").isEmpty)
        #expect(try await store.artifactVersions(named: "report").isEmpty)
    }

    @Test("Lists of step runs leave out the cache key's ingredients; a step run read alone has them", arguments: StoreKind.allCases)
    func ingredientsOnlyAlone(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("ingredients"))
        let stepRun = NewStepRun(
            runID: run.id, invocation: "load", stepName: "load", status: .completed, startedAt: date(1), cacheKey: "k1",
            cacheIngredients: #"{"step":"load"}"#)
        try await store.createStepRuns([stepRun])
        let listed = try #require(try await store.stepRuns(runID: run.id).first)
        #expect(listed.cacheKey == "k1" && listed.cacheIngredients == nil)
        #expect(try await store.cacheCandidates(key: "k1", limit: 5).map(\.cacheIngredients) == [nil])
        #expect(try await store.stepRun(id: stepRun.id)?.cacheIngredients == #"{"step":"load"}"#)
    }

    @Test("Artifact versions are numbered 1, 2, 3 per name, and the latest is the highest", arguments: StoreKind.allCases)
    func artifactVersionNumbering(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("numbering"))

        var model: [ArtifactVersionRecord] = []
        for index in 1...3 {
            let (_, versions) = try await completedStepRun(
                store, runID: run.id, invocation: "train_\(index)",
                outputs: [newOutput(artifact: "training::train::model", digest: "d\(index)")], at: index * 10)
            model.append(contentsOf: versions)
        }
        let (_, otherVersions) = try await completedStepRun(
            store, runID: run.id, invocation: "evaluate", outputs: [newOutput(artifact: "training::evaluate::score")])

        #expect(model.map(\.version) == [1, 2, 3])
        #expect(model.map(\.digest) == ["d1", "d2", "d3"])
        #expect(Set(model.map(\.id)).count == 3)
        #expect(otherVersions.map(\.version) == [1])

        #expect(try await store.artifactVersion(named: "training::train::model", version: nil) == model[2])
        #expect(try await store.artifactVersion(named: "training::train::model", version: 2) == model[1])
        #expect(try await store.artifactVersion(named: "training::train::model", version: 4) == nil)
        #expect(try await store.artifactVersion(named: "no-such-artifact", version: nil) == nil)
        #expect(try await store.artifactVersions(named: "training::train::model") == model)
        #expect(try await store.artifactVersions(named: "no-such-artifact").isEmpty)
        #expect(try await store.artifactVersion(id: model[0].id) == model[0])
        #expect(try await store.artifactVersion(id: "no-such-artifact") == nil)
    }

    @Test("Versions are marked unusable, and usable again, by the digest they share; outputs read back marked", arguments: StoreKind.allCases)
    func unusableVersions(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("damage"))
        let (train, trained) = try await completedStepRun(
            store, runID: run.id, invocation: "train", outputs: [newOutput(artifact: "training::train::model", digest: "shared")])
        let (_, copied) = try await completedStepRun(
            store, runID: run.id, invocation: "copy", outputs: [newOutput(artifact: "training::copy::model", digest: "shared")])
        let (_, other) = try await completedStepRun(
            store, runID: run.id, invocation: "evaluate", outputs: [newOutput(artifact: "training::evaluate::score", digest: "other")])
        #expect(trained[0].isUsable && copied[0].isUsable)

        try await store.markArtifacts(digest: "shared", unusableBecause: "its bytes changed on disk")
        #expect(try await store.artifactVersion(id: trained[0].id)?.unusableReason == "its bytes changed on disk")
        #expect(try await store.artifactVersion(id: copied[0].id)?.isUsable == false, "the same bytes")
        #expect(try await store.artifactVersion(id: other[0].id)?.isUsable == true)
        #expect(try await store.outputs(ofStepRun: train.id).map(\.artifact.isUsable) == [false])

        try await store.markArtifacts(digest: "shared", unusableBecause: nil)
        #expect(try await store.artifactVersion(id: trained[0].id) == trained[0])
    }

    @Test("A failed step run keeps its error text; a stopped one its reason", arguments: StoreKind.allCases)
    func failedAndStoppedStepRuns(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("failures"))

        let failing = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: date(1)))
        let message = "step 'train' failed: index out of range\n  at train.swift:12"
        let created = try await store.finishStepRun(id: failing.id, outcome: .failed(error: message), at: date(2))
        #expect(created.isEmpty)
        let failed = try #require(try await store.stepRun(id: failing.id))
        #expect(failed.status == .failed)
        #expect(failed.error == message)
        #expect(failed.endedAt == date(2))
        #expect(try await store.outputs(ofStepRun: failing.id).isEmpty)

        let stopping = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .running, startedAt: date(1)))
        try await store.finishStepRun(id: stopping.id, outcome: .stopped(reason: "the run was stopped by a user"), at: date(3))
        let stopped = try #require(try await store.stepRun(id: stopping.id))
        #expect(stopped.status == .stopped)
        #expect(stopped.error == "the run was stopped by a user")
        #expect(stopped.endedAt == date(3))

        let skipped = try await store.createStepRun(
            NewStepRun(
                runID: run.id, invocation: "report", stepName: "report", status: .skipped, startedAt: date(4),
                parents: [failing.id], error: "step 'train' did not complete"))
        #expect(skipped.status == .skipped)
        #expect(skipped.error == "step 'train' did not complete")
        #expect(try await store.stepRun(id: skipped.id) == skipped)
    }

    @Test("20 concurrent runs wanting the same name get 20 distinct names", arguments: StoreKind.allCases)
    func concurrentRunNames(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }

        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.createRun(try newRun("parallel")).name }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(names.count == 20)
        #expect(Set(names) == Set(["parallel"] + (2...20).map { "parallel_\($0)" }))
        #expect(try await store.pipelines().first?.runCount == 20)
    }

    @Test("20 concurrent versions of the same artifact are numbered 1 to 20 exactly", arguments: StoreKind.allCases)
    func concurrentArtifactVersions(kind: StoreKind) async throws {
        let (store, cleanup) = try await makeStore(kind)
        defer { cleanup() }
        let run = try await store.createRun(try newRun("fan-out"))

        let versions = try await withThrowingTaskGroup(of: [ArtifactVersionRecord].self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await completedStepRun(
                        store, runID: run.id, invocation: "shard_\(index)",
                        outputs: [newOutput(artifact: "fan-out::shard::output", digest: "d\(index)")]
                    ).1
                }
            }
            return try await group.reduce(into: [ArtifactVersionRecord]()) { $0.append(contentsOf: $1) }
        }
        #expect(versions.map(\.version).sorted() == Array(1...20))
        let stored = try await store.artifactVersions(named: "fan-out::shard::output")
        #expect(stored.map(\.version) == Array(1...20))
        #expect(Set(stored.map(\.id)) == Set(versions.map(\.id)))
        #expect(try await store.artifactVersion(named: "fan-out::shard::output", version: nil)?.version == 20)
    }
}

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
        _ = try await store.createRun(try newRun("wal"))

        let journalMode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
        #expect(try await store.integrityCheck().isEmpty)
        #expect(try await store.schemaVersion() == SQLiteMetadataStore.latestSchemaVersion)
    }

    @Test("Reopening a file keeps its records")
    func reopen() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        let created = try await SQLiteMetadataStore(path: path).createRun(try newRun("kept"))

        let reopened = try SQLiteMetadataStore(path: path)
        #expect(try await reopened.run(id: created.id) == created)
        #expect(try await reopened.schemaVersion() == SQLiteMetadataStore.latestSchemaVersion)
    }

    @Test("A file that kept each run's graph as one text, and each step run's cache ingredients, is migrated, both kept")
    func graphsMigratedToNodes() async throws {
        let (path, cleanup) = makePath()
        defer { cleanup() }
        let store = try SQLiteMetadataStore(path: path)
        let created = try await store.createRun(try newRun("old"))
        let stepRun = try await store.createStepRun(NewStepRun(
            runID: created.id, invocation: "load", stepName: "load", status: .completed, startedAt: date(1), cacheKey: "k1",
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
        _ = try await SQLiteMetadataStore(path: path).createRun(try newRun("old"))
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
        let run = try await first.createRun(try newRun("setup"))

        // Each task opens its own store: its own SQLite connections, contending for the write lock.
        let results = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for index in 0..<20 {
                group.addTask {
                    let store = try SQLiteMetadataStore(path: path)
                    let name = try await store.createRun(try newRun("shared")).name
                    let (_, versions) = try await completedStepRun(
                        store, runID: run.id, invocation: "shard_\(index)",
                        outputs: [newOutput(artifact: "shared::shard::output")])
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
