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
    /// The environment variables of the step's options and its pipeline's, which the step sees, and
    /// the values of the secrets it names, each key upper-cased (`token` → `TOKEN`).
    ///
    /// Steps running in process read them here: Cairn never changes the process-wide environment
    /// while steps run concurrently. A step running in its own process also has them in its real
    /// environment.
    public let environment: [String: String]
    /// What the pipeline's `onInit` hook returned, if it has one.
    public let initState: (any Sendable)?
    /// Where ``log(metadata:)`` and its variants collect metadata until the step ends.
    public let metadataLog: StepMetadataLog
    /// A logger labelled with the step's invocation.
    public let logger: Logger

    /// Makes a context.
    public init(
        stepRunID: String, runID: String, runName: String, pipelineName: String, invocation: String,
        environment: [String: String] = [:], initState: (any Sendable)? = nil, metadataLog: StepMetadataLog = StepMetadataLog(),
        logger: Logger
    ) {
        self.stepRunID = stepRunID
        self.runID = runID
        self.runName = runName
        self.pipelineName = pipelineName
        self.invocation = invocation
        self.environment = environment
        self.initState = initState
        self.metadataLog = metadataLog
        self.logger = logger
    }

    /// The context of the step running in this task, or `nil` outside a step.
    @TaskLocal public static var current: StepContext?
}
