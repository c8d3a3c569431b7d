import ArgumentParser
import Cairn
import Foundation

/// `cairn schedule activate NAME`: the schedule fires again, from now on.
struct ScheduleActivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activate", abstract: "Make a schedule fire again; occurrences due while it was inactive do not run.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The schedule's name.")
    var name: String

    func run() async throws {
        try await ScheduleActivity.set(true, name: name, options: options, command: "activate")
    }
}

/// `cairn schedule deactivate NAME`: the schedule is kept, but fires nothing.
struct ScheduleDeactivateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deactivate", abstract: "Stop a schedule from firing, keeping it and its history.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The schedule's name.")
    var name: String

    func run() async throws {
        try await ScheduleActivity.set(false, name: name, options: options, command: "deactivate")
    }
}

/// What `activate` and `deactivate` share.
enum ScheduleActivity {
    /// Makes the schedule `name` active or not, and says what it did.
    static func set(_ isActive: Bool, name: String, options: GlobalOptions, command: String) async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        var schedule = try await store.schedule(name) { "cairn schedule \(command) \($0)" }
        let now = Date()
        if schedule.isActive != isActive {
            schedule.isActive = isActive
            schedule.updatedAt = now
            try await store.metadata.updateSchedule(schedule)
        }
        let summary = try ScheduleSummary(schedule, now: now)
        if options.json {
            try console.json(summary)
        } else if isActive {
            console.line("Schedule '\(name)' is active; next run \(summary.nextFireTime.map { Format.date($0, utc: console.showsUTC) } ?? "never").")
        } else {
            console.line("Schedule '\(name)' is inactive: it fires nothing until `cairn schedule activate \(name)`.")
        }
    }
}
