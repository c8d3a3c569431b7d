import CairnCore
import DequeModule
import Foundation

/// Runs a dynamic pipeline's step calls as its body makes them.
///
/// Each call is scheduled when it is recorded and starts as soon as its inputs are ready, up to the
/// concurrency limit; awaiting a value waits for the one step it comes from and never blocks others.
/// The execution mode applies as for static pipelines: after a failure, fail fast cancels running
/// steps, and both fail fast and stop on failure skip every call not yet started.
///
/// When a run is resumed, its body runs again: a call that completed before, for the same step with
/// the same parameters and with every input from a reused call, is reused without running.
final class DynamicScheduler: DynamicRunContext {
    private let run: RunRecord
    private let stack: Stack
    private let base: CompiledPipeline
    private let concurrency: Int
    private let initState: (any Sendable)?
    private let earlier: ResumePoint
    private let onEvent: @Sendable (RunEvent) -> Void
    private let state = Locked(State())

    private struct State {
        /// The calls without a result yet.
        var nodes: [String: PipelineNode] = [:]
        var definitions: [String: StepDefinition] = [:]
        var results: [String: StepResult] = [:]
        var reused: Set<String> = []
        var waitingOn: [String: Set<String>] = [:]
        var dependents: [String: [String]] = [:]
        var ready = Deque<String>()
        var running: [String: Task<Void, Never>] = [:]
        var pending = 0
        var firstFailure: String?
        var waiters: [String: [CheckedContinuation<StepResult, Never>]] = [:]
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    init(
        run: RunRecord, stack: Stack, base: CompiledPipeline, concurrency: Int, initState: (any Sendable)?, earlier: ResumePoint,
        onEvent: @escaping @Sendable (RunEvent) -> Void
    ) {
        self.earlier = earlier
        self.run = run
        self.stack = stack
        self.base = base
        self.concurrency = concurrency
        self.initState = initState
        self.onEvent = onEvent
    }

    /// Every result so far, by invocation.
    var results: [String: StepResult] {
        state.withLock { $0.results }
    }

    // MARK: - DynamicRunContext

    func submit(_ node: PipelineNode, definition: StepDefinition) {
        do {
            try Names.validate(node.invocation, kind: "step")
        } catch {
            // A name that is not allowed fails the call without recording a step run under it.
            return settle(node, with: StepResult(invocation: node.invocation, record: nil, error: "\(error)"), reused: false)
        }
        if let reused = reusable(node, definition: definition) {
            if reused.record?.fingerprint != node.fingerprint { onEvent(.warning(ResumePoint.codeChanged(node.invocation, run: run.name))) }
            return settle(node, with: reused, reused: true)
        }
        let skipReason: String? = state.withLock { state in
            state.nodes[node.invocation] = node
            state.definitions[node.invocation] = definition
            state.pending += 1
            if let blocker = node.upstream.first(where: { state.results[$0].map { !$0.status.isSuccessful } ?? false }) {
                return "step '\(blocker)' did not complete"
            }
            if let failure = state.firstFailure, base.options.executionMode != .continueOnFailure {
                return "the run stopped starting steps after step '\(failure)' failed"
            }
            let unresolved = Set(node.upstream.filter { state.results[$0] == nil })
            if unresolved.isEmpty {
                state.ready.append(node.invocation)
            } else {
                state.waitingOn[node.invocation] = unresolved
                for parent in unresolved { state.dependents[parent, default: []].append(node.invocation) }
            }
            return nil
        }
        if let skipReason {
            Task { await self.skip(node, reason: skipReason) }
        } else {
            startReady()
        }
    }

    func value(of binding: InputBinding, as type: ValueType) async throws -> Any {
        let reader = BindingReader(artifacts: stack.artifacts) { invocation, output in
            let result = try await self.result(of: invocation)
            guard result.status.isSuccessful, let version = result.outputs[output] else {
                throw CairnError.stepFailed(step: invocation, message: "its output '\(output)' does not exist: \(result.error ?? result.status.rawValue)")
            }
            return version
        }
        return try await reader.value(of: binding, as: type, for: "a value awaited in pipeline '\(base.name)'")
    }

    // MARK: - Scheduling

    /// The earlier result of a resumed run's call, if it completed with the same step and
    /// parameters, and every input comes from a call reused too.
    private func reusable(_ node: PipelineNode, definition: StepDefinition) -> StepResult? {
        guard let earlier = earlier.completed[node.invocation], let record = earlier.record,
            record.stepName == node.step, record.parameters == base.call(node, definition: definition).graph.nodes[0].parameters
        else { return nil }
        let inputsReused = state.withLock { state in node.upstream.allSatisfy { state.reused.contains($0) } }
        return inputsReused ? earlier : nil
    }

    /// Gives a call its result at once, without running it: reused from the run's earlier attempt,
    /// or refused.
    private func settle(_ node: PipelineNode, with result: StepResult, reused: Bool) {
        state.withLock { state in
            state.nodes[node.invocation] = node
            state.pending += 1
            if reused { state.reused.insert(node.invocation) }
        }
        finish(result, reported: !reused)
    }

    /// Waits until every submitted call has a result.
    func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state -> Bool in
                if state.pending == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func result(of invocation: String) async throws -> StepResult {
        let known = state.withLock { $0.nodes[invocation] != nil || $0.results[invocation] != nil }
        guard known else { throw CairnError.notFound(kind: "step in this run", name: invocation, suggestion: nil) }
        return await withCheckedContinuation { continuation in
            let result = state.withLock { state -> StepResult? in
                if let result = state.results[invocation] { return result }
                state.waiters[invocation, default: []].append(continuation)
                return nil
            }
            if let result { continuation.resume(returning: result) }
        }
    }

    /// Starts ready calls while there is room.
    private func startReady() {
        let toSkip: [(PipelineNode, String)] = state.withLock { state in
            var skipped: [(PipelineNode, String)] = []
            while state.running.count < concurrency, let invocation = state.ready.popFirst(), let node = state.nodes[invocation] {
                if let failure = state.firstFailure, base.options.executionMode != .continueOnFailure {
                    skipped.append((node, "the run stopped starting steps after step '\(failure)' failed"))
                    continue
                }
                let upstream = Dictionary(uniqueKeysWithValues: node.upstream.compactMap { name in state.results[name].map { (name, $0) } })
                // Made at launch, not when submitted: a body may submit far more calls than can run at once.
                let call = base.call(node, definition: state.definitions.removeValue(forKey: invocation)!)
                let launch = StepLaunch(
                    invocation: invocation, run: run, pipeline: call, upstream: upstream, stack: stack,
                    attempt: earlier.nextAttempt(of: invocation), initState: initState)
                state.running[invocation] = Task {
                    var launch = launch
                    let result: StepResult
                    if let cached = await CacheLookup.hit(for: &launch) {
                        result = cached
                    } else {
                        self.onEvent(.stepStarted(invocation: invocation))
                        result = await self.stack.orchestrator.runStep(launch)
                    }
                    self.finish(result)
                }
            }
            return skipped
        }
        for (node, reason) in toSkip {
            Task { await self.skip(node, reason: reason) }
        }
    }

    /// Records a call that will not run.
    private func skip(_ node: PipelineNode, reason: String) async {
        let parents = state.withLock { state in node.upstream.compactMap { state.results[$0]?.record?.id } }
        finish(
            await StepResult.skipped(
                node, reason: reason, run: run, parents: parents, attempt: earlier.nextAttempt(of: node.invocation), metadata: stack.metadata),
            skipped: true)
    }

    /// Records a call's result, wakes what waits for it, and makes its dependents ready or skips them.
    private func finish(_ result: StepResult, skipped: Bool = false, reported: Bool = true) {
        if reported { onEvent(.stepFinished(result)) }
        let (waiters, blocked, idle, cancel) = state.withLock { state in
            state.results[result.invocation] = result.compacted
            state.nodes[result.invocation] = nil
            state.definitions[result.invocation] = nil
            // A dictionary keeps its capacity as it empties: a map of a hundred thousand calls would
            // keep tens of megabytes for calls long finished.
            if state.nodes.isEmpty { state.nodes = [:] }
            if state.definitions.isEmpty { state.definitions = [:] }
            state.running[result.invocation] = nil
            state.pending -= 1
            var cancel: [Task<Void, Never>] = []
            if !result.status.isSuccessful, !skipped, state.firstFailure == nil {
                state.firstFailure = result.invocation
                if base.options.executionMode == .failFast { cancel = Array(state.running.values) }
            }
            var blocked: [PipelineNode] = []
            for dependent in state.dependents.removeValue(forKey: result.invocation) ?? [] {
                state.waitingOn[dependent]?.remove(result.invocation)
                if !result.status.isSuccessful {
                    if state.waitingOn.removeValue(forKey: dependent) != nil, let node = state.nodes[dependent] { blocked.append(node) }
                } else if state.waitingOn[dependent]?.isEmpty == true {
                    state.waitingOn[dependent] = nil
                    state.ready.append(dependent)
                }
            }
            let idle = state.pending == 0 ? state.idleWaiters : []
            if state.pending == 0 { state.idleWaiters = [] }
            return (state.waiters.removeValue(forKey: result.invocation) ?? [], blocked, idle, cancel)
        }
        for task in cancel { task.cancel() }
        for waiter in waiters { waiter.resume(returning: result) }
        for node in blocked {
            Task { await self.skip(node, reason: "step '\(result.invocation)' did not complete") }
        }
        startReady()
        for waiter in idle { waiter.resume() }
    }
}
