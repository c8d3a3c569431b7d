import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("Running pipelines in process", .timeLimit(.minutes(1)))
struct RunTests {
    @Test("independent steps overlap in time, as the recorded start and end times show")
    func independentStepsOverlap() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("parallel", options: PipelineOptions(maxConcurrency: 4)) {
            for label in ["a", "b", "c"] { _ = pauseStep(milliseconds: 1_000, label: .constant(label)) }
        }
        let result = try await pipeline.run(on: store.stack)
        let steps = try await result.steps
        #expect(steps.count == 3)
        let latestStart = try #require(steps.map(\.startedAt).max())
        let earliestEnd = try #require(steps.compactMap(\.endedAt).min())
        #expect(latestStart < earliestEnd, "every step started before any ended")
    }

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

    @Test("versions count up per artifact name across runs, and run names never repeat")
    func versionsAndRunNames() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("versions", options: PipelineOptions(runNameTemplate: "fixed-name", enableCache: false)) {
            _ = constantStep(value: 7)
        }
        var names: [String] = []
        for _ in 0..<3 { names.append(try await pipeline.run(on: store.stack).run.name) }
        #expect(names == ["fixed-name", "fixed-name_2", "fixed-name_3"])
        let versions = try await store.stack.metadata.artifactVersions(named: "versions::constant::output")
        #expect(versions.map(\.version) == [1, 2, 3])
        #expect(Set(versions.map(\.digest)).count == 1, "identical content has one digest")
        let latest = try await store.stack.loadArtifact("versions::constant::output", as: Int.self)
        #expect(latest == 7)
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

    @Test("stop on failure starts nothing new after a failure; fail fast also stops running steps")
    func executionModes() async throws {
        for mode in [ExecutionMode.stopOnFailure, .failFast] {
            let store = try TemporaryStore()
            defer { store.remove() }
            let pipeline = Pipeline("modes", options: PipelineOptions(executionMode: mode, maxConcurrency: 2)) {
                let slow = pauseStep(milliseconds: 6000, label: "slow")
                _ = explodeStep(model: fitStep(data: makeDatasetStep(size: 1), rate: 1))
                _ = constantStep.after(slow)(value: 1)
            }
            _ = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
            let run = try #require(try await store.stack.metadata.runs(RunQuery()).first)
            let steps = Dictionary(uniqueKeysWithValues: try await store.stack.metadata.stepRuns(runID: run.id).map { ($0.invocation, $0.status) })
            #expect(steps["explode"] == .failed)
            #expect(steps["constant"] == .skipped, "\(mode): nothing new starts after the failure")
            #expect(steps["pause"] == (mode == .failFast ? .stopped : .completed), "\(mode)")
        }
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
        let produce = Step<Int>("produce", inputs: []) { 3 }
        let consume = Step<Dataset, Double>("consume", inputs: ["data"]) { _ in 1 }
        let pipeline = Pipeline("mismatch") {
            let number = produce()
            _ = consume(Handle(binding: number.binding))
        }
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error?.description.contains("input 'data' of step 'consume'") == true)
        #expect(error?.description.contains("mismatch::produce::output") == true)
    }
}
