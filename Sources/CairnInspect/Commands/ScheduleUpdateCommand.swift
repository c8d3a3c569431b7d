import ArgumentParser
import Cairn
import Foundation

/// `cairn schedule update NAME …`: changes a schedule's timing, end, catch-up, parameters or configuration.
struct ScheduleUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a schedule's timing, end, catch-up, parameters or configuration; checked first.",
        discussion: """
            What is not given stays. --cron, --every or --at replaces the timing (with --time-zone, --start, \
            --ends-at and catch-up as given, else as they were); --time-zone alone moves a cron timing to \
            another zone. Parameters are checked against the pipeline when the schedule fires: `cairn` does not \
            have the pipeline's code. Occurrences due before the change do not run.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The schedule's name.")
    var name: String

    @Option(help: ArgumentHelp("A new cron expression.", valueName: "expression"))
    var cron: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The IANA time zone of the cron expression and of dates without an offset.", valueName: "zone"))
    var timeZone: String?

    @Option(help: ArgumentHelp("A new interval, in seconds.", valueName: "seconds"))
    var every: Double?

    @Option(help: ArgumentHelp("When --every starts; default: now.", valueName: "date"))
    var start: String?

    @Option(help: ArgumentHelp("Runs once, at this date.", valueName: "date"))
    var at: String?

    @Option(name: .customLong("ends-at"), help: ArgumentHelp("No run at or after this date.", valueName: "date"))
    var endsAt: String?

    @Flag(name: .customLong("no-end"), help: "Removes the end.")
    var noEnd = false

    @Flag(inversion: .prefixedNo, help: "Whether missed occurrences each run, or only the latest.")
    var catchUp: Bool?

    @Option(name: .customLong("param"), help: ArgumentHelp("Sets a parameter of its runs.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("A new YAML run configuration for its runs.", valueName: "file.yaml"))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Removes its run configuration.")
    var noConfig = false

    func validate() throws {
        if noEnd, endsAt != nil { throw ValidationError("give --ends-at or --no-end, not both") }
        if noConfig, config != nil { throw ValidationError("give --config or --no-config, not both") }
    }

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        var schedule = try await store.schedule(name) { "cairn schedule update \($0)" }
        let now = Date()
        schedule.timing = try changedTiming(schedule.timing, now: now)
        if !parameters.isEmpty {
            var values = try CanonicalJSON.decode(JSONValue.self, from: schedule.parameters).objectValue ?? [:]
            for text in parameters {
                let argument = try ParameterArgument(parsing: text)
                values[argument.key] = try argument.value(fitting: values[argument.key])
            }
            schedule.parameters = CanonicalJSON.string(encoding: JSONValue.object(values))
        }
        if let config {
            // Its keys are checked now; its steps and parameters when the schedule fires.
            _ = try RunConfigurationFile(contentsOf: config)
            schedule.configuration = try String(contentsOfFile: config, encoding: .utf8)
        } else if noConfig {
            schedule.configuration = nil
        }
        schedule.updatedAt = now
        try await store.metadata.updateSchedule(schedule)
        let summary = try ScheduleSummary(schedule, now: now)
        if options.json {
            try console.json(summary)
        } else {
            console.line(
                "Updated schedule '\(name)': \(summary.timing); next run \(summary.nextFireTime.map { Format.date($0, utc: console.showsUTC) } ?? "never").")
        }
    }

    /// The timing with the options given laid over `timing`.
    private func changedTiming(_ timing: ScheduleTiming, now: Date) throws -> ScheduleTiming {
        let zone: String? = if case .cron(_, let zone) = timing.kind { zone } else { nil }
        var changes = ScheduleTimingOptions(
            cron: cron, timeZone: timeZone ?? zone, every: every, start: start, at: at, endsAt: endsAt, catchUp: catchUp ?? timing.catchUp)
        var kind = timing.kind
        if !changes.choosesKind, case .cron(let expression, _) = timing.kind {
            changes.cron = expression.text  // keeps the expression, in the zone given if one is
        }
        if changes.choosesKind {
            kind = try changes.timing(now: now).kind
        } else if start != nil {
            throw ScheduleError("--start goes with --every")
        }
        let end: Date? =
            if let endsAt {
                try ScheduleTimingOptions.date(endsAt, option: "--ends-at", in: changes.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current)
            } else {
                noEnd ? nil : timing.endsAt
            }
        do {
            return try ScheduleTiming(kind, endsAt: end, catchUp: changes.catchUp)
        } catch {
            throw ScheduleError((error.problem.hasPrefix("the end") ? "--ends-at: " : "") + error.problem)
        }
    }
}
