package import Foundation

/// A ``ScheduleTiming`` as the columns a store keeps it in: a kind (`cron`, `interval` or `once`)
/// and the values that kind uses, so that stores can show and query timings without decoding JSON.
package struct ScheduleTimingColumns: Sendable, Equatable {
    /// `cron`, `interval` or `once`.
    package var kind: String
    /// The cron expression as written, for `cron`.
    package var cron: String?
    /// The IANA time zone, for `cron`.
    package var timeZone: String?
    /// The interval in seconds, for `interval`.
    package var intervalSeconds: Double?
    /// The first occurrence, for `interval`, or the only one, for `once`.
    package var startsAt: Date?
    /// When the timing ends, if it does.
    package var endsAt: Date?
    /// Whether missed occurrences each run.
    package var catchUp: Bool

    /// The columns of `timing`.
    package init(_ timing: ScheduleTiming) {
        switch timing.kind {
        case .cron(let expression, let timeZone):
            (kind, cron, self.timeZone) = ("cron", expression.text, timeZone)
        case .interval(let seconds, let start):
            (kind, intervalSeconds, startsAt) = ("interval", seconds, start)
        case .once(let date):
            (kind, startsAt) = ("once", date)
        }
        endsAt = timing.endsAt
        catchUp = timing.catchUp
    }

    /// Columns as read from a store.
    package init(
        kind: String, cron: String?, timeZone: String?, intervalSeconds: Double?, startsAt: Date?, endsAt: Date?, catchUp: Bool
    ) {
        (self.kind, self.cron, self.timeZone, self.intervalSeconds) = (kind, cron, timeZone, intervalSeconds)
        (self.startsAt, self.endsAt, self.catchUp) = (startsAt, endsAt, catchUp)
    }

    /// The timing these columns hold.
    ///
    /// - Throws: `CairnError.store(_:)` naming `schedule` when the columns do not make a timing, which
    ///   only a store changed by hand can hold.
    package func timing(ofSchedule schedule: String) throws -> ScheduleTiming {
        do {
            switch (kind, cron, timeZone, intervalSeconds, startsAt) {
            case ("cron", let cron?, let timeZone?, _, _):
                return try ScheduleTiming(.cron(try CronExpression(cron), timeZone: timeZone), endsAt: endsAt, catchUp: catchUp)
            case ("interval", _, _, let seconds?, let start?):
                return try ScheduleTiming(.interval(every: seconds, from: start), endsAt: endsAt, catchUp: catchUp)
            case ("once", _, _, _, let date?):
                return try ScheduleTiming(.once(at: date), endsAt: endsAt, catchUp: catchUp)
            default:
                throw ScheduleError("a timing of kind '\(kind)' lacks its values")
            }
        } catch {
            throw CairnError.store("the stored timing of schedule '\(schedule)' cannot be read: \(error)")
        }
    }
}
