import ArgumentParser
import CairnCore
import CairnRuntime
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Runs a pipeline.",
        discussion: "Parameters not given keep their defaults; `list` shows them.")

    @Argument(help: "The pipeline to run.")
    var pipeline: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Sets a parameter.", valueName: "key=value"))
    var parameters: [String] = []

    @Flag(name: .customLong("no-cache"), help: "Runs every step, reusing no earlier outputs.")
    var noCache = false

    @Option(help: "Where steps run: in_process (default) or subprocess (each step in its own process).")
    var orchestrator: OrchestratorChoice = .inProcess

    @Option(help: "The store folder; default: $CAIRN_HOME, or the nearest .cairn folder.")
    var store: String?

    func run() async throws {
        let definition = try CommandEnvironment.pipeline(named: pipeline)
        let defaults = try definition.defaultParameters.objectValue ?? [:]
        var overrides: [String: JSONValue] = [:]
        for text in parameters {
            let argument = try ParameterArgument(parsing: text)
            overrides[argument.key] = try argument.value(fitting: defaults[argument.key])
        }
        var compiled = try definition.compile(parameterOverrides: overrides)
        if noCache { compiled.options.enableCache = false }
        let stack = try Stack.local(at: CairnHome.resolve(explicit: store), orchestrator: orchestrator.make())
        let result = try await PipelineRunner(stack: stack, onEvent: ConsoleProgress().report).run(compiled)
        if !result.succeeded { throw ExitCode.failure }
    }
}

enum OrchestratorChoice: String, ExpressibleByArgument, CaseIterable {
    case inProcess = "in_process"
    case subprocess

    func make() -> any Orchestrator {
        self == .subprocess ? SubprocessOrchestrator() : InProcessOrchestrator()
    }
}
