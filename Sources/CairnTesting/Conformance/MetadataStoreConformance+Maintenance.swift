import CairnCore
import Foundation
import Testing

/// A run of a one-step pipeline, started at `StoreSamples.date(0)`.
private func newRun(_ name: String) throws -> NewRun {
    NewRun(
        name: name, pipelineName: "training", configuration: #"{"options":{"tags":["nightly"]}}"#,
        graph: try CanonicalJSON.decode(
            PipelineGraph.self, from: #"{"nodes":[{"after":[],"fingerprint":"f","inputs":[],"invocation":"train","step":"train"}]}"#),
        startedAt: StoreSamples.date(0), host: "test-host", processID: 4242)
}

extension MetadataStoreConformance {
    /// What runs use along the way: heartbeats, abandoned runs, logs, retries, metadata, visualizations, versions saved outside a pipeline and tags.
    static let maintenanceChecks: [ConformanceCheck<any MetadataStore>] = [
        ConformanceCheck("A heartbeat is recorded; abandoning fails a running run and its unfinished step runs, and only a running run", heartbeatAndAbandon),
        ConformanceCheck("A log is attached to a step run; only a failed step run is marked retried", logsAndRetries),
        ConformanceCheck("Metadata is kept per run, step run and artifact version, a key logged again replaced", metadata),
        ConformanceCheck("A version saved outside a pipeline is numbered after a step's, without a producer; runs are found by tag", savedVersionsAndTags),
    ]

    static func heartbeatAndAbandon(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try newRun("abandoned"))
        #expect(run.heartbeatAt == StoreSamples.date(0))
        try await store.heartbeat(runID: run.id, at: StoreSamples.date(5))
        #expect(try await store.run(id: run.id)?.heartbeatAt == StoreSamples.date(5))

        let done = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "done", stepName: "done", status: .running, startedAt: StoreSamples.date(1)))
        try await store.finishStepRun(id: done.id, outcome: .completed(outputs: []), at: StoreSamples.date(2))
        let busy = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "busy", stepName: "busy", status: .running, startedAt: StoreSamples.date(3)))
        try await store.abandonRun(id: run.id, reason: "its process is gone", at: StoreSamples.date(9))
        let abandoned = try #require(try await store.run(id: run.id))
        #expect(abandoned.status == .failed && abandoned.error == "its process is gone" && abandoned.endedAt == StoreSamples.date(9))
        let failed = try #require(try await store.stepRun(id: busy.id))
        #expect(failed.status == .failed && failed.error == "its process is gone" && failed.endedAt == StoreSamples.date(9))
        #expect(try await store.stepRun(id: done.id)?.status == .completed)

        let finished = try await store.createRun(try newRun("finished"))
        try await store.finishRun(id: finished.id, status: .completed, error: nil, outputs: [:], at: StoreSamples.date(4), owner: RunOwner(of: finished))
        try await store.abandonRun(id: finished.id, reason: "late", at: StoreSamples.date(10))
        let kept = try #require(try await store.run(id: finished.id))
        #expect(kept.status == .completed && kept.error == nil)
    }

    static func logsAndRetries(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try newRun("retries"))
        let failed = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(1)))
        try await store.finishStepRun(id: failed.id, outcome: .failed(error: "boom"), at: StoreSamples.date(2))
        try await store.attachLog(stepRunID: failed.id, digest: "log-digest")
        try await store.markRetried(stepRunID: failed.id)
        let running = try await store.createStepRun(
            NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(3), attempt: 2))
        try await store.markRetried(stepRunID: running.id)

        let retried = try #require(try await store.stepRun(id: failed.id))
        #expect(retried.status == .retried && retried.logDigest == "log-digest")
        #expect(try await store.stepRuns(runID: run.id).map(\.logDigest) == ["log-digest", nil])
        #expect(try await store.stepRun(id: running.id)?.status == .running)
        #expect(try await store.referencedDigests() == ["log-digest"])
    }

    static func metadata(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try newRun("metadata"))
        let stepRun = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(1)))
        let output = NewArtifactVersion(
            outputName: "model", name: "model", digest: "d-model", typeName: "Model", serializer: "cairn.json", serializerVersion: 1,
            size: 64, metadata: ["rows": 150], visualizations: [VisualizationRecord(kind: .markdown, digest: "d-markdown")])
        let model = try await store.finishStepRun(id: stepRun.id, outcome: .completed(outputs: [output]), at: StoreSamples.date(2))[0]

        try await store.logMetadata(["accuracy": 0.9, "notes": "first"], on: .run(id: run.id))
        try await store.logMetadata(["accuracy": 0.95], on: .run(id: run.id))
        try await store.logMetadata(["epochs": ["values": [1, 2, 3]]], on: .stepRun(id: stepRun.id))
        #expect(try await store.metadata(of: .run(id: run.id)) == ["accuracy": 0.95, "notes": "first"])
        #expect(try await store.metadata(of: .stepRun(id: stepRun.id)) == ["epochs": ["values": [1, 2, 3]]])
        #expect(try await store.metadata(of: .artifactVersion(id: model.id)) == ["rows": 150])
        #expect(try await store.metadata(of: .run(id: "no-such-run")) == [:])

        try await store.addVisualizations(
            [VisualizationRecord(kind: .csv, digest: "d-csv"), VisualizationRecord(kind: .markdown, digest: "d-markdown-2")], toArtifactVersion: model.id)
        #expect(
            try await store.visualizations(ofArtifactVersion: model.id)
                == [VisualizationRecord(kind: .csv, digest: "d-csv"), VisualizationRecord(kind: .markdown, digest: "d-markdown-2")])
        #expect(try await store.referencedDigests() == ["d-model", "d-csv", "d-markdown-2"])
    }

    static func savedVersionsAndTags(_ store: any MetadataStore) async throws {
        let run = try await store.createRun(try newRun("tagged"))
        let stepRun = try await store.createStepRun(NewStepRun(runID: run.id, invocation: "train", stepName: "train", status: .running, startedAt: StoreSamples.date(1)))
        let version = NewArtifactVersion(outputName: "output", name: "dataset", digest: "d1", typeName: "Data", serializer: "cairn.json", serializerVersion: 1, size: 1)
        try await store.finishStepRun(id: stepRun.id, outcome: .completed(outputs: [version]), at: StoreSamples.date(2))
        var saved = version
        saved.id = RandomIdentifier.make()
        let record = try await store.createArtifactVersion(saved)
        #expect(record.version == 2 && record.producerStepRunID == nil && record.outputName == nil)
        // Made now, its date is stored to each store's precision: the rest is as returned.
        var stored = try #require(try await store.artifactVersion(id: record.id))
        stored.createdAt = record.createdAt
        #expect(stored == record)

        #expect(try await store.runs(RunQuery(tag: "nightly")).map(\.name) == ["tagged"])
        #expect(try await store.runs(RunQuery(tag: "weekly")).isEmpty)
    }
}
