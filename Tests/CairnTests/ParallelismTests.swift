import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

/// ZenML's own example of parallel steps: three models trained on one dataset, compared at the end.
/// Each training takes a second; with default options they must overlap on any machine.
///
/// The run is timed in a process of its own, by its record's start and end, so that what the other
/// tests running beside it do with this process's threads is not counted.
@Suite("Steps that block or wait run in parallel", .timeLimit(.minutes(1)))
struct ParallelismTests {
    @Test(
        "three independent steps that each take 1 s, blocking their thread or awaiting, finish in under 1.5 s with default options",
        arguments: [("parallel_training", true), ("parallel_training", false), ("parallel_training_dynamic", true)])
    func trainingsOverlap(pipeline: String, blocking: Bool) async throws {
        // On a memory file system where there is one: what is measured is how steps overlap, not
        // how long a busy disk takes to flush each artifact.
        let memory = URL(filePath: "/dev/shm")
        let store = try FileManager.default.fileExists(atPath: memory.path) ? TemporaryStore(in: memory) : TemporaryStore()
        defer { store.remove() }
        let finished = try await FixtureExecutable.run(["run", pipeline, "--param", "blocking=\(blocking)", "--store", store.home.path])
        #expect(finished.status == 0, "\(finished.output)")
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let elapsed = try #require(run.endedAt).timeIntervalSince(run.startedAt)
        #expect(run.status == .completed && elapsed < 1.5, "\(pipeline) took \(elapsed) s")
        let trainings = try await store.stack.metadata.stepRuns(runID: run.id).filter { $0.stepName == "trainFor" }
        #expect(trainings.count == 3)
        let latestStart = try #require(trainings.map(\.startedAt).max())
        #expect(trainings.allSatisfy { $0.endedAt.map { latestStart < $0 } ?? false }, "every training started before any ended")
    }

    @Test("steps that block every core do not stall the others, nor their recording")
    func blockedStepsDoNotStallRecording() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let gate = try Gate()
        // More blocked steps than Swift's cooperative pool has threads.
        let blocked = ProcessInfo.processInfo.activeProcessorCount + 2
        let pipeline = Pipeline("blocked") {
            for index in 0..<blocked { _ = waitAtGateStep(path: .constant(gate.path), label: .constant("b\(index)")) }
            _ = constantStep(value: 1)
        }
        let (finished, report) = AsyncStream.makeStream(of: String.self)
        let runner = PipelineRunner(stack: store.stack) { event in
            if case .stepFinished(let result) = event { report.yield(result.invocation) }
        }
        async let result = runner.run(try pipeline.compile())
        // Every blocked step waits at the gate at once, each holding a thread.
        #expect(await gate.arrivals(blocked).count == blocked)
        for await invocation in finished where invocation == "constant" { break }
        // The quick one ran and was recorded beside them.
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let quick = try await store.stack.metadata.stepRuns(runID: run.id).first { $0.invocation == "constant" }
        #expect(quick?.status == .completed)
        #expect(run.status == .running)
        gate.open()
        let outcome: RunResult = try await result
        #expect(outcome.run.status == .completed)
        #expect(try await outcome.steps.count == blocked + 1)
    }
}
