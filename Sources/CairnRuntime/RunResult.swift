public import CairnCore

/// A finished run: its record, its step runs, and access to its outputs.
public struct RunResult: Sendable {
    /// The run's record.
    public let run: RunRecord
    /// The run's step runs, in the order they were recorded.
    public let steps: [StepRunRecord]
    /// The stack the run used.
    public let stack: Stack

    /// Whether every step completed or was cached.
    public var succeeded: Bool { run.status == .completed }

    /// The step run of an invocation.
    public func step(_ invocation: String) -> StepRunRecord? {
        steps.last { $0.invocation == invocation }
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
            throw CairnError.notFound(kind: "output of run '\(run.name)'", name: name, suggestion: run.outputs.keys.sorted().first)
        }
        return try await stack.loadArtifact(version, as: type)
    }
}
