import ArgumentParser
import Cairn
public import CairnCore

/// The commands of a pipeline executable: `list`, `run`, the out-of-process `step run`, and
/// `config template`.
///
/// ```swift
/// // main.swift of an executable target
/// import Cairn
///
/// await CairnCLI.main(pipelines: [training, evaluation])
/// ```
///
/// ```console
/// $ swift run my-pipelines list
/// $ swift run my-pipelines run training --param learning_rate=0.05
/// $ swift run my-pipelines config template training > training.yaml
/// $ swift run my-pipelines run training --config training.yaml
/// ```
///
/// Every mistake is an error that names the problem and what to do, on standard error, and the
/// process exits with:
///
/// - 0: the command did what it was asked;
/// - 1: a run or step failed, or the command could not do its work (an unknown run, a store that
///   cannot be used, a configuration file or parameter that is wrong);
/// - 64: the command line itself is wrong (an unknown command, option or pipeline), with the usage;
/// - 75: a `step run` process stopped because the process that started it ended.
public enum CairnCLI {
    /// Parses the process's arguments and runs the command; exits the process when done.
    public static func main(pipelines: [any PipelineDefinition], arguments: [String]? = nil) async {
        await CommandEnvironment.$pipelines.withValue(pipelines) {
            await PipelineCommand.main(arguments)
        }
    }
}

/// The pipelines of the executable, for the commands, which ArgumentParser creates by type.
enum CommandEnvironment {
    @TaskLocal static var pipelines: [any PipelineDefinition] = []

    /// The pipeline named `name`, or an error that lists the known ones and suggests the closest.
    static func pipeline(named name: String) throws -> any PipelineDefinition {
        if let pipeline = pipelines.first(where: { $0.name == name }) { return pipeline }
        let names = pipelines.map(\.name)
        throw ValidationError(
            "no pipeline named '\(name)'"
                + (Suggestion.closest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? "")
                + " Known pipelines: \(names.joined(separator: ", ")).")
    }
}

struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "pipelines") },
        abstract: "Runs this executable's Cairn pipelines.",
        subcommands: [
            ListCommand.self, RunCommand.self, ResumeCommand.self, RerunCommand.self, ExplainCommand.self, StepCommand.self, ConfigCommand.self,
            ScheduleCommand.self, SchedulerCommand.self,
        ])
}
