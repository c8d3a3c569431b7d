import Cairn
import CairnTesting
import Foundation

/// The `store-calls` scenario: what one call to the SQLite metadata store costs, seen from a task,
/// on a memory file system (`/dev/shm`, where there is one) so that the disk's latency is out of it.
///
/// A read (`stepRun(id:)`) and a write (`heartbeat(runID:at:)`), each a one-row statement, called one
/// after the other from a task on Swift's cooperative pool, as the runtime calls them: the figure is
/// SQLite's own time plus whatever it costs to get to and from the thread the call runs on.
enum StoreCallScenario {
    static func run() async throws -> [Figure] {
        let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(filePath: "/dev/shm") : FileManager.default.temporaryDirectory
        let store = try TemporaryStore(in: folder)
        defer { store.remove() }
        let metadata = store.stack.metadata
        let warmUp = try await Pipeline("warm_up") { _ = Scenarios.increment(0) }.run(on: store.stack)
        guard let stepRunID = try await warmUp.steps.first?.id else { throw CairnError.store("the warm-up run recorded no step") }
        let runID = warmUp.run.id
        let calls = BenchmarkSize.scaled(5_000, tiny: 10)
        var figures: [Figure] = []
        for round in 0..<3 {
            let reads = try await measureAsync {
                for _ in 0..<calls { _ = try await metadata.stepRun(id: stepRunID) }
            }
            let writes = try await measureAsync {
                for _ in 0..<calls { try await metadata.heartbeat(runID: runID, at: Date()) }
            }
            // The best of three rounds, as the figures of a busy machine vary.
            if round == 0 {
                figures = [
                    Figure(name: "store call: a one-row read, called in turn", value: reads / Double(calls) * 1e6, unit: "µs"),
                    Figure(name: "store call: a one-row write, called in turn", value: writes / Double(calls) * 1e6, unit: "µs"),
                ]
            } else {
                figures[0].value = min(figures[0].value, reads / Double(calls) * 1e6)
                figures[1].value = min(figures[1].value, writes / Double(calls) * 1e6)
            }
        }
        return figures
    }
}
