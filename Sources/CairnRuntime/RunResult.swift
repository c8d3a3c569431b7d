public import CairnCore

/// A finished run: its record, and access to its step runs and outputs.
///
/// ## Topics
///
/// ### Making a result
///
/// - ``init(run:stack:failure:)``
///
/// ### The run
///
/// - ``run``
/// - ``stack``
/// - ``succeeded``
/// - ``failure``
/// - ``requireSuccess()``
///
/// ### Its step runs
///
/// - ``steps``
/// - ``step(_:)``
/// - ``timeline``
///
/// ### Its outputs
///
/// - ``outputs``
/// - ``output(_:as:)``
public struct RunResult: Sendable {
    /// The run's record.
    public let run: RunRecord
    /// The stack the run used.
    public let stack: Stack
    /// Why the run failed, with the errors its steps threw, if it failed.
    public let failure: RunFailure?

    /// Makes the result of a run; a failed run's `failure` is rebuilt from its record's error text when not given.
    public init(run: RunRecord, stack: Stack, failure: RunFailure? = nil) {
        self.run = run
        self.stack = stack
        self.failure = failure ?? (run.status == .completed ? nil : RunFailure(run: run, failures: Self.lines(of: run.error)))
    }

    private static func lines(of error: String?) -> [String] {
        (error ?? "").split(separator: "\n").map(String.init)
    }

    /// The run's step runs, in the order they were recorded, read from the metadata store.
    ///
    /// Read when asked for, as ZenML's run responses do, rather than held by the result: a dynamic
    /// run may have a hundred thousand.
    public var steps: [StepRunRecord] {
        get async throws { try await stack.metadata.stepRuns(runID: run.id) }
    }

    /// When each step was queued, started and ended, read from the metadata store.
    public var timeline: RunTimeline {
        get async throws { RunTimeline(run: run, stepRuns: try await steps) }
    }

    /// Whether every step completed or was cached.
    public var succeeded: Bool { run.status == .completed }

    /// The step run of an invocation: its last attempt.
    public func step(_ invocation: String) async throws -> StepRunRecord? {
        try await steps.last { $0.invocation == invocation }
    }

    /// Throws `CairnError.runFailed(_:)`, with the run's record and its steps' errors, if the run did not succeed.
    @discardableResult
    public func requireSuccess() throws -> RunResult {
        if !succeeded, let failure { throw CairnError.runFailed(failure) }
        return self
    }

    /// The pipeline's named outputs (what its body returned), by name, as the artifact versions
    /// that hold them; empty unless the run completed.
    public var outputs: [String: ArtifactVersionRecord] {
        get async throws {
            let versions = try await stack.metadata.artifactVersions(ids: Array(run.outputs.values))
            let byID = Dictionary(versions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return run.outputs.compactMapValues { byID[$0] }
        }
    }

    /// Loads the value of one of the pipeline's named outputs.
    public func output<T>(_ name: String, as type: T.Type = T.self) async throws -> T {
        guard let id = run.outputs[name], let version = try await stack.metadata.artifactVersion(id: id) else {
            throw CairnError.notFound(
                kind: "output of run '\(run.name)'", name: name, suggestion: Suggestion.closest(to: name, in: run.outputs.keys.sorted()))
        }
        return try await stack.loadArtifact(version, as: type)
    }
}
