import CairnCore
import Foundation

/// The runs a scheduler started that have not ended: each a task of its own, so that a graceful
/// shutdown stops the scheduler's loop without stopping them, then waits for them, or cancels them
/// once its grace period has passed.
final class InFlightRuns: Sendable {
    private let tasks = Locked<(next: Int, running: [Int: Task<Void, Never>])>((0, [:]))

    /// Starts `body` as a task of its own, kept until it ends.
    func start(_ body: @escaping @Sendable () async -> Void) {
        tasks.withLock { tasks in
            let key = tasks.next
            tasks.next += 1
            tasks.running[key] = Task {
                await body()
                self.tasks.withLock { _ = $0.running.removeValue(forKey: key) }
            }
        }
    }

    /// How many runs have not ended.
    var count: Int {
        tasks.withLock { $0.running.count }
    }

    /// Waits for every run to end, until `deadline` on `clock`; then cancels those still going, whose
    /// running steps stop and which are recorded as stopped, and waits for them.
    ///
    /// - Returns: How many runs were cancelled.
    func finish(by deadline: Date, on clock: any SchedulerClock) async -> Int {
        let running = tasks.withLock { Array($0.running.values) }
        guard !running.isEmpty else { return 0 }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for task in running { await task.value }
                return true
            }
            group.addTask {
                try? await clock.sleep(until: deadline)
                return false
            }
            let ended = await group.next() ?? true
            group.cancelAll()
            guard !ended else { return 0 }
            let late = tasks.withLock { Array($0.running.values) }
            for task in late { task.cancel() }
            return late.count
        }
    }
}
