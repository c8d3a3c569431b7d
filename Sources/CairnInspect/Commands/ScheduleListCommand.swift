import ArgumentParser
import Cairn
import Foundation

/// `cairn schedule list`: the schedules with their next fire times.
struct ScheduleListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the schedules with their next fire times.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let now = Date()
        let rows = try await store.metadata.schedules().map { try ScheduleSummary($0, now: now) }
        if options.json {
            try console.json(rows)
        } else if rows.isEmpty {
            console.line("No schedules. A pipeline executable makes one: <executable> schedule create NAME --pipeline P --cron \"0 2 * * *\"")
        } else {
            console.writeOutput(ScheduleSummary.table(rows, utc: console.showsUTC).render(color: console.usesColor))
        }
    }
}
