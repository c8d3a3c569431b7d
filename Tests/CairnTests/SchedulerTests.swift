import Cairn
import CairnFileStore
import CairnScheduler
import CairnTesting
import Foundation
import ServiceLifecycleTestKit
import Testing

struct Increment: Codable, Sendable {
    var value = 1
}

@Step
func scheduledIncrement(value: Int) -> Int {
    value + 1
}

/// Says it started, then waits until the test releases it.
@Step
func awaitRelease(label: String) async -> String {
    Latches.open(label + "-started")
    await Latches.wait(for: label + "-release")
    return label
}

/// Says it started, then waits until its task is cancelled.
@Step
func awaitCancellation(label: String) async throws -> String {
    Latches.open(label + "-started")
    try await Task.sleep(for: .seconds(86_400))
    return label
}

let incrementing = Pipeline("incrementing", parameters: Increment()) { parameters in
    return ["next": scheduledIncrementStep(value: parameters.value)]
}

/// A stack on a store of `kind`, with artifacts in a temporary folder, and what removes it.
func makeSchedulingStack(_ kind: StoreKind) async throws -> (stack: Stack, cleanup: @Sendable () -> Void) {
    let (metadata, cleanup) = try await makeStore(kind)
    let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-artifacts-\(UUID().uuidString)")
    let stack = Stack(metadata: metadata, artifacts: try LocalArtifactStore(root: folder), orchestrator: InProcessOrchestrator())
    return (stack, { cleanup(); try? FileManager.default.removeItem(at: folder) })
}

@Suite("Scheduler", .timeLimit(.minutes(5)))
struct SchedulerTests {
    /// 2026-01-01T00:00:00Z.
    static let origin = Date(timeIntervalSince1970: 1_767_225_600)

    /// A scheduler of `pipelines` on the test clock, claiming as scheduler `number`.
    ///
    /// The clock jumps while runs start: a claim must not go stale before its run is recorded, as it
    /// never does when claims take milliseconds and the stale age minutes, unless the test says so.
    static func scheduler(
        _ stack: Stack, clock: ManualClock, number: Int32 = 1, pipelines: [any PipelineDefinition] = [incrementing],
        staleClaimAge: Duration = .seconds(365 * 86_400)
    ) -> Scheduler {
        Scheduler(
            stack: stack, pipelines: pipelines, clock: clock,
            configuration: SchedulerConfiguration(
                claimant: RunOwner(host: "scheduler-test", processID: number), staleClaimAge: staleClaimAge, gracePeriod: .seconds(30)),
            logger: Logger(label: "scheduler-test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// Runs `schedulers` while the clock moves by each of `steps`, each time until all of them have
    /// looked and sleep again; then shuts them down gracefully, and returns once their runs have ended.
    static func run(_ schedulers: [Scheduler], clock: ManualClock, steps: [TimeInterval]) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for scheduler in schedulers { group.addTask { try await scheduler.run() } }
                await clock.waitForSleepers(schedulers.count)
                for step in steps {
                    clock.advance(by: step)
                    await clock.waitForSleepers(schedulers.count)
                }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    /// The fire times of a schedule's occurrences, as seconds after ``origin``, oldest first, and whether each has a run.
    static func occurrences(of name: String, in stack: Stack) async throws -> [(seconds: Int, hasRun: Bool)] {
        let schedule = try #require(try await stack.metadata.schedule(named: name))
        return try await stack.metadata.occurrences(ofSchedule: schedule.id, limit: 10_000).reversed().map {
            (Int($0.fireTime.timeIntervalSince(origin).rounded()), $0.runID != nil)
        }
    }

    @Test("with catch-up, each missed occurrence runs once, oldest first, recorded with its schedule; without, only the latest")
    func catchUp() async throws {
        let (stack, cleanup) = try await makeSchedulingStack(.sqlite)
        defer { cleanup() }
        let clock = ManualClock(now: Self.origin)
        try await incrementing.schedule(
            "caught-up", try ScheduleTiming(.interval(every: 60, from: Self.origin), catchUp: true), parameters: Increment(value: 41), on: stack,
            at: Self.origin)
        try await incrementing.schedule("latest", try ScheduleTiming(.interval(every: 60, from: Self.origin)), on: stack, at: Self.origin)
        try await Self.run([Self.scheduler(stack, clock: clock)], clock: clock, steps: [5 * 60 + 30])

        #expect(try await Self.occurrences(of: "caught-up", in: stack).map(\.seconds) == [60, 120, 180, 240, 300])
        #expect(try await Self.occurrences(of: "latest", in: stack).map(\.seconds) == [300])
        let runs = try await stack.metadata.runs(RunQuery(tag: "schedule:caught-up", limit: 100))
        #expect(runs.count == 5 && runs.allSatisfy { $0.status == .completed })
        let schedule = try #require(try await stack.metadata.schedule(named: "caught-up"))
        let latest = try #require(try await stack.metadata.occurrences(ofSchedule: schedule.id, limit: 1).first)
        let runID = try #require(latest.runID)
        let run = try #require(try await stack.metadata.run(id: runID))
        #expect(try await stack.metadata.metadata(of: .run(id: run.id)) == ["schedule": "caught-up", "scheduled_for": "2026-01-01T00:05:00Z"])
        let result = RunResult(run: run, stack: stack)
        #expect(try await result.output("next", as: Int.self) == 42, "the schedule's parameters reached the run")
        #expect(latest.claimedAt.timeIntervalSince(latest.fireTime) == 30, "it fired when the clock showed 5 min 30 s")
    }

    @Test("nothing runs at or after the end; a deactivated schedule fires nothing, and once activated again, only what comes after")
    func endAndDeactivation() async throws {
        let (stack, cleanup) = try await makeSchedulingStack(.sqlite)
        defer { cleanup() }
        let clock = ManualClock(now: Self.origin)
        try await incrementing.schedule(
            "ending", try ScheduleTiming(.interval(every: 60, from: Self.origin), endsAt: Self.origin.addingTimeInterval(150), catchUp: true),
            on: stack, at: Self.origin)
        var paused = try await incrementing.schedule(
            "paused", try ScheduleTiming(.interval(every: 60, from: Self.origin), catchUp: true), on: stack, at: Self.origin)
        paused.isActive = false
        try await stack.metadata.updateSchedule(paused)
        let scheduler = Self.scheduler(stack, clock: clock)
        try await Self.run([scheduler], clock: clock, steps: [60, 60, 60, 60])
        #expect(try await Self.occurrences(of: "ending", in: stack).map(\.seconds) == [60, 120])
        #expect(try await Self.occurrences(of: "paused", in: stack).isEmpty)

        paused.isActive = true
        paused.updatedAt = clock.now
        try await stack.metadata.updateSchedule(paused)
        try await Self.run([scheduler], clock: clock, steps: [100])
        #expect(try await Self.occurrences(of: "paused", in: stack).map(\.seconds) == [300], "the occurrences before it was activated do not run")
    }

    @Test("a claim left without a run by a dead scheduler is taken over once stale, and run")
    func staleClaimTakenOver() async throws {
        let (stack, cleanup) = try await makeSchedulingStack(.sqlite)
        defer { cleanup() }
        let clock = ManualClock(now: Self.origin.addingTimeInterval(60))
        let schedule = try await incrementing.schedule(
            "orphaned", try ScheduleTiming(.interval(every: 60, from: Self.origin), catchUp: true), on: stack, at: Self.origin)
        let dead = RunOwner(host: "gone", processID: 999)
        #expect(try await stack.metadata.claimOccurrence(
            scheduleID: schedule.id, fireTime: Self.origin.addingTimeInterval(60), claimant: dead, at: clock.now, takingOverClaimsBefore: .distantPast))

        let scheduler = Self.scheduler(stack, clock: clock, staleClaimAge: .seconds(300))
        try await Self.run([scheduler], clock: clock, steps: [30])
        #expect(try await Self.occurrences(of: "orphaned", in: stack).map(\.hasRun) == [false], "30 s old: not stale yet")

        try await Self.run([scheduler], clock: clock, steps: [300])
        let occurrences = try await stack.metadata.occurrences(ofSchedule: schedule.id, limit: 100).reversed()
        #expect(occurrences.map { Int($0.fireTime.timeIntervalSince(Self.origin)) } == [60, 120, 180, 240, 300, 360])
        #expect(occurrences.allSatisfy { $0.runID != nil && $0.claimant == scheduler.configuration.claimant })
    }

    @Test("on a graceful shutdown, a run in flight finishes, and the scheduler returns after it")
    func gracefulShutdownLetsRunsFinish() async throws {
        let (stack, cleanup) = try await makeSchedulingStack(.sqlite)
        defer { cleanup() }
        let label = "graceful-\(UUID().uuidString)"
        let held = Pipeline("held") { return ["label": awaitReleaseStep(label: .constant(label))] }
        try await held.schedule("held", try ScheduleTiming(.once(at: Self.origin.addingTimeInterval(10))), on: stack, at: Self.origin)
        let clock = ManualClock(now: Self.origin)
        let scheduler = Self.scheduler(stack, clock: clock, pipelines: [held])
        try await testGracefulShutdown { trigger in
            async let running: Void = scheduler.run()
            await clock.waitForSleepers(1)
            clock.advance(by: 10)
            await Latches.wait(for: label + "-started")
            trigger.triggerGracefulShutdown()
            await clock.waitForSleepers(1, until: clock.now.addingTimeInterval(30))
            Latches.open(label + "-release")
            try await running
        }
        let runs = try await stack.metadata.runs(RunQuery(tag: "schedule:held"))
        #expect(runs.map(\.status) == [.completed])
    }

    @Test("a run still going when the grace period ends is stopped, and so is one whose scheduler is cancelled")
    func gracePeriodStopsRuns() async throws {
        let (stack, cleanup) = try await makeSchedulingStack(.sqlite)
        defer { cleanup() }
        let label = "stopped-\(UUID().uuidString)"
        let endless = Pipeline("endless") { return ["label": awaitCancellationStep(label: .constant(label))] }
        try await endless.schedule("endless", try ScheduleTiming(.once(at: Self.origin.addingTimeInterval(10))), on: stack, at: Self.origin)
        let clock = ManualClock(now: Self.origin)
        let scheduler = Self.scheduler(stack, clock: clock, pipelines: [endless])
        try await testGracefulShutdown { trigger in
            async let running: Void = scheduler.run()
            await clock.waitForSleepers(1)
            clock.advance(by: 10)
            await Latches.wait(for: label + "-started")
            trigger.triggerGracefulShutdown()
            await clock.waitForSleepers(1, until: clock.now.addingTimeInterval(30))
            clock.advance(by: 30)
            try await running
        }
        let stopped = try await stack.metadata.runs(RunQuery(tag: "schedule:endless"))
        #expect(stopped.map(\.status) == [.stopped])
        let stoppedRun = try #require(stopped.first)
        #expect(try await stack.metadata.stepRuns(runID: stoppedRun.id).map(\.status).contains(.stopped))
        #expect(stoppedRun.error?.contains("the run was stopped before its steps ended") == true)

        let cancelledLabel = "cancelled-\(UUID().uuidString)"
        let cancelled = Pipeline("cancelled") { return ["label": awaitCancellationStep(label: .constant(cancelledLabel))] }
        try await cancelled.schedule("cancelled", try ScheduleTiming(.once(at: clock.now.addingTimeInterval(10))), on: stack, at: clock.now)
        let second = Self.scheduler(stack, clock: clock, pipelines: [cancelled])
        let task = Task { try await second.run() }
        await clock.waitForSleepers(1)
        clock.advance(by: 10)
        await Latches.wait(for: cancelledLabel + "-started")
        task.cancel()
        try await task.value
        #expect(try await stack.metadata.runs(RunQuery(tag: "schedule:cancelled")).map(\.status) == [.stopped])
    }

    @Test("three schedulers on one store run each of 1,000 occurrences exactly once", arguments: StoreKind.allCases)
    func threeSchedulers(kind: StoreKind) async throws {
        let (stack, cleanup) = try await makeSchedulingStack(kind)
        defer { cleanup() }
        let clock = ManualClock(now: Self.origin)
        let schedule = try await incrementing.schedule(
            "raced", try ScheduleTiming(.interval(every: 60, from: Self.origin), catchUp: true), on: stack, at: Self.origin)
        let schedulers = (1...3).map { Self.scheduler(stack, clock: clock, number: Int32($0)) }
        // Ten occurrences come due at each step, and the three race for them.
        try await Self.run(schedulers, clock: clock, steps: Array(repeating: 600, count: 100))

        let occurrences = try await stack.metadata.occurrences(ofSchedule: schedule.id, limit: 2_000)
        #expect(occurrences.count == 1_000)
        #expect(Set(occurrences.map(\.fireTime)).count == 1_000)
        let runIDs = occurrences.compactMap(\.runID)
        #expect(runIDs.count == 1_000 && Set(runIDs).count == 1_000, "each occurrence has a run of its own")
        let runs = try await stack.metadata.runs(RunQuery(tag: "schedule:raced", limit: 2_000))
        #expect(runs.count == 1_000, "no occurrence ran twice")
        #expect(Set(runs.map(\.id)) == Set(runIDs))
        #expect(runs.allSatisfy { $0.status == .completed })
    }
}
