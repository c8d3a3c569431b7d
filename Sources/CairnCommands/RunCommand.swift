import ArgumentParser
import Cairn
import CairnCore
import CairnRuntime
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Runs a pipeline.",
        discussion: """
            Parameters not given keep their defaults; `list` shows them. A YAML file given with --config \
            may set the run name, options, parameters and per-step options and parameters (`config template \
            PIPELINE` writes one). --param and --no-cache win over the file.
            """)

    @Argument(help: "The pipeline to run.")
    var pipeline: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Sets a parameter.", valueName: "key=value"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("A YAML run configuration.", valueName: "file.yaml"))
    var config: String?

    @Flag(name: .customLong("no-cache"), help: "Runs every step, reusing no earlier outputs.")
    var noCache = false

    @Option(help: "Where steps run, in place of the stack's orchestrator: in_process or subprocess (each step in its own process).")
    var orchestrator: OrchestratorChoice?

    @OptionGroup var stack: StackOptions

    func run() async throws {
        let definition = try CommandEnvironment.pipeline(named: pipeline)
        let defaults = try definition.defaultParameters.objectValue ?? [:]
        var explicit: [String: JSONValue] = [:]
        for text in parameters {
            let argument = try ParameterArgument(parsing: text)
            explicit[argument.key] = try argument.value(fitting: defaults[argument.key])
        }
        let file = try config.map(RunConfigurationFile.init(contentsOf:))
        var compiled = try file?.compile(definition, parameterOverrides: explicit) ?? definition.compile(parameterOverrides: explicit)
        if noCache { compiled = compiled.disablingCache() }
        let stack = try await stack.open(orchestrator: orchestrator)
        let result = try await PipelineRunner(stack: stack, onEvent: ConsoleProgress().report).run(compiled)
        if !result.succeeded { throw ExitCode.failure }
    }
}
