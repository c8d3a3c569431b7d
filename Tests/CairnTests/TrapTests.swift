import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("A step that traps", .timeLimit(.minutes(2)))
struct TrapTests {
    @Test("in process, a trap stops the whole process; the next command marks the run failed at once")
    func inProcess() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let trapped = try await FixtureExecutable.run(["run", "trapping", "--param", "value=-1", "--store", store.home.path])
        #expect(trapped.status != 0 && trapped.status != 1, "stopped by a signal: \(trapped.output)")
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .running, "nothing in the process was left to record the end")

        let next = try await FixtureExecutable.run(["run", "trapping", "--store", store.home.path])
        #expect(next.status == 0, "\(next.output)")
        let marked = try #require(try await store.stack.metadata.run(id: run.id))
        #expect(marked.status == .failed)
        #expect(marked.error?.contains("the process running it stopped") == true, "\(marked.error ?? "")")
        #expect(try await store.stack.metadata.stepRuns(runID: run.id).allSatisfy { $0.status.isFinished })
    }

    @Test("the subprocess orchestrator contains a trap: the step fails with the signal that ended its process, the run ends failed")
    func subprocess() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let (status, output) = try await FixtureExecutable.run(
            ["run", "trapping", "--param", "value=-1", "--orchestrator", "subprocess", "--store", store.home.path])
        #expect(status == 1, "\(output)")
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .failed)
        let step = try #require(try await store.stack.metadata.stepRuns(runID: run.id).first)
        #expect(step.status == .failed)
        #expect(step.error?.contains("the step process ended (signaled(") == true, "\(step.error ?? "")")
    }
}
