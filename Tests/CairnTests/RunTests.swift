import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("Running pipelines in process", .timeLimit(.minutes(1)))
struct RunTests {
    @Test("the concurrency limit is respected")
    func concurrencyLimit() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("serial", options: PipelineOptions(maxConcurrency: 1)) {
            for label in ["a", "b", "c"] { _ = pauseStep(milliseconds: 50, label: .constant(label)) }
        }
        let steps = try await pipeline.run(on: store.stack).steps.sorted { $0.startedAt < $1.startedAt }
        for (earlier, later) in zip(steps, steps.dropFirst()) {
            #expect(try #require(earlier.endedAt) <= later.startedAt)
        }
    }

    @Test("records and lineage: inputs, outputs, parents, parameters and fingerprints")
    func recordsAndLineage() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("lineage") {
            let data = makeDatasetStep(size: 4)
            let model = fitStep(data: data, rate: 0.5)
            return ["model": model]
        }
        let result = try await pipeline.run(on: store.stack)
        let metadata = store.stack.metadata
        #expect(result.run.status == .completed)
        #expect(result.run.name.hasPrefix("lineage-"))
        let load = try #require(try await result.step("makeDataset"))
        let fit = try #require(try await result.step("fit"))
        #expect(fit.status == .completed && fit.endedAt != nil)
        #expect(fit.parameters == ["rate": "0.5"])
        #expect(fit.fingerprint.count == 64)
        #expect(try await metadata.parents(ofStepRun: fit.id) == [load.id])
        let produced = try await metadata.outputs(ofStepRun: load.id)
        let consumed = try await metadata.inputs(ofStepRun: fit.id)
        #expect(produced.map(\.artifact.name) == ["lineage::makeDataset::output"])
        #expect(consumed.map(\.name) == ["data"])
        #expect(consumed.first?.artifact == produced.first?.artifact)
        let version = try #require(produced.first?.artifact)
        #expect(version.version == 1 && version.serializer == "cairn.json" && version.typeName.hasSuffix("Dataset"))
        #expect(version.producerStepRunID == load.id)
        #expect(try await result.output("model", as: Model.self) == Model(weight: 3))
        let configuration = try CanonicalJSON.decode(RunConfiguration.self, from: result.run.configuration)
        #expect(configuration.pipeline == "lineage")
    }

    @Test("versions count up per artifact name across runs; run names from a dated template are numbered, never repeated")
    func versionsAndRunNames() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("versions", options: PipelineOptions(runNameTemplate: "nightly-{date}", enableCache: false)) {
            _ = constantStep(value: 7)
        }
        var names: [String] = []
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 0..<3 { names.append(try await PipelineRunner(stack: store.stack).run(try pipeline.compile(), at: date).run.name) }
        #expect(names == ["nightly-2027_01_15", "nightly-2027_01_15_2", "nightly-2027_01_15_3"])
        let versions = try await store.stack.metadata.artifactVersions(named: "versions::constant::output")
        #expect(versions.map(\.version) == [1, 2, 3])
        #expect(Set(versions.map(\.digest)).count == 1, "identical content has one digest")
        let latest = try await store.stack.loadArtifact("versions::constant::output", as: Int.self)
        #expect(latest == 7)
    }

    @Test("outputs and artifacts are named where the step is declared; the names the pipeline returns are the run's outputs")
    func namedOutputs() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("named") {
            let model = trainNamedStep(data: makeDatasetStep(size: 3))
            return ["model": model, "greeting": greetStep(name: "Ada")]
        }
        let result = try await pipeline.run(on: store.stack)
        let outputs = try await result.outputs
        #expect(outputs["model"]?.name == "named_model" && outputs["model"]?.outputName == "model")
        #expect(outputs["greeting"]?.name == "named::greet::greeting")
        #expect(try await result.output("greeting", as: String.self) == "Hello, Ada!")
        #expect(try await store.stack.loadArtifact("named_model", as: Model.self) == Model(weight: 3))
        let links = try await store.stack.metadata.outputs(ofStepRun: try #require(try await result.step("trainNamed")).id)
        #expect(links.map(\.name) == ["model"])
    }

    @Test("a bad output or artifact name is refused when the pipeline is compiled, before anything runs")
    func badArtifactNames() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let escaping = Pipeline("escaping") { _ = constantStep.withOptions { $0.artifactNames = ["output": "../../etc/x"] }(value: 1) }
        let error = await #expect(throws: CairnError.self) { try await escaping.run(on: store.stack) }
        #expect(error?.description.contains("the artifact name of output 'output' of step 'constant'") == true, "\(String(describing: error))")
        let unknown = Pipeline("unknown") { _ = constantStep.withOptions { $0.artifactNames = ["outptu": "x"] }(value: 1) }
        #expect(throws: CairnError.invalidPipeline(
            pipeline: "unknown", reason: "step 'constant' names the artifact of output 'outptu', which it does not have; did you mean 'output'?")) {
            try unknown.compile()
        }
        let badOutput = Pipeline("bad_output") { _ = ClosureStep<Int>("make", inputs: [], output: "a/b") { 1 }() }
        #expect(throws: CairnError.self) { try badOutput.compile() }
        #expect(try await store.stack.metadata.counts() == StoreCounts(), "nothing was recorded")
    }

    @Test("a fixed run name already taken is refused before anything runs, naming the existing run")
    func takenRunName() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("fixed", options: PipelineOptions(runNameTemplate: "experimental_run")) { _ = constantStep(value: 1) }
        try await pipeline.run(on: store.stack)
        let before = try await store.stack.metadata.counts()
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error == .runNameTaken(name: "experimental_run"))
        #expect(error?.description.hasPrefix("a run named 'experimental_run' already exists") == true)
        #expect(try await store.stack.metadata.counts() == before, "nothing was recorded")
    }

    @Test("a failing step is failed with its error, its dependents are skipped, the run is failed")
    func failureStatuses() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("failing", options: PipelineOptions(executionMode: .continueOnFailure)) {
            let model = fitStep(data: makeDatasetStep(size: 2), rate: 1)
            let broken = explodeStep(model: model)
            _ = afterStep(model: broken)
            _ = pauseStep(milliseconds: 200, label: "independent")
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error?.description.contains("step 'explode' failed: exploded on purpose") == true)
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .failed && run.endedAt != nil)
        let steps = Dictionary(uniqueKeysWithValues: try await store.stack.metadata.stepRuns(runID: run.id).map { ($0.invocation, $0) })
        #expect(steps["explode"]?.status == .failed)
        #expect(steps["explode"]?.error == "exploded on purpose")
        #expect(steps["after"]?.status == .skipped)
        #expect(steps["after"]?.error == "step 'explode' did not complete")
        #expect(steps["pause"]?.status == .completed, "an independent step still runs")
        #expect(steps.values.allSatisfy { $0.status.isFinished && $0.endedAt != nil })
    }

    @Test("stop on failure lets running steps end but starts nothing new after a failure")
    func stopOnFailure() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let gate = try Gate()
        let pipeline = Pipeline("modes", options: PipelineOptions(executionMode: .stopOnFailure, maxConcurrency: 2)) {
            let slow = waitAtGateStep(path: .constant(gate.path), label: "slow")
            _ = explodeStep(model: fitStep(data: makeDatasetStep(size: 1), rate: 1))
            _ = constantStep.after(slow)(value: 1)
        }
        // The slow step waits until the failure is known, so that it ends after it whatever the machine's load.
        let runner = PipelineRunner(stack: store.stack) { event in
            if case .stepFinished(let result) = event, result.invocation == "explode" { gate.open() }
        }
        let run = try await runner.run(try pipeline.compile()).run
        let steps = Dictionary(uniqueKeysWithValues: try await store.stack.metadata.stepRuns(runID: run.id).map { ($0.invocation, $0.status) })
        #expect(run.status == .failed && steps["explode"] == .failed)
        #expect(steps["waitAtGate"] == .completed, "a running step ends")
        #expect(steps["constant"] == .skipped, "nothing new starts after the failure")
    }

    @Test("fail fast stops running steps too")
    func failFast() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("modes", options: PipelineOptions(executionMode: .failFast, maxConcurrency: 2)) {
            // Longer than the suite's time limit: only being stopped ends it in time.
            let slow = pauseStep(milliseconds: 120_000, label: "slow")
            _ = explodeStep(model: fitStep(data: makeDatasetStep(size: 1), rate: 1))
            _ = constantStep.after(slow)(value: 1)
        }
        _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
        let steps = Dictionary(uniqueKeysWithValues: try await store.stack.metadata.stepRuns(runID: run.id).map { ($0.invocation, $0.status) })
        #expect(steps["explode"] == .failed)
        #expect(steps["pause"] == .stopped)
        #expect(steps["constant"] == .skipped)
    }

    @Test("the fixture diamond: fan-out, fan-in, several outputs, pipeline outputs")
    func diamond() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let result = try await FixturePipelines.diamond.run(on: store.stack)
        #expect(try await result.steps.count == 7)
        #expect(try await result.output("text", as: String.self) == "total = 75.0")
        let measurements = try await result.output("measurements", as: [BranchSummary].self)
        #expect(measurements.map(\.label) == ["branch_0", "branch_1"])
        #expect(measurements[1].values == [3, 6, 9, 12, 15])
        let summarise = try #require(try await result.step("summarise"))
        let inputs = try await store.stack.metadata.inputs(ofStepRun: summarise.id)
        #expect(inputs.map(\.position) == [0, 1])
        #expect(inputs.map(\.artifact.serializer) == ["cairn.npy", "cairn.npy"])
        #expect(try await store.stack.metadata.parents(ofStepRun: summarise.id).count == 2)
    }

    @Test("a parameter that does not decode is a clear step failure")
    func wrongArtifactType() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        // Connect an Int artifact to a Double input through the untyped layer, which the typed API forbids.
        let produce = ClosureStep<Int>("produce", inputs: []) { 3 }
        let consume = ClosureStep<Dataset, Double>("consume", inputs: ["data"]) { _ in 1 }
        let pipeline = Pipeline("mismatch") {
            let number = produce()
            _ = consume(Handle(binding: number.binding))
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error?.description.contains("input 'data' of step 'consume'") == true)
        #expect(error?.description.contains("mismatch::produce::output") == true)
    }
}
