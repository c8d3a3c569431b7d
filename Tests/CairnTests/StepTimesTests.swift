import Cairn
import CairnTesting
import Foundation
import Testing

/// A step run's recorded start and end are those of its body, however it was recorded.
@Suite("Recorded step times", .timeLimit(.minutes(1)))
struct StepTimesTests {
    @Test(
        "a step that blocks for 200 ms is recorded as running 200 to 300 ms, also when it ends before the step it depends on is recorded",
        arguments: [false, true])
    func bodyTimes(endsBeforeItsProducerIsRecorded: Bool) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        var stack = store.stack
        let label = UUID().uuidString
        if endsBeforeItsProducerIsRecorded {
            // handOn's outputs are committed, then recorded, only once the blocking step's body ended.
            stack.artifacts = WaitingCommits(local: try #require(store.stack.artifacts as? LocalArtifactStore), label: label, failing: false)
        } else {
            Latches.open(label)
        }
        let pipeline = Pipeline("timed") {
            _ = blockThenConsumeStep(value: handOnStep(label: .constant(label)), label: .constant(label), milliseconds: 200)
        }
        let result = try await pipeline.run(on: stack)
        let producer = try #require(try await result.step("handOn"))
        let blocked = try #require(try await result.step("blockThenConsume"))
        let duration = try #require(blocked.duration)
        // Stored to the millisecond: 0.199 allows for rounding both ends.
        #expect(duration >= 0.199 && duration < 0.3, "recorded as running \(duration) s")
        #expect(try #require(producer.endedAt) <= blocked.startedAt, "it started after the step it depends on ended")
        let queued = try #require(blocked.queuedAt)
        #expect(queued >= producer.endedAt! && queued <= blocked.startedAt)
    }

    @Test("the run's timeline has, for each step, when it was queued, started and ended, in that order")
    func timeline() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        // One place for three steps: two of them wait for it, and the timeline shows the wait.
        let pipeline = Pipeline("queued", options: PipelineOptions(maxConcurrency: 1)) {
            for label in ["a", "b", "c"] { _ = blockStep(milliseconds: 100, label: .constant(label)) }
        }
        let result = try await pipeline.run(on: store.stack)
        let timeline = try await result.timeline
        #expect(timeline.runID == result.run.id && timeline.entries.count == 3)
        for entry in timeline.entries {
            let queued = try #require(entry.queuedAt)
            let ended = try #require(entry.endedAt)
            #expect(timeline.startedAt <= queued && queued <= entry.startedAt && entry.startedAt < ended)
            #expect(try #require(entry.ran) >= 0.099)
        }
        let waits = timeline.entries.compactMap(\.waited).sorted()
        #expect(waits.count == 3 && waits[1] >= 0.099 && waits[2] >= 0.199, "the second and third waited for the first and second: \(waits)")
        for (earlier, later) in zip(timeline.entries, timeline.entries.dropFirst()) {
            #expect(try #require(earlier.endedAt) <= later.startedAt, "one at a time")
        }
    }
}
