import ArgumentParser

/// `cairn steps …`.
struct StepsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "steps", abstract: "Work with the steps of a run.", subcommands: [StepsLogsCommand.self])
}
