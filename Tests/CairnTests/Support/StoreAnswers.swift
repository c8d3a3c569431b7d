import Cairn
import Foundation

/// Every answer a stack's stores give about the history they hold, asked through the protocols as
/// the `cairn` commands ask: listings, each run whole, each step run's lineage, every artifact
/// version with its metadata, visualizations and consumers, and the bytes of every object the
/// records refer to. Two stacks with equal answers hold the same history.
struct StoreAnswers: Equatable {
    var counts: StoreCounts
    var pipelines: [PipelineRecord]
    var summaries: [RunSummary]
    var runs: [RunRecord]
    var runNames: [String]
    /// By run identifier.
    var stepRuns: [String: [StepRunRecord]] = [:]
    /// By run identifier.
    var stepRunOutputs: [String: [String: [ArtifactLink]]] = [:]
    /// Each step run read alone, with its cache key's ingredients.
    var stepRunDetails: [StepRunRecord] = []
    /// By step run identifier.
    var inputs: [String: [ArtifactLink]] = [:]
    var outputs: [String: [ArtifactLink]] = [:]
    var parents: [String: [String]] = [:]
    var references: [StepRunReference] = []
    var artifacts: [ArtifactSummary]
    /// By artifact name, oldest first.
    var versions: [String: [ArtifactVersionRecord]] = [:]
    /// By artifact version identifier.
    var consumers: [String: [StepRunReference]] = [:]
    var visualizations: [String: [VisualizationRecord]] = [:]
    var metadata: [MetadataTarget: [String: JSONValue]] = [:]
    /// The bytes of every object the records refer to, by digest.
    var objects: [String: Data] = [:]

    /// Asks `stack` everything.
    static func read(_ stack: Stack) async throws -> StoreAnswers {
        let store = stack.metadata
        let runs = try await store.runs(RunQuery(limit: 10_000))
        var answers = StoreAnswers(
            counts: try await store.counts(), pipelines: try await store.pipelines(),
            summaries: try await store.runSummaries(RunQuery(limit: 10_000)), runs: runs,
            runNames: try await store.runNames(startingWith: "", limit: 10_000), artifacts: try await store.artifacts())
        for run in runs {
            let stepRuns = try await store.stepRuns(runID: run.id)
            answers.stepRuns[run.id] = stepRuns
            answers.stepRunOutputs[run.id] = try await store.stepRunOutputs(runID: run.id)
            answers.metadata[.run(id: run.id)] = try await store.metadata(of: .run(id: run.id))
            for stepRun in stepRuns {
                if let detail = try await store.stepRun(id: stepRun.id) { answers.stepRunDetails.append(detail) }
                answers.inputs[stepRun.id] = try await store.inputs(ofStepRun: stepRun.id)
                answers.outputs[stepRun.id] = try await store.outputs(ofStepRun: stepRun.id)
                answers.parents[stepRun.id] = try await store.parents(ofStepRun: stepRun.id)
                answers.metadata[.stepRun(id: stepRun.id)] = try await store.metadata(of: .stepRun(id: stepRun.id))
            }
            answers.references += try await store.stepRunReferences(ids: stepRuns.map(\.id))
        }
        for artifact in answers.artifacts {
            let versions = try await store.artifactVersions(named: artifact.name)
            answers.versions[artifact.name] = versions
            for version in versions {
                answers.consumers[version.id] = try await store.consumers(ofArtifactVersion: version.id)
                answers.visualizations[version.id] = try await store.visualizations(ofArtifactVersion: version.id)
                answers.metadata[.artifactVersion(id: version.id)] = try await store.metadata(of: .artifactVersion(id: version.id))
            }
        }
        for digest in try await store.referencedDigests() {
            answers.objects[digest] = try await stack.artifacts.load(digest) { try $0.readToEnd() }
        }
        return answers
    }
}
