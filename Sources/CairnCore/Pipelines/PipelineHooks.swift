/// Code a pipeline runs at points of a run's life.
///
/// - `onInit` runs before any step. What it returns is the run's state, which steps read through
///   ``StepContext/initState``. A step running in a process of its own runs `onInit` there first.
/// - `onSuccess` runs after a run in which every step completed or was cached.
/// - `onFailure` runs after a failed run and receives why it failed: each failed step with the
///   error it threw (see ``RunFailure``).
/// - `onCleanup` always runs last, even after a failure or a failing hook.
///
/// A hook that throws is recorded with the run (and reported as a warning); it never replaces the
/// run's own error. If `onInit` throws, no step runs and the run fails.
///
/// ```swift
/// let training = Pipeline("training", hooks: PipelineHooks(
///     onInit: { try await Database.connect() },
///     onFailure: { run, failure in await alert("\(run.name) failed in \(failure.steps.map(\.invocation))") }
/// )) { … }
/// ```
public struct PipelineHooks: Sendable {
    /// Runs before any step; its result is the run's state.
    public var onInit: (@Sendable () async throws -> (any Sendable)?)?
    /// Runs after a successful run.
    public var onSuccess: (@Sendable (RunRecord) async throws -> Void)?
    /// Runs after a failed run, with why it failed.
    public var onFailure: (@Sendable (RunRecord, RunFailure) async throws -> Void)?
    /// Runs last, always.
    public var onCleanup: (@Sendable (RunRecord) async throws -> Void)?

    /// Makes hooks; each is optional.
    public init(
        onInit: (@Sendable () async throws -> (any Sendable)?)? = nil,
        onSuccess: (@Sendable (RunRecord) async throws -> Void)? = nil,
        onFailure: (@Sendable (RunRecord, RunFailure) async throws -> Void)? = nil,
        onCleanup: (@Sendable (RunRecord) async throws -> Void)? = nil
    ) {
        self.onInit = onInit
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.onCleanup = onCleanup
    }
}

/// Code a step runs when it ends, in the process where it ran.
///
/// A hook that throws is recorded in the step run's error text after the step's own error; it never
/// replaces it.
public struct StepHooks: Sendable {
    /// Runs after the step completed.
    public var onSuccess: (@Sendable (StepRunRecord) async throws -> Void)?
    /// Runs after the step failed, with the error its body threw (in a step process, a
    /// ``CairnError/stepFailed(step:message:)`` for an error it could not pass on).
    public var onFailure: (@Sendable (StepRunRecord, any Error) async throws -> Void)?

    /// Makes hooks; each is optional.
    public init(
        onSuccess: (@Sendable (StepRunRecord) async throws -> Void)? = nil,
        onFailure: (@Sendable (StepRunRecord, any Error) async throws -> Void)? = nil
    ) {
        self.onSuccess = onSuccess
        self.onFailure = onFailure
    }
}
