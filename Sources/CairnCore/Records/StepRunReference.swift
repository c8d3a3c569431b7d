/// A step run named the way people find it: by its run's name and its invocation.
///
/// Inspection shows where an artifact version came from and where it went as references, so that
/// a listing needs no further look-up per step run.
public struct StepRunReference: Codable, Sendable, Equatable {
    /// The step run's identifier.
    public var stepRunID: String
    /// The invocation's name in the pipeline (`train_2`).
    public var invocation: String
    /// The step's name (`train`).
    public var stepName: String
    /// The step run's status.
    public var status: ExecutionStatus
    /// The identifier of the run it belongs to.
    public var runID: String
    /// The name of the run it belongs to.
    public var runName: String
    /// The pipeline of the run.
    public var pipelineName: String

    /// Makes a reference.
    public init(
        stepRunID: String, invocation: String, stepName: String, status: ExecutionStatus, runID: String, runName: String,
        pipelineName: String
    ) {
        self.stepRunID = stepRunID
        self.invocation = invocation
        self.stepName = stepName
        self.status = status
        self.runID = runID
        self.runName = runName
        self.pipelineName = pipelineName
    }
}
