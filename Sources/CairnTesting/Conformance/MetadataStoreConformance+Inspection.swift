import CairnCore
import Foundation
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

extension MetadataStoreConformance {
    /// What inspecting a store reads: counts, summaries, lineage, and deleting runs.
    static let inspectionChecks: [ConformanceCheck<any MetadataStore>] = [
        ConformanceCheck("counts are zero in an empty store and count every record", counts),
        ConformanceCheck("run names are found by prefix, in name order, at most as many as asked", runNamesByPrefix),
        ConformanceCheck("run summaries list runs like runs(_:), with their planned steps, step run statuses and process", summaries),
        ConformanceCheck("the outputs of a run's step runs come by step run, and versions by identifier in the order asked", outputsAndVersions),
        ConformanceCheck("step run references carry their run's name, in the order asked, without unknown ones", references),
        ConformanceCheck("artifacts are listed by name with their version count and latest version", artifacts),
        ConformanceCheck("the consumers of a version are the step runs that read it, oldest first", consumers),
        ConformanceCheck("referenced digests are those of every version, once each", digests),
        ConformanceCheck("deleting a run removes its step runs and links, and the versions no other run uses", deleteRun),
    ]

    static func counts(_ store: any MetadataStore) async throws {
        #expect(try await store.counts() == StoreCounts())
        _ = try await InspectionFixture.make(store)
        #expect(try await store.counts() == StoreCounts(pipelines: 1, runs: 2, stepRuns: 4, artifacts: 2, artifactVersions: 3))
    }

    static func runNamesByPrefix(_ store: any MetadataStore) async throws {
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

    static func summaries(_ store: any MetadataStore) async throws {
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

    static func outputsAndVersions(_ store: any MetadataStore) async throws {
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

    static func references(_ store: any MetadataStore) async throws {
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

    static func artifacts(_ store: any MetadataStore) async throws {
        let fixture = try await InspectionFixture.make(store)
        #expect(try await store.artifacts() == [
            ArtifactSummary(name: "training::load::output", versionCount: 1, latest: fixture.data),
            ArtifactSummary(name: "training::train::model", versionCount: 2, latest: fixture.secondModel),
        ])
    }

    static func consumers(_ store: any MetadataStore) async throws {
        let fixture = try await InspectionFixture.make(store)
        #expect(try await store.consumers(ofArtifactVersion: fixture.data.id).map(\.stepRunID) == [fixture.firstTrain.id, fixture.secondTrain.id])
        #expect(try await store.consumers(ofArtifactVersion: fixture.secondModel.id).map(\.runName) == ["second"])
        #expect(try await store.consumers(ofArtifactVersion: fixture.firstModel.id).isEmpty)
    }

    static func digests(_ store: any MetadataStore) async throws {
        #expect(try await store.referencedDigests().isEmpty)
        _ = try await InspectionFixture.make(store)
        #expect(try await store.referencedDigests() == ["aa", "bb"])
    }

    static func deleteRun(_ store: any MetadataStore) async throws {
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
