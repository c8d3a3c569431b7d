import Cairn
import CairnCore
import CairnTesting
import Foundation
import Testing

// Three minutes: 2,002 writes one after the other, each on the SQLite store's writer thread, take
// 2 s on a quiet machine but far longer when the whole suite keeps both cores busy.
@Suite("Abandoned-run detection", .timeLimit(.minutes(3)))
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

    @Test("a process on this host that runs is the run's, however long it was silent, unless its identifier names a later process")
    func liveProcessOnThisHost() throws {
        // Process 1 runs for as long as the host does; whether it is the run's depends on when it started.
        guard case .running(let start?) = ProcessLiveness.of(1) else {
            Issue.record("this host does not say when process 1 started")
            return
        }
        let silentSince = Date(timeIntervalSinceNow: -3_600)
        var run = RunRecord(
            id: "r", name: "silent", pipelineName: "p", status: .running, startedAt: silentSince, configuration: "{}", graph: PipelineGraph(),
            host: ProcessInfo.processInfo.hostName, processID: 1, processStart: start, heartbeatAt: silentSince)
        #expect(!RunWatchdog.isAbandoned(run), "an hour without a heartbeat does not make a live process dead")
        run.processStart = start + "0"
        #expect(RunWatchdog.isAbandoned(run), "the identifier now names a process that started at another time")
        run.processStart = nil
        #expect(RunWatchdog.isAbandoned(run), "a record that does not say when its process started falls back on the heartbeat")
        run.heartbeatAt = Date()
        #expect(!RunWatchdog.isAbandoned(run))
    }
}
