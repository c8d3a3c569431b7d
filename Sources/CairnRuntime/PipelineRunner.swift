public import CairnCore
public import Foundation

/// Runs compiled pipelines on a stack: records the run, schedules its steps, records the outcome.
///
/// ## Topics
///
/// ### Making a runner
///
/// - ``init(stack:onEvent:)``
/// - ``stack``
/// - ``onEvent``
///
/// ### Running
///
/// - ``run(_:at:)``
/// - ``run(_:parameters:at:)``
/// - ``resume(_:pipeline:)``
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

    /// Runs a compiled pipeline, static or dynamic, and returns its result, whether it succeeded or failed.
    ///
    /// Use ``RunResult/requireSuccess()`` to turn a failed run into an error. Runs of the store whose
    /// process died are marked failed first (see ``RunWatchdog``).
    ///
    /// Every secret the pipeline's steps name is read first: a missing secret or master key throws
    /// ``SecretError/unavailable(secret:step:reason:)``, naming the secret and the step, before
    /// anything is recorded.
    public func run(_ pipeline: CompiledPipeline, at date: Date = Date()) async throws -> RunResult {
        let runner = try await withSecrets(of: pipeline)
        let run = try await runner.startRun(pipeline, at: date)
        return try await runner.recordingFailure(of: run) { try await runner.execute(pipeline, in: run) }
    }

    /// This runner with the secrets `pipeline` needs read, for its steps.
    private func withSecrets(of pipeline: CompiledPipeline) async throws -> PipelineRunner {
        var runner = self
        runner.stack.runSecrets = try await RunSecrets.resolve(for: pipeline, stack: stack)
        return runner
    }

    /// Runs a dynamic pipeline: its body runs now, and each step call it makes is scheduled at once.
    ///
    /// The run's graph is recorded when the body ends. If the body throws (for instance because a
    /// value it awaited comes from a failed step), the run fails with that error after the steps
    /// already running have ended.
    public func run<Parameters>(_ pipeline: DynamicPipeline<Parameters>, parameters: Parameters? = nil, at date: Date = Date()) async throws -> RunResult {
        try await run(pipeline.compile(parameters: parameters), at: date)
    }

    /// Marks abandoned runs and removes their staged bytes, then records a new run of `pipeline` with
    /// its resolved configuration.
    private func startRun(_ pipeline: CompiledPipeline, at date: Date) async throws -> RunRecord {
        try await RunWatchdog.markAbandonedRuns(in: stack.metadata)
        await stack.artifacts.removeAbandonedWrites()
        let configuration = RunConfiguration(
            pipeline: pipeline.name, parameters: try CanonicalJSON.decode(JSONValue.self, from: pipeline.parametersJSON),
            options: pipeline.options, steps: pipeline.stepOverrides)
        let template = try RunNameTemplate(pipeline.options.runNameTemplate)
        let run = try await stack.metadata.createRun(NewRun(
            name: try template.expand(pipeline: pipeline.name, at: date, substitutions: pipeline.options.runNameSubstitutions),
            isNumbered: template.isTimeDependent,
            pipelineName: pipeline.name, configuration: try configuration.storedJSON(), graph: pipeline.graph,
            startedAt: date, host: ProcessInfo.processInfo.hostName, processID: ProcessInfo.processInfo.processIdentifier,
            processStart: ProcessLiveness.currentStart))
        onEvent(.runStarted(run))
        return run
    }

    /// How many steps may run at once: the pipeline's limit, or ``PipelineOptions/defaultMaxConcurrency``.
    private static func concurrency(for options: PipelineOptions) -> Int {
        max(1, options.maxConcurrency ?? PipelineOptions.defaultMaxConcurrency)
    }

    /// Runs the `onInit` hook: its state, or the failure to record.
    private static func initialize(_ hooks: PipelineHooks) async -> (state: (any Sendable)?, failure: String?) {
        do {
            guard let onInit = hooks.onInit else { return (nil, nil) }
            return (try await ThreadPoolExecutor.steps.runUserCode(onInit), nil)
        } catch {
            return (nil, "the on_init hook failed: \(StepExecutor.describe(error))")
        }
    }

    /// Resumes a failed or stopped run: the steps that completed are reused whatever the cache
    /// settings, and the others run again, as new attempts in the same run.
    ///
    /// A completed step whose outputs are missing, truncated or marked unusable is not reused: it
    /// runs again, as a cache lookup would decide, and a ``RunEvent/warning(_:)`` says so.
    ///
    /// The pipeline is rebuilt from the run's recorded parameters. A static pipeline must have the
    /// same steps and connections; a dynamic pipeline's body runs again, and each call it makes that
    /// completed before, with the same step, parameters and reused inputs, is reused. A reused step
    /// whose code changed since is reported as a ``RunEvent/warning(_:)``.
    ///
    /// A run recorded as running whose process is gone (killed, say) is marked failed first, so it
    /// can be resumed at once; one whose process lives is refused. What the writes of dead processes
    /// left in the artifact store is removed (see ``ArtifactStore/removeAbandonedWrites()``).
    public func resume(_ run: RunRecord, pipeline definition: any PipelineDefinition) async throws -> RunResult {
        var run = run
        if run.status == .running || run.status == .initializing {
            try await RunWatchdog.markAbandonedRuns(in: stack.metadata)
            run = try await stack.metadata.run(id: run.id) ?? run
        }
        guard run.status == .failed || run.status == .stopped else {
            throw CairnError.runNotResumable(run: run.name, reason: run.whyNotResumable)
        }
        await stack.artifacts.removeAbandonedWrites()
        let pipeline = try definition.compile(as: run)
        guard pipeline.isDynamic || Self.structure(of: pipeline.graph) == Self.structure(of: run.graph) else {
            throw CairnError.invalidPipeline(
                pipeline: run.pipelineName,
                reason: "its steps or their connections changed since run '\(run.name)'; start a new run instead")
        }
        var earlier = ResumePoint()
        for record in try await stack.metadata.stepRuns(runID: run.id) {
            earlier.attempts[record.invocation] = max(earlier.attempts[record.invocation, default: 0], record.attempt)
            guard record.status.isSuccessful else { continue }
            let result = try await StepProcess.result(of: record, metadata: stack.metadata)
            guard await stack.artifacts.canReuse(result.outputs.values) else {
                onEvent(.warning(ResumePoint.outputsUnusable(record.invocation)))
                continue
            }
            earlier.completed[record.invocation] = result
            if let node = pipeline.graph.node(record.invocation), node.fingerprint != record.fingerprint {
                onEvent(.warning(ResumePoint.codeChanged(record.invocation, run: run.name)))
            }
        }
        let runner = try await withSecrets(of: pipeline)
        try await stack.metadata.resumeRun(id: run.id, graph: pipeline.isDynamic ? run.graph : pipeline.graph, at: Date())
        let resumed = try await stack.metadata.run(id: run.id) ?? run
        onEvent(.runStarted(resumed))
        return try await runner.recordingFailure(of: resumed) { try await runner.execute(pipeline, in: resumed, resuming: earlier) }
    }

    /// Runs `body`, which executes `run`; when it throws (its end could not be recorded on a full
    /// disk, say), marks the run failed with the error before rethrowing it, so that the run does
    /// not stay running until the watchdog finds its process gone and can only guess why. A run
    /// another process took over is that process's to end, and is left as it is.
    private func recordingFailure(of run: RunRecord, _ body: () async throws -> RunResult) async throws -> RunResult {
        do {
            return try await body()
        } catch {
            if let taken = error as? CairnError, case .runTakenOver = taken { throw error }
            try? await stack.metadata.abandonRun(id: run.id, reason: "the run stopped: \(StepExecutor.describe(error))", at: Date())
            throw error
        }
    }

    /// Runs the pipeline's steps and records the run's end.
    ///
    /// Hooks run around the steps: `onInit` first (a failure skips every step), then `onSuccess` or
    /// `onFailure`, then `onCleanup`; hook failures are added to the run's error text after its own.
    private func execute(_ pipeline: CompiledPipeline, in run: RunRecord, resuming earlier: ResumePoint = ResumePoint()) async throws -> RunResult {
        let metadata = stack.metadata
        // On a thread of its own: nothing the steps do can delay it long enough for a live run to look abandoned.
        let heartbeat = Task(executorPreference: ThreadPoolExecutor.heartbeats) { await RunWatchdog.beat(runID: run.id, metadata: metadata) }
        defer { heartbeat.cancel() }
        let (initState, failure) = await Self.initialize(pipeline.hooks)
        let concurrency = Self.concurrency(for: pipeline.options)
        var failures = failure.map { [$0] } ?? []
        guard let body = pipeline.dynamicBody else {
            var scheduler = RunScheduler(pipeline: pipeline, run: run, stack: stack, concurrency: concurrency, onEvent: onEvent, earlier: earlier)
            scheduler.initState = initState
            let results = failures.isEmpty ? await scheduler.execute() : await scheduler.skipAll(reason: "the on_init hook failed")
            let ending = try Self.summarize(
                pipeline.graph, outputs: pipeline.outputs, ended: results.mapValues(EndedStep.init), failures: failures, pipeline: run.pipelineName)
            return try await complete(run, graph: pipeline.graph, ending: ending, hooks: pipeline.hooks)
        }
        let scheduler = DynamicScheduler(
            run: run, stack: stack, base: pipeline, concurrency: concurrency, initState: initState, earlier: earlier, onEvent: onEvent)
        var graph = PipelineGraph()
        var outputs: [String: InputBinding] = [:]
        if failures.isEmpty {
            do {
                // The body is user code too, which may block while it decides which steps exist.
                (outputs, graph) = try await ThreadPoolExecutor.steps.runUserCode { try await body(scheduler) }
            } catch {
                failures.append("the pipeline body failed: \(StepExecutor.describe(error))")
            }
        }
        scheduler.bodyEnded(keeping: Set(outputs.values.flatMap(\.upstreamInvocations)))
        // Recorded as soon as the body ends, while its calls may still run: the graph then shows the
        // whole run, and its text, which for a map of a hundred thousand calls is tens of megabytes,
        // is not held beside the results of all the calls.
        var unrecorded: (any Error)?
        do {
            try await metadata.recordGraph(graph, ofRun: run.id)
        } catch {
            unrecorded = error
        }
        await scheduler.waitUntilIdle()
        if let unrecorded { throw unrecorded }
        let ending = try Self.summarize(graph, outputs: outputs, ended: scheduler.takeEnded(), failures: failures, pipeline: run.pipelineName)
        return try await complete(run, graph: graph, ending: ending, hooks: pipeline.hooks)
    }

    /// How a run's steps ended, as its record needs it.
    private struct Ending {
        /// A line for each failure, the run's own first.
        var failures: [String]
        /// The steps that failed, with what they threw.
        var failedSteps: [StepFailure]
        /// When nothing failed, the artifact version behind each of the pipeline's named outputs.
        var outputs: [String: String]
    }

    /// How a run's steps ended, made from the scheduler's table of ended steps, which is released
    /// then, so that a run of a hundred thousand steps does not keep it while its end is recorded
    /// and its hooks run.
    private static func summarize(
        _ graph: PipelineGraph, outputs bindings: [String: InputBinding], ended: [String: EndedStep], failures earlier: [String],
        pipeline: String
    ) throws -> Ending {
        var ending = Ending(failures: earlier, failedSteps: [], outputs: [:])
        for node in graph.nodes {
            guard let step = ended[node.invocation], !step.status.isSuccessful, step.status != .skipped else { continue }
            let error = step.error ?? "no error text"
            ending.failures.append("step '\(node.invocation)' \(step.status.rawValue): \(error)")
            ending.failedSteps.append(StepFailure(
                invocation: node.invocation, stepRunID: step.stepRunID,
                error: step.failure ?? CairnError.stepFailed(step: node.invocation, message: error)))
        }
        // A run whose task was cancelled (a scheduler's grace period ran out, say) skips the steps it
        // had not started: it stopped, and has no outputs.
        if Task.isCancelled, ended.values.contains(where: { $0.status == .skipped || $0.status == .stopped }) {
            ending.failures.append("the run was stopped before its steps ended")
        }
        guard ending.failures.isEmpty else { return ending }
        ending.outputs = try bindings.mapValues { binding in
            guard case .output(let invocation, let output) = binding, let id = ended[invocation]?.versionID(of: output) else {
                throw CairnError.invalidPipeline(pipeline: pipeline, reason: "a pipeline output must be a single step output")
            }
            return id
        }
        return ending
    }

    /// Records the end of a run, with its status and outputs from `ending`, and runs the hooks.
    private func complete(_ run: RunRecord, graph: PipelineGraph, ending: Ending, hooks: PipelineHooks) async throws -> RunResult {
        // A run whose task was cancelled stopped rather than failed.
        let status: ExecutionStatus = ending.failures.isEmpty ? .completed : Task.isCancelled ? .stopped : .failed
        // Built here rather than read back: a dynamic run's graph may have a hundred thousand nodes
        // to decode.
        var current = run
        (current.status, current.graph) = (status, graph)
        let failure = RunFailure(run: current, steps: ending.failedSteps, failures: ending.failures)
        let hookFailures = [
            status == .completed
                ? await StepExecutor.runHook(hooks.onSuccess.map { hook in { try await hook(current) } }, named: "on_success")
                : await StepExecutor.runHook(hooks.onFailure.map { hook in { try await hook(current, failure) } }, named: "on_failure"),
            await StepExecutor.runHook(hooks.onCleanup.map { hook in { try await hook(current) } }, named: "on_cleanup"),
        ].compactMap { $0 }
        for failure in hookFailures { onEvent(.warning(failure)) }
        let errorText = (ending.failures + hookFailures).joined(separator: "\n")
        let ended = Date()
        var finished = current
        (finished.error, finished.outputs, finished.endedAt) = (errorText.isEmpty ? nil : errorText, ending.outputs, ended)
        // From a task of its own, which a cancellation of this one does not reach: a store may refuse
        // work for a cancelled task, and the end must be recorded.
        let metadata = stack.metadata
        try await Task { try await metadata.finishRun(id: run.id, status: status, error: finished.error, outputs: ending.outputs, at: ended, owner: .current) }.value
        onEvent(.runFinished(finished))
        let finalFailure = status == .completed ? nil : RunFailure(run: finished, steps: ending.failedSteps, failures: ending.failures + hookFailures)
        return RunResult(run: finished, stack: stack, failure: finalFailure)
    }

    /// The graph without code fingerprints: what must not change for a run to be resumed.
    private static func structure(of graph: PipelineGraph) -> [PipelineNode] {
        graph.nodes.map { node in
            var node = node
            node.fingerprint = ""
            return node
        }
    }
}
