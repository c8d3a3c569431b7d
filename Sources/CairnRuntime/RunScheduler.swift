import CairnCore
import DequeModule
import Foundation

/// Starts each step of a run as soon as its inputs are ready, up to a concurrency limit, and applies
/// the execution mode when a step fails.
struct RunScheduler {
    let pipeline: CompiledPipeline
    let run: RunRecord
    let stack: Stack
    let concurrency: Int
    let onEvent: @Sendable (RunEvent) -> Void

    /// Runs every step that can run and returns each invocation's result, skipped steps included.
    func execute() async -> [String: StepResult] {
        let graph = pipeline.graph
        var waitingFor: [String: Int] = [:]
        var dependents: [String: [String]] = [:]
        var ready = Deque<String>()
        for node in graph.nodes {
            let upstream = node.upstream
            waitingFor[node.invocation] = upstream.count
            for parent in upstream { dependents[parent, default: []].append(node.invocation) }
            if upstream.isEmpty { ready.append(node.invocation) }
        }
        var results: [String: StepResult] = [:]
        var firstFailure: String?

        await withTaskGroup(of: StepResult.self) { group in
            var running = 0
            while true {
                while running < concurrency, firstFailure == nil || pipeline.options.executionMode == .continueOnFailure,
                    let invocation = ready.popFirst()
                {
                    let upstream = graph.node(invocation)?.upstream ?? []
                    let launch = StepLaunch(
                        invocation: invocation, run: run, pipeline: pipeline,
                        upstream: Dictionary(uniqueKeysWithValues: upstream.compactMap { name in results[name].map { (name, $0) } }),
                        stack: stack)
                    onEvent(.stepStarted(invocation: invocation))
                    group.addTask { await stack.orchestrator.runStep(launch) }
                    running += 1
                }
                guard let result = await group.next() else { break }
                running -= 1
                results[result.invocation] = result
                onEvent(.stepFinished(result))
                if result.status.isSuccessful {
                    for dependent in dependents[result.invocation, default: []] {
                        waitingFor[dependent, default: 0] -= 1
                        if waitingFor[dependent] == 0 { ready.append(dependent) }
                    }
                } else if firstFailure == nil {
                    firstFailure = result.invocation
                    if pipeline.options.executionMode == .failFast { group.cancelAll() }
                }
            }
        }
        for node in graph.nodes where results[node.invocation] == nil {
            results[node.invocation] = await skip(node, results: results, firstFailure: firstFailure)
            onEvent(.stepFinished(results[node.invocation]!))
        }
        return results
    }

    /// Records a step that will not run, with the reason.
    private func skip(_ node: PipelineNode, results: [String: StepResult], firstFailure: String?) async -> StepResult {
        let blocker = node.upstream.first { results[$0].map { !$0.status.isSuccessful } ?? false }
        let reason = blocker.map { "step '\($0)' did not complete" }
            ?? firstFailure.map { "the run stopped starting steps after step '\($0)' failed" } ?? "the run stopped"
        let now = Date()
        do {
            let record = try await stack.metadata.createStepRun(NewStepRun(
                runID: run.id, invocation: node.invocation, stepName: node.step, status: .skipped, startedAt: now,
                parameters: node.parameters, fingerprint: node.fingerprint,
                parents: node.upstream.compactMap { results[$0]?.record?.id }, error: reason))
            return StepResult(invocation: node.invocation, record: record, error: reason)
        } catch {
            return StepResult(invocation: node.invocation, record: nil, error: "\(reason); not recorded: \(error)")
        }
    }
}
