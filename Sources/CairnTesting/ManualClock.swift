import CairnCore
public import CairnScheduler
public import Foundation

/// A clock for tests of a ``Scheduler``: its time moves only when the test moves it, so that no test
/// waits for real time.
///
/// ```swift
/// let clock = ManualClock(now: start)
/// let scheduler = Scheduler(stack: stack, pipelines: [training], clock: clock)
/// clock.advance(by: 60)                 // wakes the scheduler, which fires what is due
/// await clock.waitForSleepers(1)        // it has looked, and sleeps again
/// ```
public final class ManualClock: SchedulerClock {
    private struct Sleeper {
        var id: Int
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var nextID = 0
        var sleepers: [Sleeper] = []
        var waiters: [(count: Int, deadline: Date, continuation: CheckedContinuation<Void, Never>)] = []

        /// How many sleep until `deadline` or later.
        func sleeperCount(until deadline: Date) -> Int {
            sleepers.count { $0.deadline >= deadline }
        }

        /// Removes and returns the waiters that enough sleepers satisfy.
        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            let sleepers = sleepers
            let isSatisfied = { (waiter: (count: Int, deadline: Date, continuation: CheckedContinuation<Void, Never>)) in
                waiter.count <= sleepers.count { $0.deadline >= waiter.deadline }
            }
            let ready = waiters.filter(isSatisfied).map(\.continuation)
            waiters.removeAll(where: isSatisfied)
            return ready
        }
    }

    private let state: Locked<State>

    /// Makes a clock that reads `now` until moved.
    public init(now: Date) {
        state = Locked(State(now: now))
    }

    /// The clock's time.
    public var now: Date {
        state.withLock { $0.now }
    }

    /// Returns once the clock is moved to `date` or past it; at once if it is there already.
    ///
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(until date: Date) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Checked under the lock that the cancellation handler takes: a cancellation either
                // is seen here, or finds the sleeper and wakes it.
                let waiting: [CheckedContinuation<Void, Never>]? = state.withLock { state in
                    if Task.isCancelled || state.now >= date { return nil }
                    state.sleepers.append(Sleeper(id: id, deadline: date, continuation: continuation))
                    return state.takeSatisfiedWaiters()
                }
                guard let waiting else {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                    return
                }
                for waiter in waiting { waiter.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `seconds`, waking the sleepers whose time has come.
    public func advance(by seconds: TimeInterval) {
        let woken = state.withLock { state in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let woken = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return woken
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Waits until `count` tasks sleep on the clock until `deadline` or later: for a scheduler, until
    /// it has looked and fired what was due, and sleeps again.
    public func waitForSleepers(_ count: Int, until deadline: Date = .distantPast) async {
        await withCheckedContinuation { continuation in
            let isReady = state.withLock { state in
                guard state.sleeperCount(until: deadline) < count else { return true }
                state.waiters.append((count, deadline, continuation))
                return false
            }
            if isReady { continuation.resume() }
        }
    }
}
