import ArgumentParser

/// `cairn schedule …`.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "List, show and change the stack's schedules.",
        discussion: """
            A pipeline executable creates schedules (`<executable> schedule create NAME --pipeline P --cron "0 2 * * *"`) \
            and fires them (`<executable> scheduler`).
            """,
        subcommands: [
            ScheduleListCommand.self, ScheduleShowCommand.self, ScheduleActivateCommand.self, ScheduleDeactivateCommand.self,
            ScheduleUpdateCommand.self, ScheduleDeleteCommand.self,
        ])
}
