public import Cairn

/// Parameters of the diamond pipeline.
public struct DiamondParameters: Codable, Sendable {
    public var count = 5
    public var pauseMilliseconds = 0
    public var fail = false
    public var crash = false

    public init(count: Int = 5, pauseMilliseconds: Int = 0, fail: Bool = false, crash: Bool = false) {
        self.count = count
        self.pauseMilliseconds = pauseMilliseconds
        self.fail = fail
        self.crash = crash
    }
}

/// Parameters of the dynamic map pipeline.
public struct DynamicMapParameters: Codable, Sendable {
    public var count = 4
    public var fail = false

    public init(count: Int = 4, fail: Bool = false) {
        self.count = count
        self.fail = fail
    }
}

/// Parameters of the large-artifacts pipeline.
public struct LargeArtifactParameters: Codable, Sendable {
    /// How many numbers each large artifact holds (8 bytes each).
    public var count = 1_000_000

    public init(count: Int = 1_000_000) {
        self.count = count
    }
}

/// Parameters of the parallel training pipelines.
public struct ParallelTrainingParameters: Codable, Sendable {
    /// How long each training takes.
    public var milliseconds = 1_000
    /// Whether a training blocks its thread (as synchronous code does) rather than awaiting.
    public var blocking = true

    public init(milliseconds: Int = 1_000, blocking: Bool = true) {
        self.milliseconds = milliseconds
        self.blocking = blocking
    }
}

/// Parameters of the trapping pipeline; on purpose not validated.
public struct TrappingParameters: Codable, Sendable {
    /// The value the step converts; a negative one traps.
    public var value = 1

    public init(value: Int = 1) {
        self.value = value
    }
}

/// Parameters of the disk-filling pipeline.
public struct FillDiskParameters: Codable, Sendable {
    /// The file to write until the disk is full.
    public var path = ""

    public init(path: String = "") {
        self.path = path
    }
}

/// The pipelines the tests run in process and in subprocesses.
public enum FixturePipelines {
    /// A source, two parallel branches, a fan-in with two outputs, then a description and a check
    /// that can be made to fail or to crash its process.
    public static let diamond = Pipeline("diamond", parameters: DiamondParameters()) { parameters in
        let numbers = makeNumbersStep(count: parameters.count, start: 1)
        let doubled = scaleStep(numbers: numbers, factor: 2, pauseMilliseconds: parameters.pauseMilliseconds)
        let tripled = scaleStep(numbers: numbers, factor: 3, pauseMilliseconds: parameters.pauseMilliseconds)
        let summary = summariseStep(lists: [doubled, tripled], label: "branch")
        let text = describeStep(total: summary.total)
        let total = crashIfStep(crash: parameters.crash, value: summary.total)
        let checked = checkStep(total: total, fail: parameters.fail)
        return ["measurements": summary.measurements, "text": text, "checked": checked]
    }

    /// A step that reports an environment variable set by the pipeline and the step options.
    public static let environment = Pipeline("environment", options: PipelineOptions(environment: ["CAIRN_FIXTURE_A": "pipeline", "CAIRN_FIXTURE_B": "pipeline"])) {
        let read = readEnvironmentStep.withOptions { $0.environment = ["CAIRN_FIXTURE_B": "step"] }
        return ["a": read(name: "CAIRN_FIXTURE_A"), "b": read(name: "CAIRN_FIXTURE_B")]
    }

    /// A dynamic pipeline: the number of calls comes from a value awaited at run time, each named
    /// `scale_<value>`; a fan-in, then a check that can be made to fail.
    public static let dynamicMap = DynamicPipeline("dynamic_map", parameters: DynamicMapParameters()) { parameters in
        let numbers = makeNumbersStep(count: parameters.count, start: 1)
        var scaled: [Handle<[Double]>] = []
        for value in try await numbers.value {
            scaled.append(scaleStep.named("scale_\(Int(value))")(numbers: .constant([value]), factor: 10, pauseMilliseconds: 0))
        }
        let summary = summariseStep(lists: .gathering(scaled), label: "mapped")
        return ["measurements": summary.measurements, "checked": checkStep(total: summary.total, fail: parameters.fail)]
    }

    /// 42 small steps: 8 chains of 5 steps from one source, gathered by a last step. The kill tests
    /// interrupt it between and during many small records.
    public static let manySteps = Pipeline("many_steps") {
        let numbers = makeNumbersStep(count: 16, start: 1)
        var chains: [Handle<[Double]>] = []
        for chain in 0..<8 {
            var values = numbers
            for link in 0..<5 { values = shiftStep(numbers: values, offset: .constant(Double(chain * 10 + link))) }
            chains.append(values)
        }
        return ["total": totalStep(lists: .gathering(chains))]
    }

    /// Three large artifacts (8 MB each by default), each smoothed into another, then summed. The
    /// kill tests interrupt it while it writes large files.
    public static let largeArtifacts = Pipeline("large_artifacts", parameters: LargeArtifactParameters()) { parameters in
        let smoothed = (1...3).map { seed in smoothStep(numbers: makeNoiseStep(count: parameters.count, seed: .constant(seed))) }
        return ["total": totalStep(lists: .gathering(smoothed))]
    }

    /// ZenML's example of parallel steps: three models trained on one dataset, which depend only on
    /// it and run in parallel, then compared.
    public static let parallelTraining = Pipeline("parallel_training", parameters: ParallelTrainingParameters()) { parameters in
        let data = makeNumbersStep(count: 10, start: 1)
        let scores = ["a", "b", "c"].map { model in
            trainForStep.named("train_model_\(model)")(numbers: data, milliseconds: parameters.milliseconds, blocking: parameters.blocking)
        }
        return ["best": compareModelsStep(scores: .gathering(scores))]
    }

    /// The same as a dynamic pipeline: the trainings are called as the body runs.
    public static let parallelTrainingDynamic = DynamicPipeline("parallel_training_dynamic", parameters: ParallelTrainingParameters()) { parameters in
        let data = makeNumbersStep(count: 10, start: 1)
        var scores: [Handle<Double>] = []
        for model in ["a", "b", "c"] {
            scores.append(trainForStep.named("train_model_\(model)")(numbers: data, milliseconds: parameters.milliseconds, blocking: parameters.blocking))
        }
        return ["best": compareModelsStep(scores: .gathering(scores))]
    }

    /// One step that traps (a Swift runtime error, as `UInt64(-1)` is) when `value` is negative.
    public static let trapping = Pipeline("trapping", parameters: TrappingParameters()) { parameters in
        return ["unsigned": unsignedStep(value: parameters.value)]
    }

    /// One step that fills the disk with a file outside the store, leaving it full for the rest of
    /// the run: its own output, and then the run's records, meet a full disk.
    public static let fillDisk = Pipeline("fill_disk", parameters: FillDiskParameters()) { parameters in
        return ["written": fillDiskStep(path: parameters.path)]
    }

    /// A step that needs the secret `api_keys` and prints, logs and records its `token`: nothing of
    /// it may be stored.
    public static let secrets = Pipeline("secrets", options: PipelineOptions(secrets: ["api_keys"])) {
        return ["seen": revealSecretStep(key: "TOKEN")]
    }

    /// Every fixture pipeline.
    public static let all: [any PipelineDefinition] = [
        diamond, environment, dynamicMap, manySteps, largeArtifacts, parallelTraining, parallelTrainingDynamic, trapping, fillDisk, secrets,
    ]
}
