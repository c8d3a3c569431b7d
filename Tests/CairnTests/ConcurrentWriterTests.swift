import Cairn
import CairnTesting
import Foundation
import Testing

@Suite("Concurrent writers", .timeLimit(.minutes(ReliabilityScale.minutes(for: ReliabilityScale.current.writers * ReliabilityScale.current.runsPerWriter, secondsEach: 0.5))))
struct ConcurrentWriterTests {
    /// Artifacts every run of the diamond writes, one version each.
    static let artifactNames = [
        "diamond::makeNumbers::output", "diamond::scale::output", "diamond::scale_2::output", "diamond::summarise::measurements",
        "diamond::summarise::total", "diamond::describe::output", "diamond::crashIf::output", "diamond::check::output",
    ]

    /// `swift test` runs 2 × 10; `scripts/concurrent-writers` runs 8 × 50 with the same code.
    @Test("processes running pipelines on one store at once: nothing lost, no 'database is locked', unique run names, consistent versions, a whole store")
    func writers() async throws {
        let (writers, runsPerWriter) = (ReliabilityScale.current.writers, ReliabilityScale.current.runsPerWriter)
        let total = writers * runsPerWriter
        let store = try TemporaryStore()
        defer { store.remove() }
        // Every run wants the same name on a given day, so the processes race for it and get numbers.
        let config = store.home.appending(path: "race.yaml")
        try "run_name: race-{date}\nenable_cache: false\n".write(to: config, atomically: true, encoding: .utf8)
        let arguments = ["run", "diamond", "--config", config.path, "--store", store.home.path]
        let start = ContinuousClock.now
        let exits = try await withThrowingTaskGroup(of: [(status: Int32, output: String)].self) { group in
            for _ in 0..<writers {
                group.addTask {
                    var exits: [(status: Int32, output: String)] = []
                    for _ in 0..<runsPerWriter { exits.append(try await FixtureExecutable.run(arguments)) }
                    return exits
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        print("Concurrent writers: \(writers) processes × \(runsPerWriter) runs in \((ContinuousClock.now - start).formatted(.units(allowed: [.seconds])))")
        #expect(exits.filter { $0.output.contains("database is locked") }.count == 0)
        #expect(exits.filter { $0.status != 0 }.map(\.output) == [], "every run succeeded")

        let runs = try await store.stack.metadata.runs(RunQuery(limit: total + 1))
        #expect(runs.count == total, "no run lost")
        // Runs on each side of midnight share a name of their own.
        let byDay = Dictionary(grouping: runs.map(\.name)) { String($0.prefix("race-YYYY_MM_DD".count)) }
        for (base, names) in byDay {
            #expect(Set(names) == Set([base] + (1..<names.count).map { "\(base)_\($0 + 1)" }), "unique run names, without gaps")
        }
        #expect(runs.allSatisfy { $0.status == .completed })
        var producers: [String: Int] = [:]
        for run in runs {
            let steps = try await store.stack.metadata.stepRuns(runID: run.id)
            #expect(steps.count == 7 && steps.allSatisfy { $0.status == .completed }, "every step run of \(run.name) recorded")
            for step in steps {
                for link in try await store.stack.metadata.outputs(ofStepRun: step.id) {
                    #expect(link.artifact.producerStepRunID == step.id)
                    producers[link.artifact.id, default: 0] += 1
                }
            }
        }
        for name in Self.artifactNames {
            let versions = try await store.stack.metadata.artifactVersions(named: name)
            #expect(versions.map(\.version).sorted() == Array(1...total), "\(name): one version per run, numbered without gaps")
            #expect(Set(versions.map(\.digest)).count == 1, "\(name): identical runs store identical content")
            #expect(versions.allSatisfy { producers[$0.id] == 1 }, "\(name): each version is the output of exactly one step run")
        }
        #expect(producers.count == total * Self.artifactNames.count)
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
        #expect(problems.count == 1 && problems[0].hasPrefix("artifact \(version.digest): its bytes changed on disk: its bytes hash to "))
    }
}
