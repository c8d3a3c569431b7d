import ArgumentParser
import Cairn
import CairnCore
import CairnRuntime
import Foundation

/// Resumes a failed or stopped run: completed steps are reused, the rest run.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resumes a failed or stopped run, reusing the steps that completed.")

    @Argument(help: "The run's name or identifier.")
    var run: String

    @Option(help: "Where steps run, in place of the stack's orchestrator: in_process or subprocess.")
    var orchestrator: OrchestratorChoice?

    @OptionGroup var stack: StackOptions

    func run() async throws {
        let stack = try await stack.open(creating: false, orchestrator: orchestrator)
        let record = try await RunLookup.find(run, in: stack.metadata)
        let pipeline = try CommandEnvironment.pipeline(named: record.pipelineName)
        let result = try await PipelineRunner(stack: stack, onEvent: ConsoleProgress().report).resume(record, pipeline: pipeline)
        if !result.succeeded { throw ExitCode.failure }
    }
}

/// Explains why a step of a run ran or was cached.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explains why a step of a run ran or was cached.")

    @Argument(help: "The run's name or identifier.")
    var run: String

    @Argument(help: "The step's invocation name in the run.")
    var step: String

    @OptionGroup var stack: StackOptions

    func run() async throws {
        let stack = try await stack.open(creating: false)
        let record = try await RunLookup.find(run, in: stack.metadata)
        let steps = try await stack.metadata.stepRuns(runID: record.id)
        guard let stepRun = steps.last(where: { $0.invocation == step }) else {
            let names = Array(Set(steps.map(\.invocation))).sorted()
            throw CairnError.notFound(kind: "step in run '\(record.name)'", name: step, suggestion: Suggestion.closest(to: step, in: names))
        }
        let explanation = try await CacheExplanation.explain(stepRun, in: record, metadata: stack.metadata)
        print(explanation.summary)
        if let ingredients = explanation.ingredients {
            print("\nCache key \(stepRun.cacheKey ?? ""), from:\n\(ingredients.canonicalJSON)")
        }
    }
}

/// Finds a run by name or identifier; when there is none, the error (`CairnError.notFound`, exit
/// status 1, not a usage mistake) suggests the closest name.
enum RunLookup {
    static func find(_ reference: String, in metadata: any MetadataStore) async throws -> RunRecord {
        if let run = try await metadata.run(named: reference) { return run }
        if let run = try await metadata.run(id: reference) { return run }
        let recent = try await metadata.runs(RunQuery(limit: 200)).map(\.name)
        throw CairnError.notFound(kind: "run", name: reference, suggestion: Suggestion.closest(to: reference, in: recent))
    }
}
