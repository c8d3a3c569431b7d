import Cairn
import Foundation

/// A schedule as `cairn schedule list` and `show` print it, and as their JSON holds it.
struct ScheduleSummary: Encodable {
    var name: String
    var pipeline: String
    /// `cron`, `interval` or `once`.
    var kind: String
    /// `0 2 * * * (Europe/London)`, `every 3600 s from …`, `at …`.
    var timing: String
    var endsAt: Date?
    var catchUp: Bool
    var isActive: Bool
    /// The next occurrence after now, if it is active and has one.
    var nextFireTime: Date?
    /// The parameters of its runs, as JSON.
    var parameters: JSONValue
    var hasConfiguration: Bool
    var createdAt: Date
    var updatedAt: Date

    init(_ schedule: ScheduleRecord, now: Date) throws {
        name = schedule.name
        pipeline = schedule.pipelineName
        switch schedule.timing.kind {
        case .cron(let expression, let timeZone):
            (kind, timing) = ("cron", "\(expression.text) (\(timeZone))")
        case .interval(let seconds, let start):
            (kind, timing) = ("interval", "every \(Self.number(seconds)) s from \(start.formatted(.iso8601))")
        case .once(let date):
            (kind, timing) = ("once", "at \(date.formatted(.iso8601))")
        }
        endsAt = schedule.timing.endsAt
        catchUp = schedule.timing.catchUp
        isActive = schedule.isActive
        nextFireTime = schedule.isActive ? schedule.timing.nextOccurrence(after: now) : nil
        parameters = try CanonicalJSON.decode(JSONValue.self, from: schedule.parameters)
        hasConfiguration = schedule.configuration != nil
        createdAt = schedule.createdAt
        updatedAt = schedule.updatedAt
    }

    /// `60`, or `0.5`: whole numbers without a fraction.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The table `cairn schedule list` prints.
    static func table(_ rows: [ScheduleSummary], utc: Bool) -> Table {
        var table = Table(titles: ["SCHEDULE", "PIPELINE", "TIMING", "ACTIVE", "NEXT RUN"])
        for row in rows {
            table.append([
                Table.Cell(row.name), Table.Cell(row.pipeline), Table.Cell(row.timing),
                row.isActive ? Table.Cell("yes") : Table.Cell("no", .dim),
                Table.Cell(row.nextFireTime.map { Format.date($0, utc: utc) } ?? "-"),
            ])
        }
        return table
    }
}
