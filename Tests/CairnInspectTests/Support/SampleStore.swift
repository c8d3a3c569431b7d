import Cairn
import CairnTesting
import Foundation

/// A store with hand-made runs at fixed times, so that tables can be compared with expected text.
///
/// - `training-1` (2025-01-02 10:00:00 UTC): `load` and `train` complete; the run's output is the model.
/// - `training-2` (11:00): `load` completes, `train` fails.
/// - `evaluation-1` (12:00): `score` is still running.
struct SampleStore {
    let temporary: TemporaryStore
    let training1: RunRecord
    let training2: RunRecord
    let evaluation1: RunRecord

    var path: String { temporary.home.path }
    var metadata: any MetadataStore { temporary.stack.metadata }

    /// 2025-01-02 10:00:00 UTC plus `seconds`.
    static func date(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: 1_735_812_000 + seconds)
    }

    static func make() async throws -> SampleStore {
        let temporary = try TemporaryStore()
        let metadata = temporary.stack.metadata
        let artifacts = temporary.stack.artifacts
        let data = try await artifacts.store { try $0.write(Data(repeating: 7, count: 2048)) }
        let model = try await artifacts.store { try $0.write(Data(#"{"weights":[0.5,0.25]}"#.utf8)) }

        func output(_ name: String, _ artifact: String, _ blob: StoredBlob) -> NewArtifactVersion {
            NewArtifactVersion(
                outputName: name, name: artifact, digest: blob.digest, typeName: "Sample.Table", serializer: "cairn.json",
                serializerVersion: 1, size: blob.size)
        }
        func start(_ name: String, _ pipeline: String, at seconds: Double, graph: PipelineGraph, parameters: String) async throws -> RunRecord {
            let configuration = try CanonicalJSON.string(encoding: RunConfiguration(
                pipeline: pipeline, parameters: CanonicalJSON.decode(JSONValue.self, from: parameters), options: PipelineOptions()))
            return try await metadata.createRun(NewRun(
                name: name, pipelineName: pipeline, configuration: configuration, graph: graph, startedAt: date(seconds),
                host: "test-host", processID: 42))
        }
        func step(_ run: RunRecord, _ invocation: String, at seconds: Double, inputs: [InputLink] = [], parents: [String] = []) async throws -> StepRunRecord {
            try await metadata.createStepRun(NewStepRun(
                runID: run.id, invocation: invocation, stepName: invocation, status: .running, startedAt: date(seconds),
                parameters: invocation == "train" ? ["rate": "0.1"] : [:], inputs: inputs, parents: parents))
        }

        let training = try trainingGraph()
        var training1 = try await start("training-1", "training", at: 0, graph: training, parameters: #"{"rate":0.1}"#)
        let load1 = try await step(training1, "load", at: 0.1)
        let loaded1 = try await metadata.finishStepRun(id: load1.id, outcome: .completed(outputs: [output("output", "training::load::output", data)]), at: date(0.35))
        let train1 = try await step(training1, "train", at: 0.4, inputs: [InputLink(name: "data", artifactVersionID: loaded1[0].id)], parents: [load1.id])
        let trained1 = try await metadata.finishStepRun(id: train1.id, outcome: .completed(outputs: [output("model", "training::train::model", model)]), at: date(1.9))
        try await metadata.finishRun(id: training1.id, status: .completed, error: nil, outputs: ["model": trained1[0].id], at: date(2), owner: RunOwner(of: training1))
        training1 = try await metadata.run(id: training1.id)!

        var training2 = try await start("training-2", "training", at: 3600, graph: training, parameters: #"{"rate":5}"#)
        let load2 = try await step(training2, "load", at: 3600.1)
        let loaded2 = try await metadata.finishStepRun(id: load2.id, outcome: .completed(outputs: [output("output", "training::load::output", data)]), at: date(3600.3))
        let train2 = try await step(training2, "train", at: 3600.4, inputs: [InputLink(name: "data", artifactVersionID: loaded2[0].id)], parents: [load2.id])
        try await metadata.finishStepRun(id: train2.id, outcome: .failed(error: "diverged: the loss is NaN"), at: date(3601.7))
        try await metadata.finishRun(id: training2.id, status: .failed, error: "step 'train' failed: diverged: the loss is NaN", outputs: [:], at: date(3601.75), owner: RunOwner(of: training2))
        training2 = try await metadata.run(id: training2.id)!

        let evaluation1 = try await start("evaluation-1", "evaluation", at: 7200, graph: try evaluationGraph(), parameters: "{}")
        _ = try await step(evaluation1, "score", at: 7200.5)
        // Its process (on another host) is alive: it beat just now, so it is not taken for abandoned.
        try await metadata.heartbeat(runID: evaluation1.id, at: Date())

        return SampleStore(temporary: temporary, training1: training1, training2: training2, evaluation1: evaluation1)
    }

    /// `load`, then `train` reading its output, with a `rate` parameter.
    static func trainingGraph() throws -> PipelineGraph {
        try CanonicalJSON.decode(PipelineGraph.self, from: """
            {"nodes":[\
            {"after":[],"fingerprint":"f-load","inputs":[],"invocation":"load","step":"load"},\
            {"after":[],"fingerprint":"f-train","inputs":[\
            {"binding":{"output":{"invocation":"load","output":"output"}},"name":"data"},\
            {"binding":{"constant":{"json":"0.1"}},"name":"rate"}],"invocation":"train","step":"train"}]}
            """)
    }

    /// A single `score` step.
    static func evaluationGraph() throws -> PipelineGraph {
        try CanonicalJSON.decode(PipelineGraph.self, from: """
            {"nodes":[{"after":[],"fingerprint":"f-score","inputs":[],"invocation":"score","step":"score"}]}
            """)
    }
}
