public import CairnCore
public import Foundation

/// Sample records for testing metadata stores: dates, a two-step graph, run and artifact version
/// requests, and a completed step run.
public enum StoreSamples {
    /// A date `seconds` after a fixed origin; whole seconds survive every store's date precision.
    public static func date(_ seconds: Int) -> Date {
        Date(timeIntervalSince1970: 1_700_000_000 + TimeInterval(seconds))
    }

    /// A two-step graph, `load` then `train`, with an artifact input and a parameter.
    public static func graph() throws -> PipelineGraph {
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

    /// A request for a run of `pipeline` with ``graph()``, started `seconds` after the origin.
    public static func run(_ name: String, pipeline: String = "training", at seconds: Int = 0) throws -> NewRun {
        NewRun(
            name: name, pipelineName: pipeline, configuration: #"{"parameters":{"rate":0.1}}"#, graph: try graph(),
            startedAt: date(seconds), host: "test-host", processID: 4242)
    }

    /// A request for an output artifact version.
    public static func output(_ outputName: String = "output", artifact name: String, digest: String = "d1") -> NewArtifactVersion {
        NewArtifactVersion(
            outputName: outputName, name: name, digest: digest, typeName: "Swift.Array<Swift.Double>",
            serializer: "cairn.json", serializerVersion: 1, size: 128)
    }

    /// Records a step run of `runID` that completes with `outputs`, and returns it with its new artifact versions.
    @discardableResult
    public static func completedStepRun(
        in store: any MetadataStore, runID: String, invocation: String, outputs: [NewArtifactVersion], at seconds: Int = 1
    ) async throws -> (StepRunRecord, [ArtifactVersionRecord]) {
        let stepRun = try await store.createStepRun(
            NewStepRun(runID: runID, invocation: invocation, stepName: invocation, status: .running, startedAt: date(seconds)))
        let versions = try await store.finishStepRun(id: stepRun.id, outcome: .completed(outputs: outputs), at: date(seconds + 1))
        return (stepRun, versions)
    }
}
