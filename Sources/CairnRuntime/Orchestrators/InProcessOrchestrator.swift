import CairnCore

/// Runs steps as tasks in the current process: the default.
public struct InProcessOrchestrator: Orchestrator {
    /// Makes the orchestrator.
    public init() {}

    /// `in_process`.
    public var name: String { "in_process" }

    /// Runs the step as a task of this process.
    public func runStep(_ launch: StepLaunch) async -> StepResult {
        await StepExecutor(metadata: launch.stack.metadata, artifacts: launch.stack.artifacts).execute(launch)
    }
}
