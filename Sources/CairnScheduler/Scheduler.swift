public import Cairn
public import CairnCore
import Foundation
public import Logging
public import ServiceLifecycle

/// The scheduler service: fires the stack's schedules for the pipelines it serves, each occurrence
/// once, however many schedulers watch the same store.
///
/// Each time it looks, it computes every active schedule's due occurrences (those after the latest
/// one claimed, or after the schedule's last change), claims each in the store, and starts a run of
/// the schedule's pipeline with its parameters and configuration on the stack, tagged
/// `schedule:NAME`, with the schedule and the time it was due as the run's metadata (`schedule`,
/// `scheduled_for`). It then sleeps until the next occurrence of any schedule, or for at most
/// ``SchedulerConfiguration/maximumSleep``, so that it fires within a second of the due time and
/// sees new and changed schedules as quickly.
///
/// It is a swift-service-lifecycle `Service`: run it in a `ServiceGroup` with SIGTERM as a graceful
/// shutdown signal, as `<executable> scheduler` does. On a graceful shutdown it stops claiming;
/// runs in flight finish, or are cancelled after ``SchedulerConfiguration/gracePeriod`` and recorded
/// as stopped. Cancelling its task cancels them at once.
///
/// ```swift
/// let scheduler = Scheduler(stack: try await Stack.open(StackSelection.resolve()), pipelines: [training])
/// let group = ServiceGroup(services: [scheduler], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// A claim whose scheduler died before starting its run is taken over once it is
/// ``SchedulerConfiguration/staleClaimAge`` old. Schedules of pipelines it does not serve are left to
/// the schedulers that do.
public struct Scheduler: Service {
    /// Where schedules are kept and runs go.
    public let stack: Stack
    /// The pipelines it runs, by name.
    public let pipelines: [any PipelineDefinition]
    /// What it reads the time from and sleeps on.
    public let clock: any SchedulerClock
    /// How it claims, waits and stops.
    public let configuration: SchedulerConfiguration
    /// Where it says what it fires, misses and fails to start.
    public let logger: Logger
    /// The runs it started that have not ended.
    let runs = InFlightRuns()
    /// The schedules whose pipeline it has said it does not serve, so that it says so once.
    let unserved = Locked<Set<String>>([])

    /// Makes a scheduler.
    ///
    /// - Parameters:
    ///   - stack: Where schedules are kept and runs go.
    ///   - pipelines: The pipelines it runs; schedules of others are left alone.
    ///   - clock: The system's clock, or a test's.
    ///   - configuration: How it claims, waits and stops.
    ///   - logger: Where it reports.
    public init(
        stack: Stack, pipelines: [any PipelineDefinition], clock: any SchedulerClock = SystemSchedulerClock(),
        configuration: SchedulerConfiguration = SchedulerConfiguration(), logger: Logger = Logger(label: "cairn.scheduler")
    ) {
        self.stack = stack
        self.pipelines = pipelines
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    /// Fires schedules until a graceful shutdown or cancellation, then lets the runs in flight end
    /// (cancelling them after the grace period) and returns.
    ///
    /// - Throws: Nothing of its own: a look at the store that fails is reported and tried again.
    public func run() async throws {
        logger.info("scheduler started", metadata: ["claimant": "\(configuration.claimant)", "pipelines": "\(pipelines.map(\.name))"])
        await cancelWhenGracefulShutdown {
            await watch()
        }
        let inFlight = runs.count
        if inFlight > 0 {
            logger.info("waiting for runs in flight to end", metadata: ["runs": "\(inFlight)", "grace": "\(configuration.gracePeriod)"])
        }
        let cancelled = await runs.finish(by: clock.now.addingTimeInterval(Seconds.of(configuration.gracePeriod)), on: clock)
        if cancelled > 0 { logger.warning("stopped runs still going after the grace period", metadata: ["runs": "\(cancelled)"]) }
        logger.info("scheduler stopped")
    }

    /// Looks, fires and sleeps until cancelled.
    private func watch() async {
        while !Task.isCancelled {
            var wake = clock.now.addingTimeInterval(Seconds.of(configuration.maximumSleep))
            do {
                if let next = try await fireDueOccurrences(), next < wake { wake = next }
            } catch {
                logger.error("cannot read the schedules: \(error)")
            }
            do {
                try await clock.sleep(until: wake)
            } catch {
                return
            }
        }
    }
}
