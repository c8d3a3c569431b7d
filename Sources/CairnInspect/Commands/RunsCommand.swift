import ArgumentParser

/// `cairn runs …`.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List, show, draw and delete runs.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self, RunsDAGCommand.self, RunsDeleteCommand.self])
}
