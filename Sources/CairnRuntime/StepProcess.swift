public import CairnCore
import Foundation

/// The out-of-process contract: run exactly one step of a recorded run, by name.
///
/// A pipeline executable's `step run --run RUN --step INVOCATION` calls this. It finds the run in the
/// metadata store, rebuilds the pipeline's graph from the recorded parameters and per-step overrides
/// (for a dynamic pipeline, the one call), checks that it is what the run recorded, loads the step's
/// inputs from the stores, runs the step and records its outputs. The subprocess orchestrator runs
/// every step this way; cluster orchestrators will too. `--parent PID` makes the process stop when
/// the orchestrator that started it is gone.
public enum StepProcess {
    /// Runs `invocation` of the run named or identified by `run`, and returns how it ended.
    ///
    /// A dynamic pipeline's call is found by running its body again, with the values it awaits read
    /// from the run (see ``DynamicReplay``). `nodeDigest`, when given, is the ``PipelineNode/digest``
    /// of the call as the run launched it; a different call is refused.
    ///
    /// Throws when the step cannot be started at all: an unknown run, pipeline or step, a pipeline
    /// whose graph no longer matches the run's, or a run that has ended, unless `allowingEndedRun`:
    /// a step run in an ended run adds an attempt and artifact versions to it.
    public static func run(
        run reference: String, invocation: String, nodeDigest: String? = nil, allowingEndedRun: Bool = false, pipelines: [any PipelineDefinition],
        stack: Stack
    ) async throws -> StepResult {
        // The secret values the orchestrator passed in this process's environment, to give the step and to redact.
        var stack = stack
        stack.runSecrets = RunSecrets.passed(in: ProcessInfo.processInfo.environment)
        let metadata = stack.metadata
        let found: RunRecord? = if let run = try await metadata.run(id: reference) { run } else { try await metadata.run(named: reference) }
        guard let run = found else {
            throw CairnError.notFound(kind: "run", name: reference, suggestion: nil)
        }
        guard let pipeline = pipelines.first(where: { $0.name == run.pipelineName }) else {
            throw CairnError.notFound(
                kind: "pipeline", name: run.pipelineName, suggestion: Suggestion.closest(to: run.pipelineName, in: pipelines.map(\.name)))
        }
        var compiled = try pipeline.compile(as: run)
        let recorded = try await metadata.stepRuns(runID: run.id)
        // The last successful step run of each invocation: what the step's inputs, and the values a
        // dynamic body awaits, come from.
        var completed: [String: StepRunRecord] = [:]
        for record in recorded where record.status.isSuccessful { completed[record.invocation] = record }
        if let body = compiled.dynamicBody {
            let call = try await DynamicReplay.call(invocation, of: compiled, body: body, run: run, completed: completed, stack: stack)
            compiled = compiled.call(call.node, definition: call.definition)
        } else if compiled.graph.digest != run.graph.digest {
            throw CairnError.invalidPipeline(
                pipeline: run.pipelineName,
                reason: "this executable builds a different graph than run '\(run.name)' recorded; was it rebuilt with changed steps since the run started?")
        }
        guard let node = compiled.graph.node(invocation) else {
            throw CairnError.notFound(
                kind: "step in run '\(run.name)'", name: invocation,
                suggestion: Suggestion.closest(to: invocation, in: compiled.graph.nodes.map(\.invocation)))
        }
        if let expected = nodeDigest, node.digest != expected {
            throw CairnError.invalidPipeline(
                pipeline: run.pipelineName,
                reason: "this executable makes step '\(invocation)' with other inputs than run '\(run.name)' launched it with (node \(node.digest), "
                    + "not \(expected)); "
                    + (compiled.dynamicBody == nil
                        ? "--node must be the digest of the step's node as the run recorded it; leave it out to run the step as recorded"
                        : "a dynamic pipeline's body must make the same calls each time it runs"))
        }
        guard run.status == .running || run.status == .initializing || allowingEndedRun else {
            throw CairnError.runEnded(run: run.name, status: run.status)
        }
        var upstream: [String: UpstreamStep] = [:]
        for parent in node.upstream {
            guard let record = completed[parent] else {
                throw CairnError.invalidPipeline(pipeline: run.pipelineName, reason: "step '\(invocation)' needs step '\(parent)', which has not completed in run '\(run.name)'")
            }
            upstream[parent] = UpstreamStep(stepRunID: record.id, outputs: try await result(of: record, metadata: metadata).outputs)
        }
        // User code, on the threads of step code, as in a run in process.
        var initState: (any Sendable)?
        if let onInit = compiled.hooks.onInit { initState = try await ThreadPoolExecutor.steps.runUserCode(onInit) }
        let attempt = recorded.filter { $0.invocation == invocation }.map(\.attempt).max().map { $0 + 1 } ?? 1
        let launch = StepLaunch(
            invocation: invocation, run: run, pipeline: compiled, upstream: upstream, stack: stack, attempt: attempt, initState: initState)
        return await StepExecutor(metadata: metadata, artifacts: stack.artifacts).execute(launch)
    }

    /// The result of a recorded step run, with its output artifact versions.
    static func result(of record: StepRunRecord, metadata: any MetadataStore) async throws -> StepResult {
        let outputs = try await metadata.outputs(ofStepRun: record.id)
        return StepResult(
            invocation: record.invocation, record: record,
            outputs: Dictionary(outputs.map { ($0.name, $0.artifact) }, uniquingKeysWith: { $1 }), error: record.error)
    }
}
