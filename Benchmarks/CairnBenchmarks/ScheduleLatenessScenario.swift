import Cairn
import CairnScheduler
import CairnTesting
import Foundation

/// A schedule every minute, watched for 5 minutes by a scheduler on the system's clock: how late
/// each occurrence was claimed, and how late its run started, after its due time. The goal is under
/// 1 s. Tiny: every second, for 3 seconds. With catch-up, so that an occurrence fired late is
/// still fired, and counted.
enum ScheduleLatenessScenario {
    static func run() async throws -> [Figure] {
        let store = try TemporaryStore()
        defer { store.remove() }
        let occurrences = BenchmarkSize.scaled(5, tiny: 3)
        let created = Date()
        let timing =
            BenchmarkSize.isTiny
            ? try ScheduleTiming(.interval(every: 1, from: created.addingTimeInterval(1)), catchUp: true)
            : try ScheduleTiming(.cron(CronExpression("* * * * *"), timeZone: "UTC"), catchUp: true)
        let pipeline = Pipeline("every_minute") { _ = Scenarios.increment(0) }
        let schedule = try await pipeline.schedule("every-minute", timing, on: store.stack, at: created)
        var last = created
        for _ in 0..<occurrences { last = try required(timing.nextOccurrence(after: last), "an occurrence") }

        let scheduler = Scheduler(stack: store.stack, pipelines: [pipeline], logger: Logger(label: "benchmark") { _ in SwiftLogNoOpLogHandler() })
        let watching = Task { try await scheduler.run() }
        // Until every occurrence up to the last has fired and its run is recorded: lateness is what
        // is measured, so a busy machine makes the figures worse rather than the scenario fail. A
        // minute past the last occurrence, the occurrences still missing are missing for good.
        try await Task.sleep(for: .seconds(max(0, last.timeIntervalSinceNow)))
        let deadline = last.addingTimeInterval(60)
        var fired: [ScheduleOccurrence] = []
        while true {
            fired = try await store.stack.metadata.occurrences(ofSchedule: schedule.id, limit: 100).filter { $0.fireTime <= last }
            if fired.count == occurrences && fired.allSatisfy({ $0.runID != nil }) || Date() > deadline { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        watching.cancel()
        try await watching.value
        // An occurrence that did not fire is a figure, not a failure of the scenario: it is what the
        // scenario exists to show (the scheduler's tests check exactly-once on an injected clock).
        guard !fired.isEmpty else { throw CairnError.store("none of \(occurrences) occurrences fired") }
        var started: [Double] = []
        for occurrence in fired where occurrence.runID != nil {
            let run = try await store.stack.metadata.run(id: try required(occurrence.runID, "the run of an occurrence"))
            started.append(try required(run, "a scheduled run").startedAt.timeIntervalSince(occurrence.fireTime))
        }
        let claimed = fired.map { $0.claimedAt.timeIntervalSince($0.fireTime) }
        let label = "schedule every minute, 5 min"
        return [
            Figure(name: "\(label): occurrences fired", value: Double(fired.count), unit: "of \(occurrences)", note: "goal: every one"),
            Figure(name: "\(label): claim lateness, median", value: median(of: claimed) * 1000, unit: "ms", note: "goal < 1,000 ms"),
            Figure(name: "\(label): claim lateness, max", value: (claimed.max() ?? 0) * 1000, unit: "ms", note: "goal < 1,000 ms"),
            Figure(name: "\(label): run start lateness, median", value: median(of: started) * 1000, unit: "ms"),
            Figure(name: "\(label): run start lateness, max", value: (started.max() ?? 0) * 1000, unit: "ms"),
        ]
    }

    /// `value`, or an error naming `what` is missing.
    private static func required<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw CairnError.store("\(what) is missing") }
        return value
    }
}
