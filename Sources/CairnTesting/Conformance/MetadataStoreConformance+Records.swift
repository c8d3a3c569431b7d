import CairnCore
import Foundation
import Testing

extension MetadataStoreConformance {
    /// Runs, step runs and artifact versions: created, ended, linked, numbered and found.
    static let recordChecks: [ConformanceCheck<any MetadataStore>] = [
        ConformanceCheck("A run is created running, finished, and fetched by identifier and by name", runLifecycle),
        ConformanceCheck("A graph recorded later, or given on resuming, replaces the run's graph, its nodes in call order", graphRecordedLater),
        ConformanceCheck("Resuming claims a failed run once: a second claim, a claim of a running run, and the end recorded by the process that lost it are refused", resumeClaimsOnce),
        ConformanceCheck("A run name already taken gets _2, _3, …", duplicateRunNames),
        ConformanceCheck("Runs are listed newest first, filtered and paged", runsListing),
        ConformanceCheck("Pipelines are listed by name with their run counts", pipelinesWithRunCounts),
        ConformanceCheck("Step runs round-trip with their parameters and input, output and parent links", stepRunLinks),
        ConformanceCheck("A step run cannot refer to a run or artifact version that does not exist", danglingReferences),
        ConformanceCheck("Step runs recorded together may name each other as parents; a refused batch records none", stepRunBatches),
        ConformanceCheck("Starts and ends mix in one call, ends of step runs recorded before among them; an unknown step run's end refuses the call", mixedWrites),
        ConformanceCheck("Step runs recorded whole in one call have their links, their ends and their new output versions, with ids chosen by the caller", stepRunsRecordedWhole),
        ConformanceCheck("Lists of step runs leave out the cache key's ingredients; a step run read alone has them", ingredientsOnlyAlone),
        ConformanceCheck("Artifact versions are numbered 1, 2, 3 per name, and the latest is the highest", artifactVersionNumbering),
        ConformanceCheck("Versions are marked unusable, and usable again, by the digest they share; outputs read back marked", unusableVersions),
        ConformanceCheck("A failed step run keeps its error text; a stopped one its reason", failedAndStoppedStepRuns),
        ConformanceCheck("20 concurrent runs wanting the same name get 20 distinct names", concurrentRunNames),
        ConformanceCheck("20 concurrent versions of the same artifact are numbered 1 to 20 exactly", concurrentArtifactVersions),
    ]

    static func runLifecycle(_ store: any MetadataStore) async throws {

        let created = try await store.createRun(try StoreSamples.run("training-1", at: 10))
        #expect(!created.id.isEmpty)
        #expect(created.name == "training-1")
        #expect(created.pipelineName == "training")
        #expect(created.status == .running)
        #expect(created.startedAt == StoreSamples.date(10))
        #expect(created.endedAt == nil)
        #expect(created.outputs == [:])
        #expect(created.graph == (try StoreSamples.graph()))
        #expect(try await store.run(id: created.id) == created)
        #expect(try await store.run(named: "training-1") == created)

        try await store.finishRun(id: created.id, status: .completed, error: nil, outputs: ["model": "av-1"], at: StoreSamples.date(20), owner: RunOwner(of: created))
        let finished = try #require(try await store.run(id: created.id))
        #expect(finished.status == .completed)
        #expect(finished.endedAt == StoreSamples.date(20))
        #expect(finished.outputs == ["model": "av-1"])
        #expect(finished.error == nil)
        #expect(finished.configuration == created.configuration)
        #expect(finished.graph == created.graph)
        #expect(finished.host == "test-host")
        #expect(finished.processID == 4242)

        let failing = try await store.createRun(try StoreSamples.run("training-2", at: 30))
        try await store.finishRun(id: failing.id, status: .failed, error: "step 'train' failed: boom", outputs: [:], at: StoreSamples.date(31), owner: RunOwner(of: failing))
        let failed = try #require(try await store.run(named: "training-2"))
        #expect(failed.status == .failed)
        #expect(failed.error == "step 'train' failed: boom")

        #expect(try await store.run(id: "no-such-run") == nil)
        #expect(try await store.run(named: "no-such-run") == nil)
        await #expect(throws: (any Error).self) {
            try await store.finishRun(id: "no-such-run", status: .completed, error: nil, outputs: [:], at: StoreSamples.date(40), owner: .current)
        }
    }

    static func graphRecordedLater(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("dynamic"))
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

        try await store.finishRun(id: run.id, status: .failed, error: "boom", outputs: [:], at: StoreSamples.date(2), owner: RunOwner(of: run))
        let resumed = try StoreSamples.graph()
        try await store.resumeRun(id: run.id, graph: resumed, at: StoreSamples.date(3))
        #expect(try await store.run(id: run.id)?.graph == resumed)
        #expect(try await store.runSummaries(RunQuery()).first?.plannedStepCount == 2)

        try await store.recordGraph(PipelineGraph(), ofRun: run.id)
        #expect(try await store.run(id: run.id)?.graph == PipelineGraph())
    }

    static func resumeClaimsOnce(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("claimed"))
        await #expect(throws: CairnError.runNotResumable(run: "claimed", reason: "it is running (process 4242 on test-host); resume it once it has stopped")) {
            try await store.resumeRun(id: run.id, graph: run.graph, at: StoreSamples.date(1))
        }
        try await store.finishRun(id: run.id, status: .failed, error: "boom", outputs: [:], at: StoreSamples.date(2), owner: RunOwner(of: run))
        let claims = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { (try? await store.resumeRun(id: run.id, graph: run.graph, at: StoreSamples.date(3))) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(claims.filter { $0 }.count == 1, "exactly one of four resumes claims the run")
        let claimed = try #require(try await store.run(id: run.id))
        #expect(claimed.status == .running && claimed.error == nil && claimed.heartbeatAt == StoreSamples.date(3))
        #expect(claimed.processID == ProcessInfo.processInfo.processIdentifier && claimed.host == ProcessInfo.processInfo.hostName)
        // The process that ran it before, taken for dead, cannot record its end over the new owner's.
        await #expect(throws: CairnError.runTakenOver(run: "claimed", owner: RunOwner.current.description)) {
            try await store.finishRun(id: run.id, status: .failed, error: "late", outputs: [:], at: StoreSamples.date(4), owner: RunOwner(of: run))
        }
        #expect(try await store.run(id: run.id)?.status == .running)
        try await store.finishRun(id: run.id, status: .completed, error: nil, outputs: [:], at: StoreSamples.date(4), owner: .current)
        await #expect(throws: CairnError.runNotResumable(run: "claimed", reason: "it is completed; only failed or stopped runs can be resumed")) {
            try await store.resumeRun(id: run.id, graph: run.graph, at: StoreSamples.date(5))
        }
        await #expect(throws: CairnError.self) { try await store.resumeRun(id: "no-such-run", graph: run.graph, at: StoreSamples.date(5)) }
    }

    static func duplicateRunNames(_ store: any MetadataStore) async throws {

        var names: [String] = []
        for second in 0..<3 {
            names.append(try await store.createRun(try StoreSamples.run("nightly", at: second)).name)
        }
        #expect(names == ["nightly", "nightly_2", "nightly_3"])
        // A name that merely starts like another is free.
        #expect(try await store.createRun(try StoreSamples.run("night", at: 3)).name == "night")
        // Asking for a suffixed name that is taken suffixes it again.
        #expect(try await store.createRun(try StoreSamples.run("nightly_2", at: 4)).name == "nightly_2_2")
        #expect(try await store.createRun(try StoreSamples.run("nightly", at: 5)).name == "nightly_4")
    }

    static func runsListing(_ store: any MetadataStore) async throws {

        // r0 … r5, one per 10 seconds, alternating between two pipelines; r6 starts with r5.
        var runs: [RunRecord] = []
        for index in 0..<7 {
            let pipeline = index.isMultiple(of: 2) ? "training" : "inference"
            runs.append(try await store.createRun(try StoreSamples.run("r\(index)", pipeline: pipeline, at: min(index, 5) * 10)))
        }
        for index in [1, 4] {
            try await store.finishRun(id: runs[index].id, status: .failed, error: "boom", outputs: [:], at: StoreSamples.date(100), owner: RunOwner(of: runs[index]))
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

        let recent = try await store.runs(RunQuery(startedAfter: StoreSamples.date(30)))
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

    static func pipelinesWithRunCounts(_ store: any MetadataStore) async throws {
        #expect(try await store.pipelines().isEmpty)

        _ = try await store.createRun(try StoreSamples.run("t1", pipeline: "training", at: 5))
        _ = try await store.createRun(try StoreSamples.run("e1", pipeline: "evaluation", at: 7))
        _ = try await store.createRun(try StoreSamples.run("t2", pipeline: "training", at: 9))
        _ = try await store.createRun(try StoreSamples.run("t3", pipeline: "training", at: 11))

        let pipelines = try await store.pipelines()
        #expect(pipelines.map(\.name) == ["evaluation", "training"])
        #expect(pipelines.map(\.runCount) == [1, 3])
        #expect(pipelines.map(\.createdAt) == [StoreSamples.date(7), StoreSamples.date(5)])
    }

    static func stepRunLinks(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("links"))

        let load = try await store.createStepRun(
            NewStepRun(
                runID: run.id, invocation: "load", stepName: "load", status: .running, startedAt: StoreSamples.date(1),
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
                StoreSamples.output("features", artifact: "links::load::features", digest: "d-features"),
                StoreSamples.output("labels", artifact: "links::load::labels", digest: "d-labels"),
            ]),
            at: StoreSamples.date(2))
        #expect(loadOutputs.map(\.name) == ["links::load::features", "links::load::labels"])
        #expect(loadOutputs.map(\.outputName) == ["features", "labels"])
        #expect(loadOutputs.allSatisfy { $0.producerStepRunID == load.id && $0.version == 1 && $0.createdAt == StoreSamples.date(2) })
        let features = loadOutputs[0]
        let labels = loadOutputs[1]
        #expect(features.digest == "d-features")
        #expect(features.typeName == "Swift.Array<Swift.Double>")
        #expect(features.serializer == "cairn.json")
        #expect(features.serializerVersion == 1)
        #expect(features.size == 128)

        let finishedLoad = try #require(try await store.stepRun(id: load.id))
        #expect(finishedLoad.status == .completed)
        #expect(finishedLoad.endedAt == StoreSamples.date(2))
        #expect(finishedLoad.duration == 1)
        #expect(finishedLoad.error == nil)

        let outputs = try await store.outputs(ofStepRun: load.id)
        #expect(outputs.map(\.name) == ["features", "labels"])
        #expect(outputs.map(\.position) == [0, 0])
        #expect(outputs.map(\.artifact) == [features, labels])

        let other = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "other", stepName: "other", status: .running, startedAt: StoreSamples.date(1)))
        let train = try await store.createStepRun(
            NewStepRun(
                runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(3),
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

    static func danglingReferences(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("dangling"))

        await #expect(throws: (any Error).self) {
            try await store.createStepRun(
                NewStepRun(runID: "no-such-run", invocation: "load", stepName: "load", status: .running, startedAt: StoreSamples.date(1)))
        }
        await #expect(throws: (any Error).self) {
            try await store.createStepRun(
                NewStepRun(
                    runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(1),
                    inputs: [InputLink(name: "data", artifactVersionID: "no-such-artifact")]))
        }
        // Nothing of a refused step run is left behind.
        #expect(try await store.stepRuns(runID: run.id).isEmpty)
        await #expect(throws: (any Error).self) {
            try await store.finishStepRun(id: "no-such-step-run", outcome: .failed(error: "boom"), at: StoreSamples.date(2))
        }
    }

    static func stepRunBatches(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("batch"))
        let load = NewStepRun(runID: run.id, invocation: "load", stepName: "load", status: .cached, startedAt: StoreSamples.date(1))
        let train = NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .cached, startedAt: StoreSamples.date(1), parents: [load.id])
        try await store.writeStepRuns([.start(load), .start(train)])
        #expect(try await store.stepRuns(runID: run.id) == [StepRunRecord(load), StepRunRecord(train)])
        #expect(try await store.parents(ofStepRun: train.id) == [load.id])

        let orphan = NewStepRun(runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .cached, startedAt: StoreSamples.date(2))
        let dangling = NewStepRun(
            runID: run.id, invocation: "report", stepName: "report", status: .cached, startedAt: StoreSamples.date(2), parents: ["no-such-step-run"])
        await #expect(throws: (any Error).self) { try await store.writeStepRuns([.start(orphan), .start(dangling)]) }
        #expect(try await store.stepRuns(runID: run.id).count == 2, "nothing of the refused batch is recorded")
    }

    static func mixedWrites(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("mixed"))
        let load = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "load", stepName: "load", status: .running, startedAt: StoreSamples.date(1)))
        let train = NewStepRun(
            runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(2), parents: [load.id])
        // The end of a step run recorded before, then a new one started and ended later in the same call.
        let written = try await store.writeStepRuns([
            .end(stepRunID: load.id, outcome: .completed(outputs: [StoreSamples.output(artifact: "data")]), startedAt: StoreSamples.date(1), endedAt: StoreSamples.date(2)),
            .start(train),
            .end(stepRunID: train.id, outcome: .failed(error: "diverged"), startedAt: StoreSamples.date(3), endedAt: StoreSamples.date(4)),
        ])
        #expect(written.map(\.count) == [1, 0, 0])
        #expect(try await store.stepRun(id: load.id)?.status == .completed)
        #expect(try await store.artifactVersion(named: "data", version: nil) == written[0].first)
        let failed = try #require(try await store.stepRun(id: train.id))
        #expect(failed.status == .failed && failed.error == "diverged")
        #expect(failed.startedAt == StoreSamples.date(3) && failed.endedAt == StoreSamples.date(4), "an end corrects the recorded start")

        // An end of a step run that is not in the store refuses the whole call, the starts before it too.
        let evaluate = NewStepRun(runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .running, startedAt: StoreSamples.date(5))
        await #expect(throws: CairnError.notFound(kind: "step run", name: "no-such-step-run", suggestion: nil)) {
            try await store.writeStepRuns([
                .start(evaluate),
                .end(stepRunID: evaluate.id, outcome: .completed(outputs: [StoreSamples.output(artifact: "again")]), startedAt: nil, endedAt: StoreSamples.date(6)),
                .end(stepRunID: "no-such-step-run", outcome: .stopped(reason: "gone"), startedAt: nil, endedAt: StoreSamples.date(6)),
            ])
        }
        #expect(try await store.stepRun(id: evaluate.id) == nil, "nothing of a refused call is recorded")
        #expect(try await store.artifactVersions(named: "again").isEmpty)
    }

    static func stepRunsRecordedWhole(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("whole"))
        let (load, loaded) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "load", outputs: [StoreSamples.output(artifact: "data")])
        let model = StoreSamples.output("model", artifact: "model", digest: "d2")
        let train = NewStepRun(
            runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(3),
            inputs: [InputLink(name: "data", artifactVersionID: loaded[0].id)], parents: [load.id])
        // The second links to the first's output and step run, recorded in the same call.
        let score = StoreSamples.output("score", artifact: "score", digest: "d3")
        let evaluate = NewStepRun(
            runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .running, startedAt: StoreSamples.date(4),
            inputs: [InputLink(name: "model", artifactVersionID: model.id)], parents: [train.id])
        let written = try await store.writeStepRuns(
            WholeStepRun(train, outcome: .completed(outputs: [model]), endedAt: StoreSamples.date(4)).writes
                + WholeStepRun(evaluate, outcome: .completed(outputs: [score]), endedAt: StoreSamples.date(5)).writes)
        #expect(written.count == 4 && written[0].isEmpty && written[2].isEmpty, "a start creates no version")
        let versions = [written[1], written[3]]
        #expect(versions.map { $0.map(\.id) } == [[model.id], [score.id]] && versions.map { $0.map(\.version) } == [[1], [1]])
        let recorded = try #require(try await store.stepRun(id: train.id))
        #expect(recorded.status == .completed && recorded.startedAt == StoreSamples.date(3) && recorded.endedAt == StoreSamples.date(4))
        #expect(try await store.inputs(ofStepRun: train.id).map(\.artifact) == loaded)
        #expect(try await store.outputs(ofStepRun: train.id).map(\.artifact) == versions[0])
        #expect(try await store.parents(ofStepRun: train.id) == [load.id])
        #expect(try await store.inputs(ofStepRun: evaluate.id).map(\.artifact) == versions[0])
        #expect(try await store.parents(ofStepRun: evaluate.id) == [train.id])
        #expect(try await store.stepRun(id: evaluate.id)?.endedAt == StoreSamples.date(5))

        var valid = train
        (valid.id, valid.invocation) = (RandomIdentifier.make(), "train_2")
        var dangling = train
        (dangling.id, dangling.invocation, dangling.parents) = (RandomIdentifier.make(), "report", ["no-such-step-run"])
        let error = await #expect(throws: CairnError.self) {
            try await store.writeStepRuns(
                WholeStepRun(valid, outcome: .completed(outputs: [StoreSamples.output(artifact: "retrained")]), endedAt: StoreSamples.date(6)).writes
                    + WholeStepRun(dangling, outcome: .completed(outputs: [StoreSamples.output(artifact: "report")]), endedAt: StoreSamples.date(6)).writes)
        }
        #expect(error.map { "\($0)".contains("'report'") } == true, "the error names the step run that cannot be recorded")
        #expect(try await store.stepRun(id: valid.id) == nil, "nothing of a refused call is recorded")
        #expect(try await store.artifactVersions(named: "retrained").isEmpty)
        #expect(try await store.artifactVersions(named: "report").isEmpty)
    }

    static func ingredientsOnlyAlone(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("ingredients"))
        let stepRun = NewStepRun(
            runID: run.id, invocation: "load", stepName: "load", status: .completed, startedAt: StoreSamples.date(1), cacheKey: "k1",
            cacheIngredients: #"{"step":"load"}"#)
        try await store.createStepRun(stepRun)
        let listed = try #require(try await store.stepRuns(runID: run.id).first)
        #expect(listed.cacheKey == "k1" && listed.cacheIngredients == nil)
        #expect(try await store.cacheCandidates(key: "k1", limit: 5).map(\.cacheIngredients) == [nil])
        #expect(try await store.stepRun(id: stepRun.id)?.cacheIngredients == #"{"step":"load"}"#)
    }

    static func artifactVersionNumbering(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("numbering"))

        var model: [ArtifactVersionRecord] = []
        for index in 1...3 {
            let (_, versions) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "train_\(index)",
                outputs: [StoreSamples.output(artifact: "training::train::model", digest: "d\(index)")], at: index * 10)
            model.append(contentsOf: versions)
        }
        let (_, otherVersions) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "evaluate", outputs: [StoreSamples.output(artifact: "training::evaluate::score")])

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

    static func unusableVersions(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("damage"))
        let (train, trained) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "train", outputs: [StoreSamples.output(artifact: "training::train::model", digest: "shared")])
        let (_, copied) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "copy", outputs: [StoreSamples.output(artifact: "training::copy::model", digest: "shared")])
        let (_, other) = try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "evaluate", outputs: [StoreSamples.output(artifact: "training::evaluate::score", digest: "other")])
        #expect(trained[0].isUsable && copied[0].isUsable)

        try await store.markArtifacts(digest: "shared", unusableBecause: "its bytes changed on disk")
        #expect(try await store.artifactVersion(id: trained[0].id)?.unusableReason == "its bytes changed on disk")
        #expect(try await store.artifactVersion(id: copied[0].id)?.isUsable == false, "the same bytes")
        #expect(try await store.artifactVersion(id: other[0].id)?.isUsable == true)
        #expect(try await store.outputs(ofStepRun: train.id).map(\.artifact.isUsable) == [false])

        try await store.markArtifacts(digest: "shared", unusableBecause: nil)
        #expect(try await store.artifactVersion(id: trained[0].id) == trained[0])
    }

    static func failedAndStoppedStepRuns(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("failures"))

        let failing = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(1)))
        let message = "step 'train' failed: index out of range\n  at train.swift:12"
        let created = try await store.finishStepRun(id: failing.id, outcome: .failed(error: message), at: StoreSamples.date(2))
        #expect(created.isEmpty)
        let failed = try #require(try await store.stepRun(id: failing.id))
        #expect(failed.status == .failed)
        #expect(failed.error == message)
        #expect(failed.endedAt == StoreSamples.date(2))
        #expect(try await store.outputs(ofStepRun: failing.id).isEmpty)

        let stopping = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "evaluate", stepName: "evaluate", status: .running, startedAt: StoreSamples.date(1)))
        try await store.finishStepRun(id: stopping.id, outcome: .stopped(reason: "the run was stopped by a user"), at: StoreSamples.date(3))
        let stopped = try #require(try await store.stepRun(id: stopping.id))
        #expect(stopped.status == .stopped)
        #expect(stopped.error == "the run was stopped by a user")
        #expect(stopped.endedAt == StoreSamples.date(3))

        let skipped = try await store.createStepRun(
            NewStepRun(
                runID: run.id, invocation: "report", stepName: "report", status: .skipped, startedAt: StoreSamples.date(4),
                parents: [failing.id], error: "step 'train' did not complete"))
        #expect(skipped.status == .skipped)
        #expect(skipped.error == "step 'train' did not complete")
        #expect(try await store.stepRun(id: skipped.id) == skipped)
    }

    static func concurrentRunNames(_ store: any MetadataStore) async throws {

        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.createRun(try StoreSamples.run("parallel")).name }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(names.count == 20)
        #expect(Set(names) == Set(["parallel"] + (2...20).map { "parallel_\($0)" }))
        #expect(try await store.pipelines().first?.runCount == 20)
    }

    static func concurrentArtifactVersions(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try StoreSamples.run("fan-out"))

        let versions = try await withThrowingTaskGroup(of: [ArtifactVersionRecord].self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await StoreSamples.completedStepRun(in: store, runID: run.id, invocation: "shard_\(index)",
                        outputs: [StoreSamples.output(artifact: "fan-out::shard::output", digest: "d\(index)")]
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
