import ArgumentParser
import Cairn
import Foundation

/// `<executable> schedule create`: stores a schedule for one of this executable's pipelines.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Schedules this executable's pipelines; `cairn schedule` lists and changes schedules.",
        subcommands: [ScheduleCreateCommand.self])
}

/// `<executable> schedule create NAME --pipeline P --cron "0 2 * * *"`.
struct ScheduleCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Stores a schedule, checked first: nothing is stored when anything is wrong.",
        discussion: """
            Give one of --cron (five fields, or @hourly, @daily, @weekly, @monthly, @yearly; in --time-zone, else \
            the system's), --every SECONDS (from --start, else now) or --at DATE. Dates are ISO 8601 \
            (2026-12-08T02:00:00Z), or without an offset in --time-zone. `scheduler` fires it.
            """)

    @Argument(help: "The schedule's name, unique in the store.")
    var name: String

    @Option(help: "The pipeline it runs.")
    var pipeline: String

    @Option(help: ArgumentHelp("A cron expression: minute hour day-of-month month day-of-week.", valueName: "expression"))
    var cron: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The IANA time zone of --cron and of dates without an offset.", valueName: "zone"))
    var timeZone: String?

    @Option(help: ArgumentHelp("An interval: runs every this many seconds.", valueName: "seconds"))
    var every: Double?

    @Option(help: ArgumentHelp("When --every starts; default: now.", valueName: "date"))
    var start: String?

    @Option(help: ArgumentHelp("Runs once, at this date.", valueName: "date"))
    var at: String?

    @Option(name: .customLong("ends-at"), help: ArgumentHelp("No run at or after this date.", valueName: "date"))
    var endsAt: String?

    @Flag(name: .customLong("catch-up"), help: "Runs each occurrence missed while no scheduler ran, oldest first (at most 100); else only the latest.")
    var catchUp = false

    @Option(name: .customLong("param"), help: ArgumentHelp("Sets a parameter of its runs.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("A YAML run configuration for its runs, stored with it.", valueName: "file.yaml"))
    var config: String?

    @OptionGroup var stack: StackOptions

    func run() async throws {
        let definition = try CommandEnvironment.pipeline(named: pipeline)
        let options = ScheduleTimingOptions(cron: cron, timeZone: timeZone, every: every, start: start, at: at, endsAt: endsAt, catchUp: catchUp)
        let now = Date()
        let timing = try options.timing(now: now)
        if case .once(let date) = timing.kind, date <= now {
            throw ScheduleError("--at: \(date.formatted(.iso8601)) has passed; a schedule fires only in the future")
        }
        let defaults = try definition.defaultParameters.objectValue ?? [:]
        var values: [String: JSONValue] = [:]
        for text in parameters {
            let argument = try ParameterArgument(parsing: text)
            values[argument.key] = try argument.value(fitting: defaults[argument.key])
        }
        let configuration = try config.map { path in
            // Read and checked as a run reads it, then stored as text.
            _ = try RunConfigurationFile(contentsOf: path)
            return try String(contentsOfFile: path, encoding: .utf8)
        }
        let schedule = try await definition.schedule(
            name, timing, parameters: values, configuration: configuration, on: try await stack.open(), at: now)
        let next = schedule.timing.nextOccurrence(after: now)
        print("Created schedule '\(schedule.name)' of pipeline '\(schedule.pipelineName)'; next run \(next.map { $0.formatted(.iso8601) } ?? "never").")
        print("Run `\(CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? "executable") scheduler` to fire it.")
    }
}
