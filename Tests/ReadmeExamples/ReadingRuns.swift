public import Cairn
import Foundation

/// The README's example of reading runs and artifacts from code; compiled, not run (its folders
/// are the README's).
func readRunsAndArtifacts() async throws {
    let stack = try Stack.local(at: URL(filePath: "/data/cairn"))   // or Stack.local(): the nearest .cairn
    let result = try await training.run(Parameters(data: "/data/iris.csv"), on: stack)
    for step in try await result.steps {                           // StepRunRecord: one per attempt
        print(step.invocation, step.status, step.duration ?? 0, step.cachedFrom ?? "ran", step.error ?? "")
        print(try await stack.log(of: step) ?? "")                  // what the step logged
    }
    let latest = try await stack.loadArtifact("training::train::model", as: Model.self)
    let versions = try await stack.metadata.artifactVersions(named: "training::train::model")
    let third = try await stack.loadArtifact("training::train::model", version: 3, as: Model.self)
    let nightly = try await stack.metadata.runs(RunQuery(pipelineName: "training", tag: "nightly", limit: 5))
    _ = (latest, versions, third, nightly)
}

/// Runs the README's first pipeline on `stack` with the data at `path`, and returns its step runs
/// and the versions of the artifact the README exports.
public func runTraining(on stack: Stack, data path: String) async throws -> (steps: [StepRunRecord], models: [ArtifactVersionRecord]) {
    let result = try await training.run(Parameters(data: path), on: stack)
    return (try await result.steps, try await stack.metadata.artifactVersions(named: "training::train::model"))
}
