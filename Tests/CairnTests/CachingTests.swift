import Cairn
import CairnTesting
import Foundation
import Synchronization
import Testing

/// How many times the counted step's body ran.
let countedExecutions = Atomic<Int>(0)

@Step
func counted(value: Int) -> Int {
    countedExecutions.add(1, ordering: .relaxed)
    return value * 10
}

@Suite("Caching", .serialized, .timeLimit(.minutes(1)))
struct CachingTests {
    /// Runs a one-step pipeline twice, the second time changed by `change`, and returns the
    /// second run's status of the step.
    func secondRun(
        first: StepOptions = StepOptions(), second: StepOptions = StepOptions(),
        firstPipeline: PipelineOptions = PipelineOptions(), secondPipeline: PipelineOptions = PipelineOptions(),
        firstRate: Double = 0.5, secondRate: Double = 0.5, version: (String, String) = ("1", "1")
    ) async throws -> ExecutionStatus {
        let store = try TemporaryStore()
        defer { store.remove() }
        for secret in Set(first.secrets + second.secrets + firstPipeline.secrets + secondPipeline.secrets) {
            try await store.stack.secrets.create(secret, values: ["value": "of-\(secret)"])
        }
        func pipeline(_ options: StepOptions, _ pipelineOptions: PipelineOptions, rate: Double, version: String) -> Pipeline<NoParameters> {
            let scale = ClosureStep<Double, Double>("scale", inputs: ["rate"], version: version, options: options) { $0 * 2 }
            return Pipeline("cached", options: pipelineOptions) { _ = scale(.constant(rate)) }
        }
        try await pipeline(first, firstPipeline, rate: firstRate, version: version.0).run(on: store.stack)
        let result = try await pipeline(second, secondPipeline, rate: secondRate, version: version.1).run(on: store.stack)
        return try #require(try await result.step("scale")).status
    }

    @Test("an unchanged step is cached; each ingredient that changes makes it run again")
    func ingredientsInvalidate() async throws {
        #expect(try await secondRun() == .cached)
        #expect(try await secondRun(firstRate: 0.5, secondRate: 0.6) == .completed, "parameters")
        #expect(try await secondRun(version: ("1", "2")) == .completed, "code fingerprint")
        #expect(try await secondRun(first: StepOptions(environment: ["MODE": "a"]), second: StepOptions(environment: ["MODE": "b"])) == .completed, "environment")
        #expect(try await secondRun(firstPipeline: PipelineOptions(environment: ["X": "1"]), secondPipeline: PipelineOptions(environment: ["X": "2"])) == .completed, "pipeline environment")
        #expect(try await secondRun(first: StepOptions(secrets: ["aws"]), second: StepOptions(secrets: ["gcp"])) == .completed, "secret names")
        let one = CachePolicy(cacheFunction: { "one" })
        let two = CachePolicy(cacheFunction: { "two" })
        #expect(try await secondRun(first: StepOptions(cachePolicy: one), second: StepOptions(cachePolicy: two)) == .completed, "cache function")
        #expect(try await secondRun(first: StepOptions(cachePolicy: one), second: StepOptions(cachePolicy: one)) == .cached)
        #expect(helperUsedByStepFingerprint.count == 64, "@Fingerprinted gives a helper's fingerprint")
        let helper = CachePolicy(sourceDependencies: ["helper-v1"])
        #expect(try await secondRun(first: StepOptions(cachePolicy: helper), second: StepOptions(cachePolicy: CachePolicy(sourceDependencies: ["helper-v2"]))) == .completed, "source dependencies")
    }

    @Test("what the policy excludes does not invalidate")
    func policyExclusions() async throws {
        let noParameters = StepOptions(cachePolicy: CachePolicy(includeParameters: false))
        #expect(try await secondRun(first: noParameters, second: noParameters, firstRate: 1, secondRate: 2) == .cached)
        let ignored = StepOptions(cachePolicy: CachePolicy(ignoredInputs: ["rate"]))
        #expect(try await secondRun(first: ignored, second: ignored, firstRate: 1, secondRate: 2) == .cached)
        let noCode = StepOptions(cachePolicy: CachePolicy(includeStepCode: false))
        #expect(try await secondRun(first: noCode, second: noCode, version: ("1", "2")) == .cached)
        #expect(try await secondRun(second: StepOptions(enableCache: false)) == .completed, "caching switched off")
        #expect(try await secondRun(secondPipeline: PipelineOptions(enableCache: false)) == .completed, "switched off for the pipeline")
    }

    @Test("file dependencies invalidate when their contents change, not when they are touched")
    func fileDependencies() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "cairn-dependency-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try "a".write(to: file, atomically: true, encoding: .utf8)
        let store = try TemporaryStore()
        defer { store.remove() }
        let options = StepOptions(cachePolicy: CachePolicy(fileDependencies: [file.path]))
        let scale = ClosureStep<Double, Double>("scale", inputs: ["rate"], options: options) { $0 * 2 }
        let pipeline = Pipeline("files") { _ = scale(2) }
        try await pipeline.run(on: store.stack)
        try "a".write(to: file, atomically: true, encoding: .utf8)
        #expect(try await pipeline.run(on: store.stack).step("scale")?.status == .cached)
        try "b".write(to: file, atomically: true, encoding: .utf8)
        #expect(try await pipeline.run(on: store.stack).step("scale")?.status == .completed)
        try FileManager.default.removeItem(at: file)
        let error = await #expect(throws: CairnError.self) { try await pipeline.run(on: store.stack) }
        #expect(error?.description.contains("its cache policy lists the file '\(file.path)', which cannot be read") == true)
    }

    @Test("input artifacts count by content by default, by version when the policy says so")
    func inputContent() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        func pipeline(size: Int, byVersion: Bool = false) -> Pipeline<NoParameters> {
            Pipeline("inputs") {
                let data = makeDatasetStep.withOptions { $0.enableCache = false }(size: .constant(size))
                _ = fitStep.withOptions { $0.cachePolicy = CachePolicy(includeArtifactIDs: byVersion) }(data: data, rate: 1)
            }
        }
        try await pipeline(size: 3).run(on: store.stack)
        let sameContent = try await pipeline(size: 3).run(on: store.stack)
        #expect(try await sameContent.step("makeDataset")?.status == .completed, "caching is off for the producer")
        #expect(try await sameContent.step("fit")?.status == .cached, "a new version with the same content still hits")
        #expect(try await pipeline(size: 4).run(on: store.stack).step("fit")?.status == .completed, "new content misses")
        try await pipeline(size: 4, byVersion: true).run(on: store.stack)
        #expect(try await pipeline(size: 4, byVersion: true).run(on: store.stack).step("fit")?.status == .completed, "a new version misses")
    }

    @Test("a hit reuses the same artifact versions and links to the original step run")
    func hitReusesArtifacts() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("reuse") { _ = fitStep(data: makeDatasetStep(size: 3), rate: 1) }
        let first = try await pipeline.run(on: store.stack)
        let second = try await pipeline.run(on: store.stack)
        let original = try #require(try await first.step("fit"))
        let cached = try #require(try await second.step("fit"))
        #expect(cached.status == .cached && cached.cachedFrom == original.id)
        #expect(cached.cacheKey == original.cacheKey && cached.cacheKey != nil)
        let originalOutputs = try await store.stack.metadata.outputs(ofStepRun: original.id)
        #expect(try await store.stack.metadata.outputs(ofStepRun: cached.id) == originalOutputs)
        #expect(try await store.stack.metadata.artifactVersions(named: "reuse::fit::output").count == 1, "nothing copied")
        let producer = try #require(try await second.step("makeDataset"))
        #expect(try await store.stack.metadata.parents(ofStepRun: cached.id) == [producer.id])
    }

    /// The version `makeDataset` made in `run`.
    func datasetVersion(of run: RunResult, in store: TemporaryStore) async throws -> ArtifactVersionRecord {
        let maker = try #require(try await run.step("makeDataset"))
        return try #require(try await store.stack.metadata.outputs(ofStepRun: maker.id).first).artifact
    }

    @Test("a deleted or truncated output turns a hit into a miss, and the rerun repairs its bytes", arguments: [ObjectDamage.deleted, .truncated])
    func missingArtifact(_ damage: ObjectDamage) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("damaged") { _ = fitStep(data: makeDatasetStep(size: 3), rate: 1) }
        let first = try await pipeline.run(on: store.stack)
        let output = try await datasetVersion(of: first, in: store)
        try damage.apply(to: URL(filePath: store.stack.artifacts.location(of: output.digest)))
        let second = try await pipeline.run(on: store.stack)
        #expect(try await second.step("makeDataset")?.status == .completed)
        #expect(try await second.step("fit")?.status == .cached, "the same bytes again: the same cache key")
        #expect(try await store.stack.artifacts.check(output.digest) == .intact)
    }

    @Test("bytes changed at the same size fail the step that loads them, naming the version and its maker; the next run recomputes it")
    func changedArtifact() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("changed") { _ = fitStep(data: makeDatasetStep(size: 3), rate: 1) }
            .withOptions(forStep: "fit") { $0.enableCache = false }
        let first = try await pipeline.run(on: store.stack)
        let output = try await datasetVersion(of: first, in: store)
        try ObjectDamage.flipped.apply(to: URL(filePath: store.stack.artifacts.location(of: output.digest)))
        let second = try await PipelineRunner(stack: store.stack).run(pipeline.compile())
        #expect(try await second.step("makeDataset")?.status == .cached, "the size is right: only a load can tell")
        let fit = try #require(try await second.step("fit"))
        #expect(fit.status == .failed)
        #expect(fit.error?.contains("artifact 'changed::makeDataset::output:1' (made by step 'makeDataset' of run '\(first.run.name)') cannot be used") == true, "\(fit.error ?? "")")
        #expect(try await store.stack.metadata.artifactVersion(id: output.id)?.isUsable == false)
        let third = try await pipeline.run(on: store.stack)
        #expect(try await third.step("makeDataset")?.status == .completed)
        #expect(try await third.step("fit")?.status == .completed)
        #expect(try await store.stack.artifacts.check(output.digest) == .intact)
    }

    @Test("an expired entry is a miss")
    func expiry() async throws {
        #expect(try await secondRun(
            first: StepOptions(cachePolicy: CachePolicy(expiresAfter: .seconds(3_600))),
            second: StepOptions(cachePolicy: CachePolicy(expiresAfter: .seconds(3_600)))) == .cached)
        #expect(try await secondRun(
            first: StepOptions(cachePolicy: CachePolicy(expiresAfter: .zero)),
            second: StepOptions(cachePolicy: CachePolicy(expiresAfter: .zero))) == .completed)
    }

    @Test("a fully cached run executes no step")
    func fullyCached() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let pipeline = Pipeline("full") {
            let values = (1...5).map { countedStep(value: .constant($0)) }
            _ = countedStep.after(values[0])(value: 99)
        }
        try await pipeline.run(on: store.stack)
        let before = countedExecutions.load(ordering: .relaxed)
        let second = try await pipeline.run(on: store.stack)
        #expect(countedExecutions.load(ordering: .relaxed) == before, "no step body ran")
        let secondSteps = try await second.steps
        #expect(secondSteps.count == 6 && secondSteps.allSatisfy { $0.status == .cached })
        #expect(second.run.status == .completed)
    }

    @Test("the same ingredients give the same key whatever the dictionary order, and the key is stable across machines")
    func stableKeys() {
        let first = CacheKeyIngredients(
            step: "s", codeFingerprint: "f", parameters: ["a": "1", "b": "2"], inputs: ["x": ["sha256:00"]],
            outputs: ["output": "cairn.json@1"], environment: ["K": "V", "A": "B"], secretNames: [], files: [:], sources: [],
            cacheFunctionValue: nil)
        var second = first
        second.parameters = ["b": "2", "a": "1"]
        second.environment = ["A": "B", "K": "V"]
        #expect(first.key == second.key)
        #expect(first.canonicalJSON == #"{"codeFingerprint":"f","environment":{"A":"B","K":"V"},"files":{},"inputs":{"x":["sha256:00"]},"outputs":{"output":"cairn.json@1"},"parameters":{"a":"1","b":"2"},"secretNames":[],"sources":[],"step":"s"}"#)
        second.parameters["a"] = "3"
        #expect(second.differences(from: first) == ["parameters.a"])
    }
}
