import Cairn
import CairnTesting
import Foundation
import Testing

struct Evaluation: Codable, Sendable, Equatable {
    var model: String
    var accuracy: Double
}

@Step
func trainKind(data: Dataset, kind: String) -> Evaluation {
    Evaluation(model: kind, accuracy: ["linear": 0.81, "tree": 0.93, "forest": 0.97][kind] ?? 0)
}

@Step
func selectBest(evaluations: [Evaluation]) -> Evaluation {
    evaluations.max { $0.accuracy < $1.accuracy }!
}

@Step
func square(value: Int) async throws -> Int {
    if value < 0 { throw TestFailure(description: "negative: \(value)") }
    return value * value
}

@Step
func total(values: [Int]) -> Int {
    values.reduce(0, +)
}

@Step
func numbersUpTo(count: Int) -> [Int] {
    Array(1...count)
}

@Step
func passWhenFileExists(path: String, value: Int) throws -> Int {
    guard FileManager.default.fileExists(atPath: path) else { throw TestFailure(description: "\(path) is missing") }
    return value
}

struct Search: Codable, Sendable {
    var kinds = ["linear", "tree", "forest"]
}

@Suite("Dynamic pipelines", .timeLimit(.minutes(2)))
struct DynamicPipelineTests {
    @Test("the seed's example: one train_<type> call per model type, then the best is selected")
    func seedExample() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("search", parameters: Search()) { parameters in
            let data = makeDatasetStep(size: 3)
            var evaluations: [Handle<Evaluation>] = []
            for kind: String in parameters.kinds {
                evaluations.append(trainKindStep.named("train_\(kind)")(data: data, kind: .constant(kind)))
            }
            return ["best": selectBestStep(evaluations: .gathering(evaluations))]
        }
        let result = try await pipeline.run(on: store.stack)
        #expect(try await result.output("best", as: Evaluation.self) == Evaluation(model: "forest", accuracy: 0.97))
        #expect(Set(try await result.steps.map(\.invocation)) == ["makeDataset", "train_linear", "train_tree", "train_forest", "selectBest"])
        let graph = result.run.graph
        #expect(graph.node("selectBest")?.upstream == ["train_linear", "train_tree", "train_forest"], "the DAG is recorded after the run")
        let select = try #require(try await result.step("selectBest"))
        #expect(try await store.stack.metadata.parents(ofStepRun: select.id).count == 3)
    }

    @Test("control flow uses awaited values: if, for and while decide which steps exist")
    func controlFlow() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("control") {
            var value = squareStep(value: 2)
            while try await value.value < 1_000 {
                value = squareStep(value: value)          // 4, 16, 256, 65536
            }
            if try await value.value > 10_000 {
                _ = constantStep.named("big")(value: 1)
            } else {
                _ = constantStep.named("small")(value: 0)
            }
            return ["value": value]
        }
        let result = try await pipeline.run(on: store.stack)
        #expect(try await result.output("value", as: Int.self) == 65_536)
        #expect(try await result.steps.map(\.invocation).sorted() == ["big", "square", "square_2", "square_3", "square_4"])
    }

    @Test("map over a list artifact, fan in, and independent calls overlap in time")
    func mapAndFanIn() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("mapped") {
            let numbers = try await numbersUpToStep(count: 4).value    // a list artifact, read mid-pipeline
            let squares = numbers.map { squareStep(value: .constant($0)) }
            let pauses = (0..<3).map { pauseStep(milliseconds: 1_000, label: .constant("p\($0)")) }
            _ = pauses
            return ["total": totalStep(values: .gathering(squares))]
        }
        let result = try await pipeline.run(on: store.stack)
        #expect(try await result.output("total", as: Int.self) == 30)
        let pauses = try await result.steps.filter { $0.invocation.hasPrefix("pause") }
        let latestStart = try #require(pauses.map(\.startedAt).max())
        let earliestEnd = try #require(pauses.compactMap(\.endedAt).min())
        #expect(latestStart < earliestEnd, "independent calls overlap")
    }

    @Test("a failing element: continue on failure skips only its dependents; stop on failure skips what has not started")
    func failingElement() async throws {
        for mode in [ExecutionMode.continueOnFailure, .stopOnFailure] {
            let store = try TemporaryStore()
            defer { store.remove() }
            let pipeline = DynamicPipeline("failing_map", options: PipelineOptions(executionMode: mode, maxConcurrency: 1)) {
                let squares = [1, -2, 3].map { squareStep(value: .constant($0)) }
                _ = totalStep(values: .gathering(squares))
                _ = constantStep(value: 7)
            }
            _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
            let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
            let statuses = Dictionary(uniqueKeysWithValues: try await store.stack.metadata.stepRuns(runID: run.id).map { ($0.invocation, $0.status) })
            #expect(statuses["square_2"] == .failed, "\(mode)")
            #expect(statuses["total"] == .skipped, "\(mode)")
            #expect(statuses["square_3"] == (mode == .continueOnFailure ? .completed : .skipped), "\(mode)")
            #expect(statuses["constant"] == (mode == .continueOnFailure ? .completed : .skipped), "\(mode)")
            #expect(run.status == .failed)
        }
    }

    @Test("awaiting the value of a failed step fails the run with a clear error, after running steps end")
    func awaitingFailedValue() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("await_failed") {
            let bad = squareStep(value: -1)
            _ = try await bad.value
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error?.description.contains("the pipeline body failed: step 'square' failed: its output 'output' does not exist: negative: -1") == true)
    }

    @Test("resuming a failed dynamic run runs the body again, reusing the calls that completed")
    func resume() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let path = store.home.appending(path: "ready").path
        let pipeline = DynamicPipeline("resumable_map", options: PipelineOptions(enableCache: false)) {
            var squares: [Handle<Int>] = []
            for value in try await numbersUpToStep(count: 3).value { squares.append(squareStep(value: .constant(value))) }
            return ["checked": passWhenFileExistsStep(path: .constant(path), value: totalStep(values: .gathering(squares)))]
        }
        _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        let failed = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let resumed = try await PipelineRunner(stack: store.stack).resume(failed, pipeline: pipeline)
        #expect(resumed.run.id == failed.id && resumed.run.status == .completed)
        #expect(try await resumed.output("checked", as: Int.self) == 14)
        let attempts = Dictionary(grouping: try await resumed.steps, by: \.invocation).mapValues { $0.map(\.status) }
        #expect(attempts["numbersUpTo"] == [.completed] && attempts["square_3"] == [.completed] && attempts["total"] == [.completed], "reused")
        #expect(attempts["passWhenFileExists"] == [.failed, .completed])
        #expect(resumed.run.graph.nodes.count == 6)
    }

    @Test("a call with a name that is not allowed fails the run without recording a step run under that name")
    func hostileCallName() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("hostile_call") {
            _ = squareStep.named("../escape")(value: 2)
            _ = squareStep(value: 3)
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error?.description.contains("../escape") == true)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(try await store.stack.metadata.stepRuns(runID: run.id).map(\.invocation) == ["square"])
    }

    @Test("each call is cached: a second run executes nothing")
    func caching() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("cached_map") {
            let squares = (1...5).map { squareStep(value: .constant($0)) }
            _ = totalStep(values: .gathering(squares))
        }
        try await pipeline.run(on: store.stack)
        let second = try await pipeline.run(on: store.stack)
        let secondSteps = try await second.steps
        #expect(secondSteps.count == 6 && secondSteps.allSatisfy { $0.status == .cached })
    }

    @Test("equal calls cached from the same step run share its output versions, and a fan-in over them reads each")
    func repeatedCalls() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        // One at a time, so that the second `square(2)` finds the first one's step run in the cache.
        let pipeline = DynamicPipeline("repeated", options: PipelineOptions(maxConcurrency: 1)) {
            let squares = [2, 2, 3].map { squareStep(value: .constant($0)) }
            return ["total": totalStep(values: .gathering(squares))]
        }
        for _ in 1...2 {
            let result = try await pipeline.run(on: store.stack)
            #expect(try await result.output("total", as: Int.self) == 17)
            let squares = try await result.steps.filter { $0.stepName == "square" }
            #expect(squares.count == 3 && squares.contains { $0.status == .cached })
        }
    }

    @Test("a 1,000-element map with a fan-in completes")
    func largeMap() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("large_map", options: PipelineOptions(enableStepLogs: false, enableArtifactMetadata: false)) {
            let squares = (1...1_000).map { squareStep(value: .constant($0)) }
            return ["total": totalStep(values: .gathering(squares))]
        }
        let result = try await pipeline.run(on: store.stack)
        #expect(try await result.output("total", as: Int.self) == (1...1_000).reduce(0) { $0 + $1 * $1 })
        #expect(try await result.steps.count == 1_001)
    }

    @Test("outputs and failures are reported whether the calls behind them ended before or after the body, with dependents or without")
    func outputsAndFailuresAfterTheBody() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = DynamicPipeline("late") {
            let early = squareStep(value: 3)
            _ = try await early.value  // ended before the body does
            let squares = (1...20).map { squareStep(value: .constant($0)) }
            let sum = totalStep(values: .gathering(squares + [early]))
            _ = squareStep.named("negative")(value: -1)  // fails, after the body has ended
            return ["early": early, "squares": squares[0], "sum": sum]
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error.map { "\($0)" }?.contains("negative: -1") == true)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .failed)
        #expect(run.error?.contains("step 'negative' failed: negative: -1") == true)
        #expect(run.error?.contains("square_") == false, "only the failed call is reported")

        let passing = try await DynamicPipeline("late_passing") {
            let early = squareStep(value: 3)
            _ = try await early.value
            let squares = (1...20).map { squareStep(value: .constant($0)) }
            return ["early": early, "first": squares[0], "sum": totalStep(values: .gathering(squares + [early]))]
        }.run(on: store.stack)
        #expect(try await passing.output("early", as: Int.self) == 9)
        #expect(try await passing.output("first", as: Int.self) == 1)
        #expect(try await passing.output("sum", as: Int.self) == (1...20).reduce(0) { $0 + $1 * $1 } + 9)
    }
}
