public import Foundation

/// A schedule's timing as command lines give it, in text: `--cron` with `--time-zone`, `--every`
/// with `--start`, or `--at`; `--ends-at` and `--catch-up` for any of them.
///
/// Each mistake is a ``ScheduleError`` that names the option: `--cron: minute field (column 1): 61 is
/// out of range 0–59`.
///
/// Dates are ISO 8601 (`2026-12-08T02:00:00Z`, `2026-12-08T02:00:00+01:00`), or a date and time
/// without an offset (`2026-12-08T02:00`, `2026-12-08 02:00:00`), read on the clocks of `--time-zone`
/// or else the system's time zone.
public struct ScheduleTimingOptions: Sendable, Equatable {
    /// A cron expression.
    public var cron: String?
    /// The IANA time zone of the cron expression and of dates without an offset.
    public var timeZone: String?
    /// An interval in seconds.
    public var every: Double?
    /// When an interval starts; now by default.
    public var start: String?
    /// The date of a single run.
    public var at: String?
    /// When the schedule ends.
    public var endsAt: String?
    /// Whether missed occurrences each run.
    public var catchUp: Bool

    /// Collects the options.
    public init(
        cron: String? = nil, timeZone: String? = nil, every: Double? = nil, start: String? = nil, at: String? = nil, endsAt: String? = nil,
        catchUp: Bool = false
    ) {
        (self.cron, self.timeZone, self.every, self.start, self.at, self.endsAt, self.catchUp) = (cron, timeZone, every, start, at, endsAt, catchUp)
    }

    /// Whether any option that chooses the kind of timing is given.
    public var choosesKind: Bool {
        cron != nil || every != nil || at != nil
    }

    /// The timing the options describe, checked.
    ///
    /// - Parameter now: The start of an interval given no `--start`.
    /// - Throws: ``ScheduleError`` naming the option at fault.
    public func timing(now: Date) throws(ScheduleError) -> ScheduleTiming {
        let zone = try zone()
        let kind: ScheduleTiming.Kind
        switch (cron, every, at) {
        case (let cron?, nil, nil):
            do {
                kind = .cron(try CronExpression(cron), timeZone: zone.identifier)
            } catch {
                throw ScheduleError("--cron: \(error)")
            }
        case (nil, let every?, nil):
            var from = now
            if let start { from = try Self.date(start, option: "--start", in: zone) }
            kind = .interval(every: every, from: from)
        case (nil, nil, let at?):
            kind = .once(at: try Self.date(at, option: "--at", in: zone))
        case (nil, nil, nil):
            throw ScheduleError("say when it fires: --cron EXPRESSION, --every SECONDS or --at DATE")
        default:
            throw ScheduleError("give only one of --cron, --every and --at")
        }
        if start != nil, every == nil { throw ScheduleError("--start goes with --every") }
        var end: Date?
        if let endsAt { end = try Self.date(endsAt, option: "--ends-at", in: zone) }
        do {
            return try ScheduleTiming(kind, endsAt: end, catchUp: catchUp)
        } catch {
            throw ScheduleError((error.problem.hasPrefix("the interval") ? "--every: " : error.problem.hasPrefix("the end") ? "--ends-at: " : "") + error.problem)
        }
    }

    /// The time zone named, or the system's.
    private func zone() throws(ScheduleError) -> TimeZone {
        guard let timeZone else { return .current }
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ScheduleError("--time-zone: unknown time zone '\(timeZone)'; give an IANA name such as Europe/London or UTC")
        }
        return zone
    }

    /// Reads a date given to `option`; one without an offset is on the clocks of `zone`.
    public static func date(_ text: String, option: String, in zone: TimeZone) throws(ScheduleError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for options in [ISO8601DateFormatter.Options.withInternetDateTime, [.withInternetDateTime, .withFractionalSeconds]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return date }
        }
        throw ScheduleError(
            "\(option): cannot read '\(text)' as a date; write 2026-12-08T02:00:00Z, or 2026-12-08T02:00 for the time in \(zone.identifier)")
    }
}
