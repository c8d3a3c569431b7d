import CairnCore
import DequeModule
import Foundation

/// Starts each step of a run as soon as its inputs are ready, up to a concurrency limit, and applies
/// the execution mode when a step fails.
///
/// Before a step is handed to the orchestrator, its cache key is looked up: a hit is never
/// dispatched, so a fully cached run executes no step at all. Hits are recorded together, in one
/// transaction, before the next step is dispatched.
struct RunScheduler {
    let pipeline: CompiledPipeline
    let run: RunRecord
    let stack: Stack
    let concurrency: Int
    let onEvent: @Sendable (RunEvent) -> Void
    /// What the run had done before, when it is resumed.
    let earlier: ResumePoint
    /// What the pipeline's `onInit` hook returned.
    var initState: (any Sendable)?

    /// What the scheduler knows as the run goes.
    private struct Progress {
        var waitingFor: [String: Int] = [:]
        var dependents: [String: [String]] = [:]
        var ready = Deque<String>()
        var results: [String: StepResult] = [:]
        var firstFailure: String?
        /// Cache hits resolved but not yet recorded.
        var unrecordedHits: [NewStepRun] = []

        /// Records a result and makes the dependents of a successful step ready when nothing else holds them.
        mutating func record(_ result: StepResult) {
            results[result.invocation] = result
            if result.status.isSuccessful {
                for dependent in dependents[result.invocation, default: []] {
                    waitingFor[dependent, default: 0] -= 1
                    if waitingFor[dependent] == 0 { ready.append(dependent) }
                }
            } else if firstFailure == nil {
                firstFailure = result.invocation
            }
        }
    }

    /// Runs every step that can run and returns each invocation's result, skipped steps included.
    func execute() async -> [String: StepResult] {
        var progress = Progress()
        progress.results = earlier.completed
        for node in pipeline.graph.nodes where earlier.completed[node.invocation] == nil {
            let waiting = node.upstream.filter { earlier.completed[$0] == nil }
            for parent in waiting { progress.dependents[parent, default: []].append(node.invocation) }
            progress.waitingFor[node.invocation] = waiting.count
            if waiting.isEmpty { progress.ready.append(node.invocation) }
        }
        let mayStart = { (progress: Progress) in progress.firstFailure == nil || pipeline.options.executionMode == .continueOnFailure }
        await withTaskGroup(of: StepResult.self) { group in
            var running = 0
            while true {
                while running < concurrency, mayStart(progress), let invocation = progress.ready.popFirst() {
                    var launch = self.launch(invocation, results: progress.results)
                    if let hit = await CacheLookup.find(for: &launch) {
                        progress.unrecordedHits.append(hit.stepRun)
                        progress.record(hit.result)
                        onEvent(.stepFinished(hit.result))
                        continue
                    }
                    await recordHits(&progress)
                    onEvent(.stepStarted(invocation: invocation))
                    group.addTask { await runWithRetries(launch) }
                    running += 1
                }
                await recordHits(&progress)
                guard let result = await group.next() else { break }
                running -= 1
                progress.record(result)
                onEvent(.stepFinished(result))
                if progress.firstFailure == result.invocation, pipeline.options.executionMode == .failFast {
                    group.cancelAll()
                }
            }
        }
        for node in pipeline.graph.nodes where progress.results[node.invocation] == nil {
            let skipped = await skip(node, results: progress.results, firstFailure: progress.firstFailure)
            progress.results[node.invocation] = skipped
            onEvent(.stepFinished(skipped))
        }
        return progress.results
    }

    /// Records the cache hits resolved since the last call, in one transaction. If that fails, the
    /// hits become failed steps, with the reason.
    private func recordHits(_ progress: inout Progress) async {
        guard !progress.unrecordedHits.isEmpty else { return }
        defer { progress.unrecordedHits = [] }
        do {
            try await stack.metadata.createStepRuns(progress.unrecordedHits)
        } catch {
            for hit in progress.unrecordedHits {
                let failed = StepResult(invocation: hit.invocation, record: nil, error: "could not record the cache hit: \(error)")
                progress.record(failed)
                onEvent(.stepFinished(failed))
            }
        }
    }

    /// Runs a step, and runs it again as a new attempt while it fails and its retry policy allows.
    private func runWithRetries(_ first: StepLaunch) async -> StepResult {
        let policy = pipeline.definitions[first.invocation]?.options.resolved(in: pipeline.options).retry
        var launch = first
        while true {
            let result = await stack.orchestrator.runStep(launch)
            let retry = launch.attempt - first.attempt + 1
            guard result.status == .failed, let policy, retry <= policy.maxRetries, !Task.isCancelled, let record = result.record else {
                return result
            }
            try? await stack.metadata.markRetried(stepRunID: record.id)
            let wait = policy.wait(beforeRetry: retry)
            onEvent(.warning("step '\(launch.invocation)' failed on attempt \(launch.attempt); retrying in \(wait) s: \(result.error ?? "")"))
            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            launch = StepLaunch(
                invocation: launch.invocation, run: launch.run, pipeline: launch.pipeline, upstream: launch.upstream,
                stack: launch.stack, attempt: launch.attempt + 1, initState: initState)
        }
    }

    /// Records every step not reused as skipped, for a run that cannot start its steps.
    func skipAll(reason: String) async -> [String: StepResult] {
        var results = earlier.completed
        for node in pipeline.graph.nodes where results[node.invocation] == nil {
            results[node.invocation] = await skip(node, results: results, firstFailure: nil, reason: reason)
            onEvent(.stepFinished(results[node.invocation]!))
        }
        return results
    }

    private func launch(_ invocation: String, results: [String: StepResult]) -> StepLaunch {
        let upstream = pipeline.graph.node(invocation)?.upstream ?? []
        return StepLaunch(
            invocation: invocation, run: run, pipeline: pipeline,
            upstream: Dictionary(uniqueKeysWithValues: upstream.compactMap { name in results[name].flatMap(UpstreamStep.init).map { (name, $0) } }),
            stack: stack, attempt: earlier.nextAttempt(of: invocation), initState: initState)
    }

    /// Records a step that will not run, with the reason.
    private func skip(_ node: PipelineNode, results: [String: StepResult], firstFailure: String?, reason given: String? = nil) async -> StepResult {
        let blocker = node.upstream.first { results[$0].map { !$0.status.isSuccessful } ?? false }
        let reason = given ?? blocker.map { "step '\($0)' did not complete" }
            ?? firstFailure.map { "the run stopped starting steps after step '\($0)' failed" } ?? "the run stopped"
        return await StepResult.skipped(
            node, reason: reason, run: run, parents: node.upstream.compactMap { results[$0]?.record?.id },
            attempt: earlier.nextAttempt(of: node.invocation), metadata: stack.metadata)
    }
}
