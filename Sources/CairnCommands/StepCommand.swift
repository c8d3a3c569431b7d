import ArgumentParser
import Cairn
import CairnCore
import CairnRuntime
import Foundation

struct StepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "step", abstract: "Works with single steps of recorded runs.", subcommands: [StepRunCommand.self])
}

/// The out-of-process contract: runs one step of a recorded run and records its outcome.
struct StepRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Runs one step of a recorded run, loading its inputs from the stores.",
        discussion: "Orchestrators start this in a separate process for each step. It exits with 0 when the step completed and 1 when it failed.")

    @Option(help: "The run's identifier or name.")
    var run: String

    @Option(help: "The step's invocation name in the run (for example train_2).")
    var step: String

    @Option(help: "The digest of the step's node as the run launched it; the step is refused if this executable makes another.")
    var node: String?

    @Option(help: "The identifier of the process that started this one; when it ends, this one stops too, so that no step outlives its run.")
    var parent: Int32?

    @Option(help: "The stack to open, as JSON, as an orchestrator describes it; in place of --stack and --store.")
    var stackDescription: String?

    @OptionGroup var stack: StackOptions

    @Flag(help: "Run the step even though its run has ended, adding an attempt and artifact versions to that run.")
    var allowEndedRun = false

    func run() async throws {
        if let parent { Self.stop(whenGone: parent) }
        let stack =
            if let stackDescription {
                try await Stack.open(try CanonicalJSON.decode(StackConfiguration.self, from: stackDescription), creating: false)
            } else {
                try await self.stack.open(creating: false)
            }
        let result = try await StepProcess.run(
            run: run, invocation: step, nodeDigest: node, allowingEndedRun: allowEndedRun, pipelines: CommandEnvironment.pipelines, stack: stack)
        guard result.status.isSuccessful else {
            FileHandle.standardError.write(Data("step '\(step)' \(result.status.rawValue): \(result.error ?? "")\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Ends this process soon after `parent` ends: an orchestrator killed mid-run must not leave its
    /// steps running, writing into a run already marked failed. Without the parent this process is
    /// adopted by another one, so a changed parent identifier is the sign.
    private static func stop(whenGone parent: Int32) {
        Task.detached {
            while getppid() == parent {
                try? await Task.sleep(for: .milliseconds(200))
            }
            FileHandle.standardError.write(Data("the process that started this step (\(parent)) ended; stopping\n".utf8))
            Foundation.exit(75)
        }
    }
}
