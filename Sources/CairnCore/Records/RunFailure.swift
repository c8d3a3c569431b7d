/// Why a run failed: the run's record, each step that failed with the error it threw, and every
/// failure as the run's record keeps it.
///
/// A failed run throws it, as ``CairnError/runFailed(_:)``, from `Pipeline.run`, and a pipeline's
/// failure hook receives it:
///
/// ```swift
/// do {
///     try await training.run()
/// } catch CairnError.runFailed(let failure) {
///     print(failure.run.name, failure.steps.map(\.invocation))   // the record of the failed run
///     if let diverged = failure.steps.first?.error as? TrainingError { … }
/// }
/// ```
public struct RunFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run's record, as it ended.
    public var run: RunRecord
    /// The steps that failed, in the order of the run's graph.
    public var steps: [StepFailure]
    /// Every failure, one line each, the run's own (its body or `onInit` hook failed) first: the
    /// run's error text.
    public var failures: [String]

    /// Makes a failure.
    public init(run: RunRecord, steps: [StepFailure] = [], failures: [String]) {
        self.run = run
        self.steps = steps
        self.failures = failures
    }

    /// The run's name, then each failure on a line of its own.
    public var description: String {
        "run '\(run.name)' failed:\n" + failures.map { "  - \($0)" }.joined(separator: "\n")
    }

    /// Whether both describe the same run, failures and failed steps; the steps' errors are not compared.
    public static func == (left: RunFailure, right: RunFailure) -> Bool {
        left.run == right.run && left.failures == right.failures && left.steps.map(\.invocation) == right.steps.map(\.invocation)
    }
}

/// A step that failed, with the error it threw.
public struct StepFailure: Sendable {
    /// The invocation's name.
    public var invocation: String
    /// The failed step run's identifier, if it was recorded.
    public var stepRunID: String?
    /// The error the step's body threw, as it threw it, when it ran in this process; otherwise a
    /// ``CairnError/stepFailed(step:message:)`` with the error text it recorded.
    public var error: any Error

    /// Makes a step failure.
    public init(invocation: String, stepRunID: String?, error: any Error) {
        self.invocation = invocation
        self.stepRunID = stepRunID
        self.error = error
    }
}
