import Cairn
import CairnInspection

extension CommandStore {
    // MARK: - Finding what a command names

    /// The run named or identified by `reference`.
    ///
    /// - Parameter retry: The command line to suggest with a corrected name.
    /// - Throws: A ``CommandError`` that suggests the closest run name.
    func run(_ reference: String, retry: (String) -> String) async throws -> RunRecord {
        try await suggesting(retry) { try await $0.run(reference) }
    }

    /// Checks that a pipeline has runs, suggesting the closest name when it has none.
    func requirePipeline(_ name: String, retry: (String) -> String) async throws {
        try await suggesting(retry) { try await $0.requirePipeline(name) }
    }

    /// The latest step run of the invocation `step` in `run`.
    func stepRun(_ step: String, of run: RunRecord, retry: (String) -> String) async throws -> StepRunRecord {
        try await suggesting(retry) { try await $0.stepRun(step, of: run) }
    }

    /// The artifact version `reference` names: `NAME`, `NAME:VERSION`, `NAME:latest`, or a version's identifier.
    func artifactVersion(_ reference: String, retry: (String) -> String) async throws -> ArtifactVersionRecord {
        try await suggesting(retry) { try await $0.artifactVersion(reference) }
    }

    /// What `body` finds; a ``LookupFailure`` becomes a ``CommandError`` that says what to type instead.
    private func suggesting<T>(_ retry: (String) -> String, _ body: (StoreLookup) async throws -> T) async throws -> T {
        do {
            return try await body(StoreLookup(metadata))
        } catch let failure as LookupFailure {
            let instead: String =
                switch failure.subject {
                case .run: "List the runs with: cairn runs list"
                case .pipeline: "List the pipelines with: cairn pipeline list"
                case .step(let run, let invocations): "Its steps are: \(invocations.joined(separator: ", ")). See them with: cairn runs show \(run)"
                case .artifact: "List the artifacts with: cairn artifact list"
                case .artifactVersion(let name): "List them with: cairn artifact versions \(name)"
                }
            throw CommandError(failure.problem, hint: failure.suggestion.map { "Try: \(retry($0))" } ?? instead)
        }
    }
}
