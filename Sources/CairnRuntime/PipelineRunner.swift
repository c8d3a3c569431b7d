public import CairnCore
public import Foundation

/// Runs compiled pipelines on a stack: records the run, schedules its steps, records the outcome.
public struct PipelineRunner: Sendable {
    /// The stack runs use.
    public var stack: Stack
    /// Called for each step start and end, from any task.
    public var onEvent: @Sendable (RunEvent) -> Void

    /// Makes a runner.
    public init(stack: Stack, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) {
        self.stack = stack
        self.onEvent = onEvent
    }

    /// Runs a compiled pipeline and returns its result, whether it succeeded or failed.
    ///
    /// Use ``RunResult/requireSuccess()`` to turn a failed run into an error.
    public func run(_ pipeline: CompiledPipeline, at date: Date = Date()) async throws -> RunResult {
        let template = try RunNameTemplate(pipeline.options.runNameTemplate)
        let configuration = RunConfiguration(
            pipeline: pipeline.name, parameters: try CanonicalJSON.decode(JSONValue.self, from: pipeline.parametersJSON),
            options: pipeline.options, steps: pipeline.stepOverrides)
        let run = try await stack.metadata.createRun(NewRun(
            name: try template.expand(pipeline: pipeline.name, at: date, substitutions: pipeline.options.runNameSubstitutions),
            pipelineName: pipeline.name, configuration: CanonicalJSON.string(encoding: configuration), graph: pipeline.graph,
            startedAt: date, host: ProcessInfo.processInfo.hostName, processID: ProcessInfo.processInfo.processIdentifier))
        onEvent(.runStarted(run))
        let concurrency = max(1, pipeline.options.maxConcurrency ?? ProcessInfo.processInfo.activeProcessorCount)
        let results = await RunScheduler(
            pipeline: pipeline, run: run, stack: stack, concurrency: concurrency, onEvent: onEvent
        ).execute()
        let failures = pipeline.graph.nodes.compactMap { node -> String? in
            guard let result = results[node.invocation], !result.status.isSuccessful, result.status != .skipped else { return nil }
            return "step '\(node.invocation)' \(result.status.rawValue): \(result.error ?? "no error text")"
        }
        let status: ExecutionStatus = failures.isEmpty ? .completed : .failed
        let outputs = failures.isEmpty ? try Self.outputVersions(of: pipeline, results: results) : [:]
        try await stack.metadata.finishRun(
            id: run.id, status: status, error: failures.isEmpty ? nil : failures.joined(separator: "\n"), outputs: outputs, at: Date())
        let finished = try await stack.metadata.run(id: run.id) ?? run
        let steps = try await stack.metadata.stepRuns(runID: run.id)
        onEvent(.runFinished(finished, steps: steps))
        return RunResult(run: finished, steps: steps, stack: stack)
    }

    /// The artifact version behind each of the pipeline's named outputs.
    private static func outputVersions(of pipeline: CompiledPipeline, results: [String: StepResult]) throws -> [String: String] {
        try pipeline.outputs.mapValues { binding in
            guard case .output(let invocation, let output) = binding, let version = results[invocation]?.outputs[output] else {
                throw CairnError.invalidPipeline(pipeline: pipeline.name, reason: "a pipeline output must be a single step output")
            }
            return version.id
        }
    }
}
