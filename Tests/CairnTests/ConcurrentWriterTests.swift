import Cairn
import CairnTesting
import Foundation
import Testing

@Suite("Concurrent writers", .timeLimit(.minutes(3)))
struct ConcurrentWriterTests {
    @Test("2 processes × 10 runs on one store: nothing lost, unique run names, versions without gaps, a whole store")
    func twoWriters() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        // Every run wants the same name, so the processes race for it.
        let config = store.home.appending(path: "race.yaml")
        try "run_name: race\nenable_cache: false\n".write(to: config, atomically: true, encoding: .utf8)
        let runsPerWriter = 10
        let arguments = ["run", "diamond", "--config", config.path, "--store", store.home.path]
        let exits = try await withThrowingTaskGroup(of: [Int32].self) { group in
            for _ in 0..<2 {
                group.addTask {
                    var statuses: [Int32] = []
                    for _ in 0..<runsPerWriter { statuses.append(try await FixtureExecutable.run(arguments).status) }
                    return statuses
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(exits == Array(repeating: 0, count: 2 * runsPerWriter), "no run failed, none with 'database is locked'")
        let runs = try await store.stack.metadata.runs(RunQuery(limit: 100))
        #expect(runs.count == 2 * runsPerWriter)
        #expect(Set(runs.map(\.name)).count == runs.count)
        #expect(Set(runs.map(\.name)).contains("race") && Set(runs.map(\.name)).contains("race_20"))
        #expect(runs.allSatisfy { $0.status == .completed })
        for name in ["diamond::summarise::measurements", "diamond::describe::output"] {
            #expect(try await store.stack.metadata.artifactVersions(named: name).map(\.version) == Array(1...(2 * runsPerWriter)))
        }
        for run in runs {
            #expect(try await store.stack.metadata.stepRuns(runID: run.id).count == 7, "every step run of \(run.name) recorded")
        }
        #expect(try await StoreIntegrity.problems(in: store.stack) == [])
    }

    @Test("the integrity check finds a corrupted artifact")
    func integrityFindsCorruption() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let version = try await store.stack.saveArtifact("intact", name: "note")
        #expect(try await StoreIntegrity.problems(in: store.stack) == [])
        try Data("broken".utf8).write(to: URL(filePath: store.stack.artifacts.location(of: version.digest)))
        let problems = try await StoreIntegrity.problems(in: store.stack)
        #expect(problems.count == 1 && problems[0].hasPrefix("artifact \(version.digest): the artifact stored as"))
    }
}
