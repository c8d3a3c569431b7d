import ArgumentParser
import Cairn
import Foundation

/// `cairn schedule show NAME`: a schedule with its recent occurrences, how late each fired, and its run.
struct ScheduleShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a schedule: its timing, parameters, next fire time and recent runs, with how late each fired.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The schedule's name.")
    var name: String

    @Option(help: "How many recent occurrences to show.")
    var limit = 10

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be 1 or more, not \(limit)") }
    }

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let schedule = try await store.schedule(name) { "cairn schedule show \($0)" }
        var occurrences: [ScheduleDetails.Occurrence] = []
        for occurrence in try await store.metadata.occurrences(ofSchedule: schedule.id, limit: limit) {
            var run: RunRecord?
            if let id = occurrence.runID { run = try await store.metadata.run(id: id) }
            occurrences.append(ScheduleDetails.Occurrence(occurrence, run: run))
        }
        let details = ScheduleDetails(
            schedule: try ScheduleSummary(schedule, now: Date()), configuration: schedule.configuration, occurrences: occurrences)
        if options.json {
            try console.json(details)
        } else {
            console.writeOutput(details.render(color: console.usesColor, utc: console.showsUTC))
        }
    }
}

/// Everything `cairn schedule show` prints.
struct ScheduleDetails: Encodable {
    /// An occurrence a scheduler claimed.
    struct Occurrence: Encodable {
        var fireTime: Date
        var claimedAt: Date
        /// How late it was claimed, which is when its run started, give or take milliseconds.
        var lateSeconds: Double
        var claimant: String
        var runID: String?
        /// Its run's name and status; `nil` before the run started, or once the run is deleted.
        var run: String?
        var status: ExecutionStatus?

        init(_ occurrence: ScheduleOccurrence, run: RunRecord?) {
            fireTime = occurrence.fireTime
            claimedAt = occurrence.claimedAt
            lateSeconds = occurrence.claimedAt.timeIntervalSince(occurrence.fireTime)
            claimant = occurrence.claimant.description
            runID = occurrence.runID
            self.run = run?.name
            status = run?.status
        }
    }

    var schedule: ScheduleSummary
    var configuration: String?
    var occurrences: [Occurrence]

    func render(color: Bool, utc: Bool) -> String {
        var fields = Fields()
        fields.append("Schedule", schedule.name, .bold)
        fields.append("Pipeline", schedule.pipeline)
        fields.append("Timing", schedule.timing)
        if let endsAt = schedule.endsAt { fields.append("Ends", Format.date(endsAt, utc: utc)) }
        fields.append("Catch-up", schedule.catchUp ? "each missed occurrence runs, oldest first" : "only the latest missed occurrence runs")
        fields.append("Active", schedule.isActive ? "yes" : "no (cairn schedule activate \(schedule.name))", schedule.isActive ? nil : .yellow)
        fields.append("Next run", schedule.nextFireTime.map { Format.date($0, utc: utc) } ?? "-")
        fields.append("Parameters", CanonicalJSON.string(encoding: schedule.parameters))
        if configuration != nil { fields.append("Configuration", "stored (--json shows it)") }
        var text = fields.render(color: color)
        guard !occurrences.isEmpty else { return text + "\nNo runs yet.\n" }
        var table = Table(titles: ["DUE", "LATE", "RUN", "STATUS"], rightAligned: [1])
        for occurrence in occurrences {
            table.append([
                Table.Cell(Format.date(occurrence.fireTime, utc: utc)),
                Table.Cell(Format.duration(occurrence.lateSeconds), occurrence.lateSeconds > 1 ? .yellow : nil),
                Table.Cell(occurrence.run ?? (occurrence.runID == nil ? "not started (claimed by \(occurrence.claimant))" : "deleted")),
                occurrence.status.map { Table.Cell($0.rawValue, .of($0)) } ?? "-",
            ])
        }
        text += "\nRecent runs, latest first:\n" + table.render(color: color, indent: "  ")
        return text
    }
}
