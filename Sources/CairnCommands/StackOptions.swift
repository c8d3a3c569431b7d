import ArgumentParser
import Cairn
import CairnCore
import CairnRuntime
import Foundation

/// The options that choose the stack a command of a pipeline executable uses.
struct StackOptions: ParsableArguments {
    @Option(help: "The stack to use; default: $CAIRN_STACK, else the one `cairn stack set` chose, else local.")
    var stack: String?

    @Option(help: "The local stack's folder; default: $CAIRN_HOME, or the nearest .cairn folder.")
    var store: String?

    /// Opens the chosen stack, with `orchestrator` in place of the stack's own when given.
    func open(creating: Bool = true, orchestrator: OrchestratorChoice? = nil) async throws -> Stack {
        var configuration = try StackSelection.resolve(name: stack, store: store)
        if let orchestrator { configuration.orchestrator = orchestrator.configuration }
        return try await Stack.open(configuration, creating: creating)
    }
}

enum OrchestratorChoice: String, ExpressibleByArgument, CaseIterable {
    case inProcess = "in_process"
    case subprocess

    /// The orchestrator as a stack describes it: a subprocess orchestrator starts the running executable.
    var configuration: OrchestratorConfiguration {
        self == .subprocess ? .subprocess(executable: nil) : .inProcess
    }
}
