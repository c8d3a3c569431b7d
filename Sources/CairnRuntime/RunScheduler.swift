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

    /// How many steps may have passed their slot on with their outputs (see ``StepRecording``) while
    /// they make them durable and record them: a bound on the records a chain of steps may owe.
    ///
    /// The records owed are what the ``StepRecorder`` writes together, and a chain runs no faster
    /// than this many steps per flush of the disk: on ext4, a 1,000-step chain took 0.38–0.42 ms a
    /// step with 64, and 0.32–0.37 with 256 or 1,024. Small staged outputs wait in memory meanwhile,
    /// 64 KiB each at most.
    static let handedOffLimit = 256

    /// What the steps started by the scheduler report.
    private enum Event: Sendable {
        /// A step's outputs are written; its dependents may start.
        case handedOff(invocation: String, UpstreamStep)
        /// A step ended, recorded.
        case ended(StepResult)
        /// No step ended for ``StepSlots/patience`` while every allowed place was taken: more may start.
        case alarm
    }

    /// What the scheduler knows as the run goes.
    private struct Progress {
        var waitingFor: [String: Int] = [:]
        var dependents: [String: [String]] = [:]
        var ready = Deque<String>()
        /// When each step in `ready` became ready: when it was queued.
        var readyAt: [String: Date] = [:]
        var results: [String: StepResult] = [:]
        /// Steps that handed their outputs on and have not ended: what their dependents start with.
        var handedOff: [String: UpstreamStep] = [:]
        var firstFailure: String?
        /// Cache hits resolved but not yet recorded.
        var unrecordedHits: [NewStepRun] = []

        /// Records a step's outputs handed on early, and makes its dependents ready when nothing else
        /// holds them; returns those it made ready.
        mutating func handOff(_ invocation: String, _ outputs: UpstreamStep) -> [String] {
            handedOff[invocation] = outputs
            return release(dependentsOf: invocation)
        }

        /// Takes a step out of the ready queue, where it was added last.
        mutating func take(_ invocation: String) {
            if let index = ready.lastIndex(of: invocation) { ready.remove(at: index) }
        }

        /// Records a result and makes the dependents of a successful step ready when nothing else
        /// holds them, unless it handed its outputs on already.
        mutating func record(_ result: StepResult) {
            results[result.invocation] = result
            let released = handedOff.removeValue(forKey: result.invocation) != nil
            if !result.status.isSuccessful {
                if firstFailure == nil { firstFailure = result.invocation }
            } else if !released {
                release(dependentsOf: result.invocation)
            }
        }

        /// Queues a step whose inputs all exist.
        mutating func makeReady(_ invocation: String) {
            ready.append(invocation)
            readyAt[invocation] = Date()
        }

        @discardableResult
        private mutating func release(dependentsOf invocation: String) -> [String] {
            var released: [String] = []
            for dependent in dependents[invocation, default: []] {
                waitingFor[dependent, default: 0] -= 1
                if waitingFor[dependent] == 0 {
                    makeReady(dependent)
                    released.append(dependent)
                }
            }
            return released
        }

        /// What a dependent of `invocation` needs of it, once it ended or handed its outputs on.
        func upstream(_ invocation: String) -> UpstreamStep? {
            results[invocation].flatMap(UpstreamStep.init) ?? handedOff[invocation]
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
            if waiting.isEmpty { progress.makeReady(node.invocation) }
        }
        let mayStart = { (progress: Progress) in progress.firstFailure == nil || pipeline.options.executionMode == .continueOnFailure }
        let (events, reports) = AsyncStream.makeStream(of: Event.self)
        let recorder = StepRecorder(metadata: stack.metadata)
        let attempts = StepAttempts(stack: stack, onEvent: onEvent)
        // Discarding: what the steps report comes through `events`, so each ended child is released at once.
        await withDiscardingTaskGroup { group in
            var slots = StepSlots(limit: concurrency)
            /// Whether an ``Event/alarm`` is set.
            var alarmSet = false
            /// Steps that passed their slot on with their outputs, and have not ended.
            var lent: Set<String> = []
            var iterator = events.makeAsyncIterator()
            /// Starts `invocation`, or records its cache hit; says whether it started.
            func start(_ invocation: String) async -> Bool {
                var launch = self.launch(invocation, progress: progress)
                launch.queuedAt = progress.readyAt.removeValue(forKey: invocation) ?? launch.queuedAt
                // A hit on outputs handed on early is recorded after them; if they are not recorded,
                // the step runs, to be recorded as skipped.
                if let hit = await CacheLookup.find(for: &launch), await launch.upstream.unrecorded.isEmpty {
                    progress.unrecordedHits.append(hit.stepRun)
                    progress.record(hit.result)
                    onEvent(.stepFinished(hit.result))
                    return false
                }
                await recordHits(&progress)
                onEvent(.stepStarted(invocation: invocation))
                launch.handOff = HandOff(deliver: { reports.yield(.handedOff(invocation: invocation, $0)) }, recorder: recorder)
                group.addTask { reports.yield(.ended(await attempts.run(launch))) }
                return true
            }
            while true {
                startReady: while mayStart(progress), !progress.ready.isEmpty {
                    let now = ContinuousClock.now
                    switch slots.admission(at: now) {
                    case .now:
                        let invocation = progress.ready.removeFirst()
                        if await start(invocation) { slots.take(invocation, at: now) }
                    case .at(let instant):
                        if !alarmSet {
                            alarmSet = true
                            group.addTask {
                                try? await Task.sleep(until: instant)
                                reports.yield(.alarm)
                            }
                        }
                        break startReady
                    case .afterAnEnd:
                        break startReady
                    }
                }
                await recordHits(&progress)
                guard slots.count + lent.count > 0, let event = await iterator.next() else { break }
                switch event {
                case .handedOff(let invocation, let outputs):
                    // The step passes its slot to a dependent it made ready, which runs on its outputs
                    // while they are made durable and recorded. The dependent is recorded as started
                    // after they are, so recorded steps never exceed the limit.
                    for dependent in progress.handOff(invocation, outputs) where mayStart(progress) && lent.count < Self.handedOffLimit {
                        progress.take(dependent)
                        if await start(dependent) {
                            lent.insert(invocation)
                            slots.pass(from: invocation, to: dependent, at: .now)
                            break
                        }
                    }
                case .ended(let result):
                    if lent.remove(result.invocation) == nil { slots.release(result.invocation, at: .now) }
                    progress.record(result)
                    onEvent(.stepFinished(result))
                    if progress.firstFailure == result.invocation, pipeline.options.executionMode == .failFast {
                        group.cancelAll()
                    }
                case .alarm:
                    alarmSet = false
                }
            }
            // Only an alarm may still be pending.
            group.cancelAll()
            reports.finish()
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
            try await stack.metadata.writeStepRuns(progress.unrecordedHits.map(StepRunWrite.start))
        } catch {
            for hit in progress.unrecordedHits {
                let failed = StepResult(invocation: hit.invocation, record: nil, error: "could not record the cache hit: \(error)")
                progress.record(failed)
                onEvent(.stepFinished(failed))
            }
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

    private func launch(_ invocation: String, progress: Progress) -> StepLaunch {
        let upstream = pipeline.graph.node(invocation)?.upstream ?? []
        return StepLaunch(
            invocation: invocation, run: run, pipeline: pipeline,
            upstream: Dictionary(uniqueKeysWithValues: upstream.compactMap { name in progress.upstream(name).map { (name, $0) } }),
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
