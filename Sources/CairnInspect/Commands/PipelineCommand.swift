import ArgumentParser

/// `cairn pipeline …`.
struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Work with the pipelines that have runs in the store.",
        subcommands: [PipelineListCommand.self])
}
