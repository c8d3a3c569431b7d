import ArgumentParser
import Cairn
import CairnCore
import CairnRuntime

/// Runs a recorded run's pipeline again, as it was run: the repair of damaged artifacts.
struct RerunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun", abstract: "Runs a recorded run's pipeline again, with the parameters and configuration it recorded.",
        discussion: """
            A new run: steps whose recorded outputs are intact are reused from the cache, and those whose outputs are \
            missing, truncated or marked unusable (`cairn artifact verify --repair`) run again, which repairs their \
            stored bytes. Unlike resume, it works on a completed run too, and leaves the recorded run as it is.
            """)

    @Argument(help: "The run's name or identifier.")
    var run: String

    @Option(help: "Where steps run, in place of the stack's orchestrator: in_process or subprocess.")
    var orchestrator: OrchestratorChoice?

    @OptionGroup var stack: StackOptions

    func run() async throws {
        let stack = try await stack.open(orchestrator: orchestrator)
        let record = try await RunLookup.find(run, in: stack.metadata)
        var pipeline = try CommandEnvironment.pipeline(named: record.pipelineName).compile(as: record)
        // The recorded run keeps its name; the new one is named as any run is by default.
        pipeline.options.runNameTemplate = RunNameTemplate.defaultTemplate
        let result = try await PipelineRunner(stack: stack, onEvent: ConsoleProgress().report).run(pipeline)
        if !result.succeeded { throw ExitCode.failure }
    }
}
