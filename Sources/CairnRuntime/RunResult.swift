public import CairnCore

/// A finished run: its record, and access to its step runs and outputs.
public struct RunResult: Sendable {
    /// The run's record.
    public let run: RunRecord
    /// The stack the run used.
    public let stack: Stack

    /// The run's step runs, in the order they were recorded, read from the metadata store.
    ///
    /// Read when asked for, as ZenML's run responses do, rather than held by the result: a dynamic
    /// run may have a hundred thousand.
    public var steps: [StepRunRecord] {
        get async throws { try await stack.metadata.stepRuns(runID: run.id) }
    }

    /// Whether every step completed or was cached.
    public var succeeded: Bool { run.status == .completed }

    /// The step run of an invocation: its last attempt.
    public func step(_ invocation: String) async throws -> StepRunRecord? {
        try await steps.last { $0.invocation == invocation }
    }

    /// Throws ``CairnError/runFailed(run:failures:)`` if the run did not succeed.
    @discardableResult
    public func requireSuccess() throws -> RunResult {
        guard succeeded else {
            throw CairnError.runFailed(run: run.name, failures: (run.error ?? "").split(separator: "\n").map(String.init))
        }
        return self
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
