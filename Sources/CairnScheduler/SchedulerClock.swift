public import Foundation

/// What a ``Scheduler`` reads the time from and waits on: the system's clock in an executable, a
/// clock a test moves by hand, so that no test waits for real time.
public protocol SchedulerClock: Sendable {
    /// The current time.
    var now: Date { get }

    /// Returns at `date` or soon after, or at once when `date` has passed.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while it waits.
    func sleep(until date: Date) async throws
}
