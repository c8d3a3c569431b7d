public import Foundation

/// A run as listings show it: its status and times, how far its steps got, and the process that runs
/// it, without its graph and configuration.
///
/// The process's fields are ``RunRecord``'s: with them, a listing tells a run whose process is gone
/// from one that runs (`RunWatchdog.isAbandoned(_:host:now:)`, module `CairnRuntime`) without
/// reading the whole record, and without marking anything.
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
    /// The host of the process that runs the pipeline.
    public var host: String
    /// The identifier of the process that runs the pipeline.
    public var processID: Int32
    /// When that process started, as its host counts time (``RunRecord/processStart``).
    public var processStart: String?
    /// When the process running the pipeline last said it was alive.
    public var heartbeatAt: Date?

    /// Makes a summary.
    public init(
        id: String, name: String, pipelineName: String, status: ExecutionStatus, startedAt: Date, endedAt: Date? = nil,
        error: String? = nil, plannedStepCount: Int, stepRunCounts: [ExecutionStatus: Int] = [:], host: String, processID: Int32,
        processStart: String? = nil, heartbeatAt: Date? = nil
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
        self.host = host
        self.processID = processID
        self.processStart = processStart
        self.heartbeatAt = heartbeatAt
    }
}
