import CairnCore
import Foundation
import Testing

extension MetadataStoreConformance {
    /// Schedules: kept, changed and deleted; each occurrence claimed once, a dead scheduler's claim taken over.
    static let scheduleChecks: [ConformanceCheck<any MetadataStore>] = [
        ConformanceCheck("Schedules of every timing round-trip, are listed by name, changed and deleted; a name taken is refused, writing nothing", scheduleLifecycle),
        ConformanceCheck("An occurrence is claimed once; only its claimant records its run; a claim with no run is taken over only once stale", occurrenceClaims),
        ConformanceCheck("Three schedulers racing over 1,000 occurrences claim each exactly once", racingClaims),
    ]

    /// Three schedules, one of each timing kind.
    static func sampleSchedules() throws -> [ScheduleRecord] {
        [
            ScheduleRecord(
                name: "nightly", pipelineName: "training",
                timing: try ScheduleTiming(.cron(CronExpression("0 2 * * MON-FRI"), timeZone: "Europe/London"), catchUp: true),
                parameters: #"{"rate":0.1}"#, configuration: "enable_cache: false\n", createdAt: StoreSamples.date(0)),
            ScheduleRecord(
                name: "every-minute", pipelineName: "training",
                timing: try ScheduleTiming(.interval(every: 60, from: StoreSamples.date(5)), endsAt: StoreSamples.date(3600)),
                createdAt: StoreSamples.date(1)),
            ScheduleRecord(
                name: "once", pipelineName: "report", timing: try ScheduleTiming(.once(at: StoreSamples.date(100))), isActive: false,
                createdAt: StoreSamples.date(2)),
        ]
    }

    static func scheduleLifecycle(_ store: any MetadataStore) async throws {
        let samples = try sampleSchedules()
        for schedule in samples { try await store.createSchedule(schedule) }
        #expect(try await store.schedules() == samples.sorted { $0.name < $1.name })
        #expect(try await store.schedule(named: "nightly") == samples[0])
        #expect(try await store.schedule(named: "nightl") == nil)

        var taken = samples[1]
        taken.id = RandomIdentifier.make()
        taken.pipelineName = "other"
        await #expect(throws: CairnError.nameTaken(kind: "schedule", name: "every-minute")) { try await store.createSchedule(taken) }
        #expect(try await store.schedules().count == 3, "the refused schedule wrote nothing")

        var changed = samples[0]
        changed.timing = try ScheduleTiming(.interval(every: 7.5, from: StoreSamples.date(50)), endsAt: StoreSamples.date(90))
        changed.parameters = #"{"rate":0.2}"#
        changed.configuration = nil
        changed.isActive = false
        changed.updatedAt = StoreSamples.date(40)
        try await store.updateSchedule(changed)
        #expect(try await store.schedule(named: "nightly") == changed)

        var missing = changed
        missing.id = RandomIdentifier.make()
        await #expect(throws: CairnError.self) { try await store.updateSchedule(missing) }

        _ = try await store.claimOccurrence(
            scheduleID: changed.id, fireTime: StoreSamples.date(50), claimant: RunOwner(host: "h", processID: 1), at: StoreSamples.date(50),
            takingOverClaimsBefore: StoreSamples.date(0))
        try await store.deleteSchedule(id: changed.id)
        #expect(try await store.schedule(named: "nightly") == nil)
        #expect(try await store.occurrences(ofSchedule: changed.id, limit: 10).isEmpty, "its occurrences went with it")
        await #expect(throws: CairnError.self) { try await store.deleteSchedule(id: changed.id) }
        #expect(try await store.schedules().map(\.name) == ["every-minute", "once"])
    }

    static func occurrenceClaims(_ store: any MetadataStore) async throws {
        let schedule = try sampleSchedules()[1]
        try await store.createSchedule(schedule)
        let (first, second) = (RunOwner(host: "host-a", processID: 10), RunOwner(host: "host-b", processID: 20))
        func claim(_ seconds: Int, by claimant: RunOwner, at now: Int, staleBefore: Int = 0) async throws -> Bool {
            try await store.claimOccurrence(
                scheduleID: schedule.id, fireTime: StoreSamples.date(seconds), claimant: claimant, at: StoreSamples.date(now),
                takingOverClaimsBefore: StoreSamples.date(staleBefore))
        }

        #expect(try await claim(65, by: first, at: 66))
        #expect(try await !claim(65, by: second, at: 66), "claimed already")
        #expect(try await !claim(65, by: first, at: 66), "even its claimant cannot claim it twice")
        #expect(try await !store.recordOccurrenceRun(scheduleID: schedule.id, fireTime: StoreSamples.date(65), runID: "run-b", claimant: second))
        #expect(try await store.recordOccurrenceRun(scheduleID: schedule.id, fireTime: StoreSamples.date(65), runID: "run-a", claimant: first))
        #expect(try await !store.recordOccurrenceRun(scheduleID: schedule.id, fireTime: StoreSamples.date(65), runID: "run-c", claimant: first))
        #expect(try await !claim(65, by: second, at: 1000, staleBefore: 900), "a claim with a run is never taken over")

        // A scheduler claims 125 and dies before it starts the run.
        #expect(try await claim(125, by: first, at: 126))
        #expect(try await !claim(125, by: second, at: 130, staleBefore: 126), "not stale yet: claimed at 126, not before")
        #expect(try await claim(125, by: second, at: 200, staleBefore: 127), "taken over")
        #expect(try await !claim(125, by: first, at: 201, staleBefore: 127), "taken over once")
        #expect(try await !store.recordOccurrenceRun(scheduleID: schedule.id, fireTime: StoreSamples.date(125), runID: "late", claimant: first))
        #expect(try await store.recordOccurrenceRun(scheduleID: schedule.id, fireTime: StoreSamples.date(125), runID: "run-d", claimant: second))

        #expect(try await claim(185, by: first, at: 186))
        let occurrences = try await store.occurrences(ofSchedule: schedule.id, limit: 2)
        #expect(occurrences == [
            ScheduleOccurrence(scheduleID: schedule.id, fireTime: StoreSamples.date(185), claimant: first, claimedAt: StoreSamples.date(186)),
            ScheduleOccurrence(scheduleID: schedule.id, fireTime: StoreSamples.date(125), claimant: second, claimedAt: StoreSamples.date(200), runID: "run-d"),
        ])
        #expect(try await store.occurrences(ofSchedule: schedule.id, limit: 10).map(\.runID) == [nil, "run-d", "run-a"])

        await #expect(throws: CairnError.self) {
            try await store.claimOccurrence(
                scheduleID: RandomIdentifier.make(), fireTime: StoreSamples.date(0), claimant: first, at: StoreSamples.date(0),
                takingOverClaimsBefore: StoreSamples.date(0))
        }
    }

    static func racingClaims(_ store: any MetadataStore) async throws {
        let schedule = try sampleSchedules()[1]
        try await store.createSchedule(schedule)
        let count = 1_000
        let claimants = (1...3).map { RunOwner(host: "scheduler-\($0)", processID: Int32($0)) }
        let won = try await withThrowingTaskGroup(of: [Int].self) { group in
            for (index, claimant) in claimants.enumerated() {
                group.addTask {
                    // Each goes through the occurrences in an order of its own, so that they meet everywhere.
                    var generator = SeededGenerator(seed: UInt64(index + 1))
                    var claimed: [Int] = []
                    for occurrence in (0..<count).shuffled(using: &generator) {
                        let fireTime = StoreSamples.date(occurrence * 60)
                        if try await store.claimOccurrence(
                            scheduleID: schedule.id, fireTime: fireTime, claimant: claimant, at: fireTime, takingOverClaimsBefore: .distantPast)
                        {
                            claimed.append(occurrence)
                            try await store.recordOccurrenceRun(scheduleID: schedule.id, fireTime: fireTime, runID: "run-\(occurrence)", claimant: claimant)
                        }
                    }
                    return claimed
                }
            }
            return try await group.reduce(into: []) { $0.append(contentsOf: $1) }
        }
        #expect(won.count == count && Set(won).count == count, "each occurrence claimed by exactly one scheduler")
        let recorded = try await store.occurrences(ofSchedule: schedule.id, limit: count + 1)
        #expect(recorded.count == count && recorded.allSatisfy { $0.runID == "run-\(Int($0.fireTime.timeIntervalSince(StoreSamples.date(0))) / 60)" })
    }
}
