import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

/// The fixtures executable, built beside the test runner.
enum FixtureExecutable {
    static var path: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(filePath: runner).deletingLastPathComponent().appending(path: "cairn-fixtures").path
    }

    /// Runs the fixtures executable, with `environment` added to this process's, and returns its exit status and what it printed.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(path, arguments, environment: environment)
    }
}

@Suite("Running steps in separate processes", .timeLimit(.minutes(2)))
struct SubprocessTests {
    /// Each step's status and output digests, by invocation.
    func outcome(of result: RunResult) async throws -> [String: [String: String]] {
        var outcome: [String: [String: String]] = [:]
        for step in try await result.steps {
            var row = ["status": step.status.rawValue]
            for link in try await result.stack.metadata.outputs(ofStepRun: step.id) { row[link.name] = link.artifact.digest }
            outcome[step.invocation] = row
        }
        return outcome
    }

    @Test("in-process and subprocess runs of one pipeline record the same DAG and the same artifact digests")
    func sameResults() async throws {
        let inProcess = try TemporaryStore()
        let separate = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { inProcess.remove(); separate.remove() }
        let first = try await FixturePipelines.diamond.run(on: inProcess.stack)
        let second = try await FixturePipelines.diamond.run(on: separate.stack)
        #expect(first.run.graph == second.run.graph)
        let expected = try await outcome(of: first)
        #expect(expected.count == 7)
        #expect(try await outcome(of: second) == expected)
        for step in try await second.steps {
            let parents = try await separate.stack.metadata.parents(ofStepRun: step.id)
            #expect(parents.count == first.run.graph.node(step.invocation)?.upstream.count, "parents of \(step.invocation)")
        }
    }

    @Test("a dynamic pipeline's calls run in separate processes, with the same DAG and digests as in process")
    func dynamicInSubprocesses() async throws {
        let inProcess = try TemporaryStore()
        let separate = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { inProcess.remove(); separate.remove() }
        let first = try await FixturePipelines.dynamicMap.run(on: inProcess.stack)
        let second = try await FixturePipelines.dynamicMap.run(on: separate.stack)
        #expect(first.run.graph.nodes.map(\.invocation) == ["makeNumbers", "scale_1", "scale_2", "scale_3", "scale_4", "summarise", "check"])
        #expect(first.run.graph == second.run.graph)
        let expected = try await outcome(of: first)
        #expect(try await outcome(of: second) == expected)
    }

    @Test("step run refuses a dynamic call that differs from the one the run launched, and runs the same one again")
    func dynamicNodeCheck() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.dynamicMap.run(on: store.stack)
        let arguments = ["step", "run", "--run", result.run.id, "--step", "scale_2", "--store", store.home.path, "--allow-ended-run"]
        let refused = try await FixtureExecutable.run(arguments + ["--node", String(repeating: "0", count: 64)])
        #expect(refused.status != 0)
        #expect(refused.output.contains("makes step 'scale_2' with other inputs than run '\(result.run.name)' launched it with"))
        let node = try #require(result.run.graph.node("scale_2"))
        let again = try await FixtureExecutable.run(arguments + ["--node", node.digest])
        #expect(again.status == 0, "\(again.output)")
        let attempts = try await store.stack.metadata.stepRuns(runID: result.run.id).filter { $0.invocation == "scale_2" }
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.status) == [.completed, .completed])
    }

    @Test("a step process that dies is recorded as failed with its exit status and output; dependents are skipped")
    func crashedStep() async throws {
        let store = try TemporaryStore(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path))
        defer { store.remove() }
        _ = await #expect(throws: CairnError.self) {
            try await FixturePipelines.diamond.run(DiamondParameters(crash: true), on: store.stack)
        }
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .failed)
        let steps = try await store.stack.metadata.stepRuns(runID: run.id)
        let crashed = try #require(steps.first { $0.invocation == "crashIf" })
        #expect(crashed.status == .failed)
        #expect(crashed.error?.contains("exited(42)") == true)
        #expect(crashed.error?.contains("crashing on purpose") == true)
        #expect(steps.first { $0.invocation == "check" }?.status == .skipped)
        #expect(steps.allSatisfy { $0.status.isFinished })
    }

    @Test("step run refuses a step of an ended run; allowed, it executes exactly that step, by name, loading inputs from the stores")
    func stepRunContract() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        let arguments = ["step", "run", "--run", result.run.name, "--step", "describe", "--store", store.home.path]
        let refused = try await FixtureExecutable.run(arguments)
        #expect(refused.status != 0)
        #expect(refused.output.contains("run '\(result.run.name)' is completed: its steps run only while it is running"))
        #expect(try await store.stack.metadata.stepRuns(runID: result.run.id).filter { $0.invocation == "describe" }.count == 1, "nothing was added")
        let (status, output) = try await FixtureExecutable.run(arguments + ["--allow-ended-run"])
        #expect(status == 0, "\(output)")
        let describes = try await store.stack.metadata.stepRuns(runID: result.run.id).filter { $0.invocation == "describe" }
        #expect(describes.count == 2)
        let digests = try await describes.asyncMap { try await store.stack.metadata.outputs(ofStepRun: $0.id).first?.artifact.digest }
        #expect(digests[0] != nil && digests[0] == digests[1])
    }

    @Test("step run names what is wrong: an unknown run, an unknown step")
    func stepRunErrors() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        let unknownRun = try await FixtureExecutable.run(["step", "run", "--run", "nope", "--step", "describe", "--store", store.home.path])
        #expect(unknownRun.status != 0)
        #expect(unknownRun.output.contains("no run named 'nope'"))
        let unknownStep = try await FixtureExecutable.run(["step", "run", "--run", result.run.id, "--step", "dscribe", "--store", store.home.path])
        #expect(unknownStep.status != 0)
        #expect(unknownStep.output.contains("no step in run '\(result.run.name)' named 'dscribe'"))
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}

@Suite("Environment variables", .timeLimit(.minutes(1)))
struct EnvironmentTests {
    @Test("steps see their environment through the context in process, and as the real environment in a subprocess; the step's value wins")
    func environment() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let inProcess = try await FixturePipelines.environment.run(on: store.stack)
        #expect(try await inProcess.output("a", as: String.self) == "context=pipeline process=unset")
        #expect(try await inProcess.output("b", as: String.self) == "context=step process=unset", "the process-wide environment is never changed")
        let separate = try await FixturePipelines.environment.withOptions { $0.enableCache = false }
            .run(on: store.stack(orchestrator: SubprocessOrchestrator(executable: FixtureExecutable.path)))
        #expect(try await separate.output("a", as: String.self) == "context=pipeline process=pipeline")
        #expect(try await separate.output("b", as: String.self) == "context=step process=step")
    }
}
