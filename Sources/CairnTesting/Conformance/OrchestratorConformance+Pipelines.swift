public import Cairn
import Foundation

/// Parameters of the orchestrator conformance pipelines.
public struct OrchestratorConformanceParameters: Codable, Sendable {
    /// How many numbers the diamond starts from.
    public var count = 4
    /// Whether the diamond's check fails.
    public var failing = false
    /// A file the flaky step creates on its first attempt, which then fails; once the file exists, it succeeds.
    public var flakyMarker = ""

    /// Makes parameters.
    public init(count: Int = 4, failing: Bool = false, flakyMarker: String = "") {
        self.count = count
        self.failing = failing
        self.flakyMarker = flakyMarker
    }
}

/// Makes the numbers 1 to `count`, and says so in its log.
@Step
func conformanceNumbers(count: Int) -> [Int] {
    StepContext.current?.logger.info("making \(count) numbers")
    return Array(1...count)
}

/// Multiplies every number by `factor`.
@Step
func conformanceScale(numbers: [Int], factor: Int) -> [Int] {
    numbers.map { $0 * factor }
}

/// Adds up both lists.
@Step
func conformanceSum(left: [Int], right: [Int]) -> Int {
    (left + right).reduce(0, +)
}

/// Passes `total` on, or fails when asked to.
@Step
func conformanceCheck(total: Int, failing: Bool) throws -> Int {
    if failing { throw CairnError.store("the check failed on purpose") }
    return total
}

/// Describes a checked total.
@Step
func conformanceReport(total: Int) -> String {
    "total \(total)"
}

/// Fails on its first attempt, which leaves `marker` behind, and succeeds on the next.
@Step
func conformanceFlaky(marker: String) throws -> String {
    guard FileManager.default.fileExists(atPath: marker) else {
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
        throw CairnError.store("the first attempt fails on purpose")
    }
    return "second attempt"
}

extension OrchestratorConformance {
    /// A diamond: `conformanceNumbers`, scaled twice (`conformanceScale`, `conformanceScale_2`),
    /// summed, checked, reported. Its `total` is 5 × (1 + … + count).
    public static let diamond = Pipeline("conformance_diamond", parameters: OrchestratorConformanceParameters()) { parameters in
        let numbers = conformanceNumbersStep(count: parameters.count)
        let sum = conformanceSumStep(left: conformanceScaleStep(numbers: numbers, factor: 2), right: conformanceScaleStep(numbers: numbers, factor: 3))
        let total = conformanceCheckStep(total: sum, failing: parameters.failing)
        return ["total": total, "report": conformanceReportStep(total: total)]
    }

    /// One flaky step, retried once, not cached.
    public static let retrying = Pipeline(
        "conformance_retrying", parameters: OrchestratorConformanceParameters(),
        options: PipelineOptions(enableCache: false, retry: RetryPolicy(maxRetries: 1))
    ) { parameters in
        return ["value": conformanceFlakyStep(marker: parameters.flakyMarker)]
    }

    /// The pipelines the checks run. An orchestrator that runs steps in other processes runs them
    /// through the pipeline executable, which must serve these: `CairnCLI.main(pipelines: … + OrchestratorConformance.pipelines)`.
    public static let pipelines: [any PipelineDefinition] = [diamond, retrying]
}
