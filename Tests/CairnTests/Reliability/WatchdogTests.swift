import Cairn
import CairnTesting
import Foundation
import Testing

@Suite("Abandoned-run detection", .timeLimit(.minutes(1)))
struct WatchdogTests {
    @Test("every abandoned run is marked, however many there are: marking one does not hide the next page")
    func manyAbandonedRuns() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let finished = try await ChildProcess.run("/bin/sh", ["-c", "echo $$"])
        let deadProcess = try #require(Int32(finished.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        let count = 1_001
        for index in 0..<count {
            _ = try await store.stack.metadata.createRun(NewRun(
                name: "abandoned-\(index)", pipelineName: "gone", configuration: "{}", graph: PipelineGraph(),
                startedAt: Date(timeIntervalSinceNow: -Double(index)), host: ProcessInfo.processInfo.hostName, processID: deadProcess))
        }
        let marked = try await RunWatchdog.markAbandonedRuns(in: store.stack.metadata)
        #expect(marked.count == count)
        #expect(try await store.stack.metadata.runs(RunQuery(status: .running)).isEmpty)
    }
}
