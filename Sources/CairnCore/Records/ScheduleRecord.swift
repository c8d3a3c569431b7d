public import Foundation

/// A schedule as a store keeps it: which pipeline runs, when, with which parameters and configuration.
public struct ScheduleRecord: Sendable, Equatable {
    /// Its unique identifier.
    public var id: String
    /// Its name, unique in the store.
    public var name: String
    /// The pipeline it runs, by name: the pipeline executable that serves the scheduler must have it.
    public var pipelineName: String
    /// When it fires.
    public var timing: ScheduleTiming
    /// The run's parameters, as canonical JSON (`{}` for the pipeline's defaults).
    public var parameters: String
    /// The run configuration file the runs use, as its text, if any.
    public var configuration: String?
    /// Whether it fires: a deactivated schedule is kept, but starts nothing.
    public var isActive: Bool
    /// When it was made.
    public var createdAt: Date
    /// When it was last changed: occurrences due before its last change (its creation, an update, an
    /// activation) are not run, caught up or not.
    public var updatedAt: Date

    /// Makes a record.
    public init(
        id: String = RandomIdentifier.make(), name: String, pipelineName: String, timing: ScheduleTiming, parameters: String = "{}",
        configuration: String? = nil, isActive: Bool = true, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.pipelineName = pipelineName
        self.timing = timing
        self.parameters = parameters
        self.configuration = configuration
        self.isActive = isActive
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}

/// One occurrence of a schedule that a scheduler claimed, and the run it started.
public struct ScheduleOccurrence: Sendable, Equatable {
    /// The schedule.
    public var scheduleID: String
    /// When it was due.
    public var fireTime: Date
    /// The scheduler process that claimed it.
    public var claimant: RunOwner
    /// When it was claimed: how late it fired is this minus ``fireTime``.
    public var claimedAt: Date
    /// The run it started, once started.
    public var runID: String?

    /// Describes an occurrence.
    public init(scheduleID: String, fireTime: Date, claimant: RunOwner, claimedAt: Date, runID: String? = nil) {
        self.scheduleID = scheduleID
        self.fireTime = fireTime
        self.claimant = claimant
        self.claimedAt = claimedAt
        self.runID = runID
    }
}
