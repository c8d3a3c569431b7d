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
    private let initState: (any Sendable)?
    private let earlier: ResumePoint
    private let onEvent: @Sendable (RunEvent) -> Void
    private let state: Locked<State>

    private struct State {
        /// The calls without a result yet.
        var calls: [String: PendingCall] = [:]
        var ended: [String: EndedStep] = [:]
        /// For each ended call, how many calls that depend on it have not launched yet.
        var launchesLeft: [String: Int] = [:]
        /// The calls whose ends the run's outputs need, once the body has ended; `nil` before.
        var kept: Set<String>?
        var reused: Set<String> = []
        var ready = Deque<String>()
        var running: [String: Task<Void, Never>] = [:]
        var slots: StepSlots
        /// Whether a task waits to start more calls if none ends within ``StepSlots/patience``.
        var alarmSet = false
        var pending = 0
        var firstFailure: String?
        var waiters: [String: [CheckedContinuation<EndedStep, Never>]] = [:]
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
        self.state = Locked(State(slots: StepSlots(limit: concurrency)))
        self.initState = initState
        self.onEvent = onEvent
    }

    /// Lets go of how calls ended once nothing can ask for it any more: after the body has ended,
    /// a call that completed is needed only by calls that depend on it and have not launched, or
    /// for one of the run's outputs, named by `outputs`. A fan-in of a hundred thousand calls then
    /// launches without the run still holding what each of them left.
    ///
    /// How failed and skipped calls ended is kept, for the run's record.
    func bodyEnded(keeping outputs: Set<String>) {
        state.withLock { state in
            state.kept = outputs
            state.ended = state.ended.filter { invocation, ended in Self.isNeeded(invocation, ended, in: state) }
        }
    }

    /// Whether the run still needs to know how `invocation` ended.
    private static func isNeeded(_ invocation: String, _ ended: EndedStep, in state: State) -> Bool {
        guard let kept = state.kept else { return true }
        return !ended.status.isSuccessful || kept.contains(invocation) || state.launchesLeft[invocation] != nil
    }

    /// Notes that a call depending on `parent` has launched, and lets go of how `parent` ended if
    /// nothing needs it any more.
    private static func launched(dependentOf parent: String, in state: inout State) {
        guard let left = state.launchesLeft[parent] else { return }
        state.launchesLeft[parent] = left > 1 ? left - 1 : nil
        guard left == 1 else { return }
        shrink(&state.launchesLeft)
        if let ended = state.ended[parent], !isNeeded(parent, ended, in: state) {
            state.ended[parent] = nil
            shrink(&state.ended)
        }
    }

    /// Takes how each call ended, by invocation, once the run is idle; after the body has ended, only
    /// the calls that failed or were skipped, and those the run's outputs need.
    func takeEnded() -> [String: EndedStep] {
        state.withLock { state in
            defer { state.ended = [:] }
            return state.ended
        }
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
        let call = PendingCall(node, definition: definition)
        let skipReason: String? = state.withLock { state in
            Self.add(call, to: &state)
            if let blocker = node.upstream.first(where: { state.ended[$0].map { !$0.status.isSuccessful } ?? false }) {
                return "step '\(blocker)' did not complete"
            }
            if let failure = state.firstFailure, base.options.executionMode != .continueOnFailure {
                return "the run stopped starting steps after step '\(failure)' failed"
            }
            var unresolved = 0
            for parent in node.upstream {
                if state.ended[parent] != nil {
                    state.launchesLeft[parent, default: 0] += 1
                } else {
                    unresolved += 1
                    state.calls[parent]?.dependents.append(node.invocation)
                }
            }
            if unresolved == 0 {
                call.readyAt = Date()
                state.ready.append(node.invocation)
            } else {
                call.unresolved = unresolved
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
        let reader = BindingReader(artifacts: stack.artifacts, metadata: stack.metadata) { invocation, output in
            let ended = try await self.ended(invocation)
            guard ended.status.isSuccessful, let id = ended.versionID(of: output) else {
                throw CairnError.stepFailed(step: invocation, message: "its output '\(output)' does not exist: \(ended.error ?? ended.status.rawValue)")
            }
            guard let version = try await self.stack.metadata.artifactVersion(id: id) else {
                throw CairnError.notFound(kind: "artifact version of \(invocation).\(output)", name: id, suggestion: nil)
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
            Self.add(PendingCall(node, definition: nil), to: &state)
            if reused { state.reused.insert(node.invocation) }
        }
        finish(result, reported: !reused)
    }

    /// Counts `call` as pending. A call given the name of one still pending (which fails, for its
    /// name) takes over the calls waiting for that one.
    private static func add(_ call: PendingCall, to state: inout State) {
        if let earlier = state.calls.updateValue(call, forKey: call.node.invocation) { call.dependents = earlier.dependents }
        state.pending += 1
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

    /// How a call ended, once it has.
    private func ended(_ invocation: String) async throws -> EndedStep {
        let known = state.withLock { $0.calls[invocation] != nil || $0.ended[invocation] != nil }
        guard known else { throw CairnError.notFound(kind: "step in this run", name: invocation, suggestion: nil) }
        return await withCheckedContinuation { continuation in
            let ended = state.withLock { state -> EndedStep? in
                if let ended = state.ended[invocation] { return ended }
                state.waiters[invocation, default: []].append(continuation)
                return nil
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    /// What launching `node` needs of the calls it depends on, with their output versions read
    /// back from the store in one query.
    ///
    /// Each call's outputs are a slice of one array, in the order of the node's upstream calls, not
    /// an array of their own: a fan-in may read a hundred thousand. That array is the store's answer
    /// itself, unless calls cached from the same step run share versions, which the store returns
    /// once. What is gathered to read them is let go when this returns, before the step runs.
    private func upstream(of node: PipelineNode) async throws -> [String: UpstreamStep] {
        // Copied out of the table of ended calls, so that what the table lets go of is freed now.
        let (parents, wanted) = state.withLock { state in
            var parents: [(invocation: String, stepRun: CompactIdentifier?, outputCount: Int)] = []
            var wanted: [(invocation: String, output: (name: String, version: CompactIdentifier))] = []
            for name in node.upstream {
                guard let ended = state.ended[name] else { continue }
                parents.append((name, ended.stepRun, ended.outputs.count))
                for output in ended.outputs { wanted.append((name, output)) }
                Self.launched(dependentOf: name, in: &state)
            }
            return (parents, wanted)
        }
        var versions = try await stack.metadata.artifactVersions(ids: wanted.map(\.output.version.text))
        if !versions.elementsEqual(wanted, by: { CompactIdentifier($0.id) == $1.output.version }) {
            versions = try Self.align(versions, with: wanted)
        }
        for index in versions.indices { versions[index].outputName = wanted[index].output.name }
        var upstream: [String: UpstreamStep] = [:]
        upstream.reserveCapacity(parents.count)
        var start = 0
        for (invocation, stepRun, outputCount) in parents {
            let end = start + outputCount
            if let stepRun {
                // The step run's identifier as the text its output versions already hold, when they name it as their producer.
                let producer = versions[start..<end].first?.producerStepRunID.flatMap { CompactIdentifier($0) == stepRun ? $0 : nil }
                upstream[invocation] = UpstreamStep(stepRunID: producer ?? stepRun.text, named: versions[start..<end])
            }
            start = end
        }
        return upstream
    }

    /// The versions `read` from the store, one for each of the outputs `wanted`, in their order.
    private static func align(
        _ read: [ArtifactVersionRecord], with wanted: [(invocation: String, output: (name: String, version: CompactIdentifier))]
    ) throws -> [ArtifactVersionRecord] {
        var position: [CompactIdentifier: Int] = [:]
        position.reserveCapacity(read.count)
        for (index, version) in read.enumerated() { position[CompactIdentifier(version.id)] = index }
        return try wanted.map { invocation, output in
            guard let index = position[output.version] else {
                throw CairnError.notFound(
                    kind: "artifact version of output '\(output.name)' of step '\(invocation)'", name: output.version.text, suggestion: nil)
            }
            return read[index]
        }
    }

    /// Starts ready calls while there is room.
    private func startReady() {
        let (toSkip, alarm): ([(PipelineNode, String)], ContinuousClock.Instant?) = state.withLock { state in
            var skipped: [(PipelineNode, String)] = []
            var alarm: ContinuousClock.Instant?
            while !state.ready.isEmpty {
                let now = ContinuousClock.now
                switch state.slots.admission(at: now) {
                case .now: break
                case .at(let instant):
                    if !state.alarmSet { (state.alarmSet, alarm) = (true, instant) }
                    return (skipped, alarm)
                case .afterAnEnd:
                    return (skipped, alarm)
                }
                guard let invocation = state.ready.popFirst(), let pending = state.calls[invocation], let definition = pending.takeDefinition()
                else { continue }
                let node = pending.node
                if let failure = state.firstFailure, base.options.executionMode != .continueOnFailure {
                    skipped.append((node, "the run stopped starting steps after step '\(failure)' failed"))
                    continue
                }
                // Made at launch, not when submitted: a body may submit far more calls than can run at once.
                let call = base.call(node, definition: definition)
                let attempt = earlier.nextAttempt(of: invocation)
                let queuedAt = pending.readyAt ?? Date()
                state.slots.take(invocation, at: now)
                state.running[invocation] = Task {
                    let result: StepResult
                    do {
                        var launch = StepLaunch(
                            invocation: invocation, run: self.run, pipeline: call, upstream: try await self.upstream(of: node), stack: self.stack,
                            attempt: attempt, initState: self.initState, queuedAt: queuedAt)
                        if let cached = await CacheLookup.hit(for: &launch) {
                            result = cached
                        } else {
                            self.onEvent(.stepStarted(invocation: invocation))
                            result = await StepAttempts(stack: self.stack, onEvent: self.onEvent).run(launch)
                        }
                    } catch {
                        result = StepResult(invocation: invocation, record: nil, error: "could not read the outputs of the steps it depends on: \(error)")
                    }
                    self.finish(result)
                }
            }
            return (skipped, alarm)
        }
        for (node, reason) in toSkip {
            Task { await self.skip(node, reason: reason) }
        }
        if let alarm {
            Task {
                try? await Task.sleep(until: alarm)
                self.state.withLock { $0.alarmSet = false }
                self.startReady()
            }
        }
    }

    /// Records a call that will not run.
    private func skip(_ node: PipelineNode, reason: String) async {
        let parents = state.withLock { state in node.upstream.compactMap { state.ended[$0]?.stepRunID } }
        finish(
            await StepResult.skipped(
                node, reason: reason, run: run, parents: parents, attempt: earlier.nextAttempt(of: node.invocation), metadata: stack.metadata),
            skipped: true)
    }

    /// Copies a dictionary that is mostly empty into one that fits. A dictionary keeps its capacity
    /// as it empties, and a map of a hundred thousand calls would keep megabytes for calls long
    /// finished while the fan-in after it runs. Each copy follows at least as many removals as
    /// it copies entries.
    private static func shrink<Value>(_ dictionary: inout [String: Value]) {
        guard dictionary.count < dictionary.capacity / 8 else { return }
        var fitting = [String: Value](minimumCapacity: dictionary.count)
        for (key, value) in dictionary { fitting[key] = value }
        dictionary = fitting
    }

    /// Records a call's result, wakes what waits for it, and makes its dependents ready or skips them.
    private func finish(_ result: StepResult, skipped: Bool = false, reported: Bool = true) {
        if reported { onEvent(.stepFinished(result)) }
        let ended = EndedStep(result)
        let (waiters, blocked, idle, cancel) = state.withLock { state in
            let dependents = state.calls.removeValue(forKey: result.invocation)?.dependents ?? []
            Self.shrink(&state.calls)
            if !dependents.isEmpty { state.launchesLeft[result.invocation, default: 0] += dependents.count }
            if Self.isNeeded(result.invocation, ended, in: state) { state.ended[result.invocation] = ended }
            state.running[result.invocation] = nil
            state.slots.release(result.invocation, at: .now)
            state.pending -= 1
            var cancel: [Task<Void, Never>] = []
            if !result.status.isSuccessful, !skipped, state.firstFailure == nil {
                state.firstFailure = result.invocation
                if base.options.executionMode == .failFast { cancel = Array(state.running.values) }
            }
            var blocked: [PipelineNode] = []
            for dependent in dependents {
                guard let waiting = state.calls[dependent], waiting.unresolved > 0 else { continue }
                if !result.status.isSuccessful {
                    waiting.unresolved = 0
                    blocked.append(waiting.node)
                } else {
                    waiting.unresolved -= 1
                    if waiting.unresolved == 0 {
                        waiting.readyAt = Date()
                        state.ready.append(dependent)
                    }
                }
            }
            let idle = state.pending == 0 ? state.idleWaiters : []
            if state.pending == 0 { state.idleWaiters = [] }
            return (state.waiters.removeValue(forKey: result.invocation) ?? [], blocked, idle, cancel)
        }
        for task in cancel { task.cancel() }
        for waiter in waiters { waiter.resume(returning: ended) }
        for node in blocked {
            Task { await self.skip(node, reason: "step '\(result.invocation)' did not complete") }
        }
        startReady()
        for waiter in idle { waiter.resume() }
    }
}
