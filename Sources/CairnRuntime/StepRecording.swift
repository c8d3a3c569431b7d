import CairnCore

/// Whether a step that handed its outputs on before recording them was recorded in the end.
///
/// A step run in this process hands its outputs to its dependents as soon as they are written,
/// then flushes them to disk and records them while the dependents run, so that a chain of steps
/// does not wait for the disk at every link. A dependent started that way records itself, with input
/// links to those outputs, only once this says they are recorded, or queued in the run's
/// ``StepRecorder`` ahead of it; if they are not recorded, it is recorded as skipped.
final class StepRecording: Sendable {
    private struct State {
        var isQueued = false
        var recorded: Bool?
        var waitingForEnd: [CheckedContinuation<Bool, Never>] = []
        var waitingForQueue: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Locked(State())

    /// Says how the step ended; only the first call counts.
    func end(recorded: Bool) {
        let (ended, queued) = state.withLock { state -> ([CheckedContinuation<Bool, Never>], [CheckedContinuation<Void, Never>]) in
            guard state.recorded == nil else { return ([], []) }
            state.recorded = recorded
            defer { (state.waitingForEnd, state.waitingForQueue) = ([], []) }
            return (state.waitingForEnd, state.waitingForQueue)
        }
        for continuation in ended { continuation.resume(returning: recorded) }
        for continuation in queued { continuation.resume() }
    }

    /// Says that the step's record is queued in the run's ``StepRecorder``.
    func queue() {
        let queued = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isQueued = true
            defer { state.waitingForQueue = [] }
            return state.waitingForQueue
        }
        for continuation in queued { continuation.resume() }
    }

    /// Whether the step and its outputs were recorded, once it has ended.
    var recorded: Bool {
        get async {
            await withCheckedContinuation { continuation in
                let recorded = state.withLock { state -> Bool? in
                    if state.recorded == nil { state.waitingForEnd.append(continuation) }
                    return state.recorded
                }
                if let recorded { continuation.resume(returning: recorded) }
            }
        }
    }

    /// Returns once the step's record is queued in the run's ``StepRecorder``, or the step has ended.
    func queuedOrEnded() async {
        await withCheckedContinuation { continuation in
            let isDone = state.withLock { state -> Bool in
                let isDone = state.isQueued || state.recorded != nil
                if !isDone { state.waitingForQueue.append(continuation) }
                return isDone
            }
            if isDone { continuation.resume() }
        }
    }

    /// Whether the step was recorded, if it has ended; `nil` if not yet.
    var hasBeenRecorded: Bool? {
        state.withLock(\.recorded)
    }
}
