import ArgumentParser
import Cairn
import CairnCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Works with YAML run configurations.", subcommands: [ConfigTemplateCommand.self])
}

/// Prints a configuration file for a pipeline, to edit and pass to `run --config`.
struct ConfigTemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Prints a YAML run configuration with every key and its current value.",
        discussion: "Save it, edit it, and pass it to `run PIPELINE --config FILE`. As printed, it changes nothing.")

    @Argument(help: "The pipeline.")
    var pipeline: String

    func run() async throws {
        let compiled = try CommandEnvironment.pipeline(named: pipeline).compile(parameterOverrides: [:])
        print(RunConfigurationFile.template(for: compiled), terminator: "")
    }
}
