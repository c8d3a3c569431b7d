public import Foundation

/// A run as listings show it: its status and times, and how far its steps got, without its graph
/// and configuration.
public struct RunSummary: Sendable, Equatable, Identifiable {
    /// The run's unique identifier.
    public var id: String
    /// The run's unique name.
    public var name: String
    /// The pipeline's name.
    public var pipelineName: String
    /// The run's status.
    public var status: ExecutionStatus
    /// When the run started.
    public var startedAt: Date
    /// When the run finished.
    public var endedAt: Date?
    /// Why the run failed.
    public var error: String?
    /// How many steps the run's graph has.
    public var plannedStepCount: Int
    /// How many of its step runs have each status; statuses without step runs are left out.
    public var stepRunCounts: [ExecutionStatus: Int]

    /// Makes a summary.
    public init(
        id: String, name: String, pipelineName: String, status: ExecutionStatus, startedAt: Date, endedAt: Date? = nil,
        error: String? = nil, plannedStepCount: Int, stepRunCounts: [ExecutionStatus: Int] = [:]
    ) {
        self.id = id
        self.name = name
        self.pipelineName = pipelineName
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.error = error
        self.plannedStepCount = plannedStepCount
        self.stepRunCounts = stepRunCounts
    }
}
