import ArgumentParser
import Cairn

/// `cairn schedule delete NAME`: deletes a schedule and its occurrences; its runs stay.
struct ScheduleDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a schedule and the record of its occurrences; the runs it started stay.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The schedule's name.")
    var name: String

    @Flag(name: [.customShort("y"), .long], help: "Delete without asking.")
    var yes = false

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let schedule = try await store.schedule(name) { "cairn schedule delete \($0)" }
        if !yes {
            guard console.isInteractive else {
                throw CommandError("deleting schedule '\(name)' needs a confirmation", hint: "Add --yes: cairn schedule delete \(name) --yes")
            }
            guard console.confirm("Delete schedule '\(name)' of pipeline '\(schedule.pipelineName)'?") else {
                console.line("Nothing deleted.")
                return
            }
        }
        try await store.metadata.deleteSchedule(id: schedule.id)
        if options.json {
            try console.json(["deleted": name])
        } else {
            console.line("Deleted schedule '\(name)'; the runs it started stay.")
        }
    }
}
