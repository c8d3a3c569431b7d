/// Why a schedule cannot be made as asked: an unknown time zone, an interval of zero or below, an
/// end before the start, or (from ``CronExpressionError``) a bad cron expression.
public struct ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var problem: String

    /// Makes an error.
    public init(_ problem: String) {
        self.problem = problem
    }

    /// What is wrong.
    public var description: String { problem }
}
