import Cairn
import CairnCore
public import Foundation

extension Scheduler {
    /// Looks once: claims and starts every due occurrence of the active schedules of the pipelines it
    /// serves, and takes over stale claims.
    ///
    /// - Returns: The next time an occurrence of one of them is due, if any is.
    @discardableResult
    public func fireDueOccurrences() async throws -> Date? {
        var next: Date?
        for schedule in try await stack.metadata.schedules() where schedule.isActive {
            guard let pipeline = pipelines.first(where: { $0.name == schedule.pipelineName }) else {
                if unserved.withLock({ $0.insert(schedule.id).inserted }) {
                    logger.notice(
                        "schedule '\(schedule.name)' runs pipeline '\(schedule.pipelineName)', which this scheduler does not serve; a scheduler that serves it must run")
                }
                continue
            }
            do {
                try await fireDueOccurrences(of: schedule, pipeline: pipeline)
            } catch {
                logger.error("cannot fire schedule '\(schedule.name)': \(error)")
            }
            if let due = schedule.timing.nextOccurrence(after: clock.now), due < next ?? .distantFuture { next = due }
        }
        return next
    }

    /// Takes over the schedule's stale claims, then claims and starts its due occurrences.
    private func fireDueOccurrences(of schedule: ScheduleRecord, pipeline: any PipelineDefinition) async throws {
        let metadata = stack.metadata
        let now = clock.now
        let staleBefore = now.addingTimeInterval(-Seconds.of(configuration.staleClaimAge))
        let recent = try await metadata.occurrences(ofSchedule: schedule.id, limit: configuration.recentOccurrences)
        // A claim with no run, old enough, was left by a scheduler that died before it started the run.
        // Without catch-up, only the latest occurrence is worth running late; with it, the oldest runs first.
        for occurrence in recent.reversed() where occurrence.runID == nil && occurrence.claimedAt < staleBefore {
            guard schedule.timing.catchUp || occurrence == recent.first else { continue }
            if try await claim(schedule, at: occurrence.fireTime, now: now, staleBefore: staleBefore) {
                logger.warning(
                    "took over the occurrence of '\(schedule.name)' due at \(occurrence.fireTime.formatted(.iso8601)) from \(occurrence.claimant), which never started it")
                start(schedule, pipeline: pipeline, dueAt: occurrence.fireTime)
            }
        }
        let last = max(recent.first?.fireTime ?? .distantPast, schedule.updatedAt)
        let (due, dropped) = schedule.timing.dueOccurrences(after: last, now: now)
        if dropped > 0 {
            let kept = schedule.timing.catchUp ? "catch-up runs the latest \(ScheduleTiming.catchUpLimit)" : "only the latest runs, without catch-up"
            logger.warning("schedule '\(schedule.name)' missed \(dropped) occurrence(s) while no scheduler ran; \(kept)")
        }
        for fireTime in due where try await claim(schedule, at: fireTime, now: now, staleBefore: staleBefore) {
            start(schedule, pipeline: pipeline, dueAt: fireTime)
        }
    }

    /// Claims one occurrence for this scheduler.
    private func claim(_ schedule: ScheduleRecord, at fireTime: Date, now: Date, staleBefore: Date) async throws -> Bool {
        try await stack.metadata.claimOccurrence(
            scheduleID: schedule.id, fireTime: fireTime, claimant: configuration.claimant, at: now, takingOverClaimsBefore: staleBefore)
    }

    /// Starts a run of a claimed occurrence, as a task of its own.
    private func start(_ schedule: ScheduleRecord, pipeline: any PipelineDefinition, dueAt fireTime: Date) {
        runs.start { [self] in
            do {
                try await run(schedule, pipeline: pipeline, dueAt: fireTime)
            } catch {
                logger.error("the run of schedule '\(schedule.name)' due at \(fireTime.formatted(.iso8601)) did not start: \(error)")
            }
        }
    }

    /// Runs the occurrence: its run is recorded as the occurrence's as soon as it starts.
    private func run(_ schedule: ScheduleRecord, pipeline: any PipelineDefinition, dueAt fireTime: Date) async throws {
        var compiled = try schedule.compile(pipeline)
        compiled.options.tags.append("schedule:\(schedule.name)")
        let (metadata, claimant, logger) = (stack.metadata, configuration.claimant, logger)
        let recording = Locked<Task<Void, Never>?>(nil)
        let runner = PipelineRunner(stack: stack) { event in
            guard case .runStarted(let run) = event else { return }
            logger.info("started run '\(run.name)' of schedule '\(schedule.name)', due at \(fireTime.formatted(.iso8601))")
            recording.withLock {
                $0 = Task {
                    do {
                        try await metadata.logMetadata(
                            ["schedule": .string(schedule.name), "scheduled_for": .string(fireTime.formatted(.iso8601))], on: .run(id: run.id))
                        if try await !metadata.recordOccurrenceRun(scheduleID: schedule.id, fireTime: fireTime, runID: run.id, claimant: claimant) {
                            logger.error("the occurrence of '\(schedule.name)' due at \(fireTime.formatted(.iso8601)) was taken over while run '\(run.name)' started")
                        }
                    } catch {
                        logger.error("cannot record run '\(run.name)' as the occurrence of '\(schedule.name)': \(error)")
                    }
                }
            }
        }
        let result = try await runner.run(compiled)
        await recording.withLock { $0 }?.value
        logger.info("run '\(result.run.name)' of schedule '\(schedule.name)' ended \(result.run.status.rawValue)")
    }
}
