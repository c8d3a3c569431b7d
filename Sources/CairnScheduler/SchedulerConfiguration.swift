public import CairnCore

/// How a ``Scheduler`` claims, waits and stops.
public struct SchedulerConfiguration: Sendable {
    /// Who claims occurrences: this process by default. Schedulers on one store must differ.
    public var claimant: RunOwner
    /// How long a claim with no run may stand before a scheduler takes it over, taking its claimant
    /// for dead: 5 minutes by default. It must be longer than the time from a claim to its run's
    /// start, which is milliseconds: a claimant merely that slow would see its occurrence run twice.
    public var staleClaimAge: Duration
    /// The longest a scheduler sleeps between two looks at the store, so that a new or changed schedule
    /// fires in time: 1 second by default.
    public var maximumSleep: Duration
    /// How long in-flight runs may go on after a graceful shutdown starts (SIGTERM) before they are
    /// cancelled, their running steps stopped and the run recorded as stopped: 30 seconds by default.
    public var gracePeriod: Duration
    /// How many of a schedule's latest occurrences are looked at for claims to take over.
    public var recentOccurrences: Int

    /// Makes a configuration; every value has a default.
    public init(
        claimant: RunOwner = .current, staleClaimAge: Duration = .seconds(300), maximumSleep: Duration = .seconds(1),
        gracePeriod: Duration = .seconds(30), recentOccurrences: Int = 10
    ) {
        self.claimant = claimant
        self.staleClaimAge = staleClaimAge
        self.maximumSleep = maximumSleep
        self.gracePeriod = gracePeriod
        self.recentOccurrences = recentOccurrences
    }
}
