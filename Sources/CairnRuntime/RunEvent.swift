public import CairnCore

/// Something that happened during a run, for progress displays.
public enum RunEvent: Sendable {
    /// The run was recorded and is about to start its steps.
    case runStarted(RunRecord)
    /// A step was handed to the orchestrator.
    case stepStarted(invocation: String)
    /// A step ended: completed, cached, failed, stopped or skipped.
    case stepFinished(StepResult)
    /// Something the user should know, such as a reused step whose code changed since.
    case warning(String)
    /// The run ended.
    case runFinished(RunRecord)
}
