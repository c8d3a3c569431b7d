public import Foundation

/// When a schedule fires: on a cron expression in a time zone, every interval from a start, or once.
///
/// Every kind may end, and chooses what happens to the occurrences missed while no scheduler ran
/// (``catchUp``): each runs once, oldest first (at most ``catchUpLimit``), or only the latest runs.
///
/// ```swift
/// let nightly = try ScheduleTiming(.cron(CronExpression("0 2 * * *"), timeZone: "Europe/London"))
/// let hourly = try ScheduleTiming(.interval(every: 3600, from: .now), endsAt: .now.addingTimeInterval(86_400))
/// ```
public struct ScheduleTiming: Sendable, Hashable, Codable {
    /// The kinds of timing.
    public enum Kind: Sendable, Hashable, Codable {
        /// When the expression fires on the clocks of the time zone (an IANA name such as `Europe/London`).
        case cron(CronExpression, timeZone: String)
        /// At `start`, then every `seconds`.
        case interval(every: TimeInterval, from: Date)
        /// Once, at `date`.
        case once(at: Date)
    }

    /// The most missed occurrences one catch-up runs: the latest 100, oldest first. Older ones are
    /// dropped, and the scheduler says so.
    public static let catchUpLimit = 100

    /// When it fires.
    public var kind: Kind
    /// When it stops firing, if it does: no occurrence at or after this date runs.
    public var endsAt: Date?
    /// Whether occurrences missed while no scheduler ran each run once (`true`), or only the latest does.
    public var catchUp: Bool

    /// Makes a timing, checking it.
    ///
    /// - Throws: ``ScheduleError`` for an unknown time zone, an interval of zero or below, or an end
    ///   before the start.
    public init(_ kind: Kind, endsAt: Date? = nil, catchUp: Bool = false) throws(ScheduleError) {
        self.kind = kind
        self.endsAt = endsAt
        self.catchUp = catchUp
        try validate()
    }

    /// Reads a timing, checking it as ``init(_:endsAt:catchUp:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        endsAt = try container.decodeIfPresent(Date.self, forKey: .endsAt)
        catchUp = try container.decodeIfPresent(Bool.self, forKey: .catchUp) ?? false
        try validate()
    }

    private func validate() throws(ScheduleError) {
        let start: Date?
        switch kind {
        case .cron(_, let timeZone):
            guard TimeZone(identifier: timeZone) != nil else { throw ScheduleError("unknown time zone '\(timeZone)'") }
            start = nil
        case .interval(let seconds, let from):
            guard seconds.isFinite, seconds > 0 else { throw ScheduleError("the interval must be above 0 seconds, not \(seconds)") }
            start = from
        case .once(let date):
            start = date
        }
        if let endsAt, let start, endsAt <= start {
            throw ScheduleError("the end, \(endsAt.formatted(.iso8601)), is not after the start, \(start.formatted(.iso8601))")
        }
    }

    /// The first occurrence after `date`, or `nil` when there is none (the schedule ended).
    public func nextOccurrence(after date: Date) -> Date? {
        let next: Date?
        switch kind {
        case .cron(let expression, let timeZone):
            next = TimeZone(identifier: timeZone).flatMap { expression.nextFireTime(after: date, in: $0) }
        case .interval(let seconds, let start):
            if date < start {
                next = start
            } else {
                // Counted from the start, so that occurrences never drift.
                let count = ((date.timeIntervalSince(start)) / seconds).rounded(.down) + 1
                next = start.addingTimeInterval(count * seconds)
            }
        case .once(let at):
            next = at > date ? at : nil
        }
        guard let next, endsAt.map({ next < $0 }) ?? true else { return nil }
        return next
    }

    /// The occurrences due by `now` that came after `last` (the latest one already run or claimed, or
    /// the schedule's creation), oldest first: with catch-up, each of them, at most ``catchUpLimit``
    /// (the latest); without, only the latest.
    public func dueOccurrences(after last: Date, now: Date) -> (due: [Date], dropped: Int) {
        var missed: [Date] = []
        var dropped = 0
        var time = last
        while let next = nextOccurrence(after: time), next <= now {
            missed.append(next)
            time = next
            if missed.count > Self.catchUpLimit {
                missed.removeFirst()
                dropped += 1
            }
        }
        guard !catchUp, let latest = missed.last else { return (missed, dropped) }
        return ([latest], dropped + missed.count - 1)
    }
}
