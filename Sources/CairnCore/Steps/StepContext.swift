public import Logging

/// What a running step can know about itself, read through ``StepContext/current``.
public struct StepContext: Sendable {
    /// The step run's identifier.
    public let stepRunID: String
    /// The run's identifier.
    public let runID: String
    /// The run's name.
    public let runName: String
    /// The pipeline's name.
    public let pipelineName: String
    /// The invocation's name.
    public let invocation: String
    /// A logger labelled with the step's invocation.
    public let logger: Logger

    /// Makes a context.
    public init(stepRunID: String, runID: String, runName: String, pipelineName: String, invocation: String, logger: Logger) {
        self.stepRunID = stepRunID
        self.runID = runID
        self.runName = runName
        self.pipelineName = pipelineName
        self.invocation = invocation
        self.logger = logger
    }

    /// The context of the step running in this task, or `nil` outside a step.
    @TaskLocal public static var current: StepContext?
}
