public import Foundation

/// The system's clock: what a scheduler in an executable reads and waits on.
public struct SystemSchedulerClock: SchedulerClock {
    /// Makes the clock.
    public init() {}

    /// The current time.
    public var now: Date { Date() }

    /// Sleeps until `date`, or returns at once when it has passed.
    public func sleep(until date: Date) async throws {
        let delay = date.timeIntervalSinceNow
        guard delay > 0 else { return }
        try await Task.sleep(for: .seconds(delay), tolerance: .milliseconds(1))
    }
}
