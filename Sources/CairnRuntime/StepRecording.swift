import CairnCore

/// Whether a step that handed its outputs on before recording them was recorded in the end.
///
/// A step run in this process hands its outputs to its dependents as soon as they are written,
/// then flushes them to disk and records them while the dependents run, so that a chain of steps
/// does not wait for the disk at every link. A dependent started that way records itself, with input
/// links to those outputs, only once this says they are recorded; if they are not, it is recorded as
/// skipped.
final class StepRecording: Sendable {
    private enum State {
        case pending(waiting: [CheckedContinuation<Bool, Never>])
        case ended(recorded: Bool)
    }

    private let state = Locked(State.pending(waiting: []))

    /// Says how the step ended; only the first call counts.
    func end(recorded: Bool) {
        let waiting = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard case .pending(let waiting) = state else { return [] }
            state = .ended(recorded: recorded)
            return waiting
        }
        for continuation in waiting { continuation.resume(returning: recorded) }
    }

    /// Whether the step and its outputs were recorded, once it has ended.
    var recorded: Bool {
        get async {
            await withCheckedContinuation { continuation in
                let ended = state.withLock { state -> Bool? in
                    switch state {
                    case .ended(let recorded):
                        return recorded
                    case .pending(var waiting):
                        waiting.append(continuation)
                        state = .pending(waiting: waiting)
                        return nil
                    }
                }
                if let ended { continuation.resume(returning: ended) }
            }
        }
    }
}
