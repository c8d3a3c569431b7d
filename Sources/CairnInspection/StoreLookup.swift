public import CairnCore

/// Finds what people name, in a metadata store: a run, a pipeline, a step of a run, an artifact
/// version. When nothing has the name, it throws a ``LookupFailure`` with the closest name.
///
/// ```swift
/// let run = try await StoreLookup(store).run("diamond-1")
/// ```
public struct StoreLookup: Sendable {
    /// The store looked in.
    public let metadata: any MetadataStore

    /// Looks in `metadata`.
    public init(_ metadata: any MetadataStore) {
        self.metadata = metadata
    }

    /// The run named or identified by `reference`: names first, since people type names and scripts identifiers.
    public func run(_ reference: String) async throws -> RunRecord {
        if let run = try await metadata.run(named: reference) { return run }
        if let run = try await metadata.run(id: reference) { return run }
        let suggestion = try await closestRunName(to: reference)
        throw LookupFailure(.run, problem: "no run named '\(reference)'" + Self.didYouMean(suggestion), suggestion: suggestion)
    }

    /// The run name closest to `name`, among the names sharing its longest known prefix and the 50 newest.
    ///
    /// Every look-up is one range of the index on names, so this stays fast on any number of runs.
    public func closestRunName(to name: String) async throws -> String? {
        var candidates = Set(try await metadata.runSummaries(RunQuery(limit: 50)).map(\.name))
        for length in stride(from: name.count, to: 0, by: -1) {
            let names = try await metadata.runNames(startingWith: String(name.prefix(length)), limit: 50)
            if !names.isEmpty {
                candidates.formUnion(names)
                break
            }
        }
        return Suggestion.closest(to: name, in: candidates.sorted())
    }

    /// Checks that a pipeline has runs.
    public func requirePipeline(_ name: String) async throws {
        let names = try await metadata.pipelines().map(\.name)
        guard !names.contains(name) else { return }
        let suggestion = Suggestion.closest(to: name, in: names)
        throw LookupFailure(.pipeline, problem: "no pipeline named '\(name)'" + Self.didYouMean(suggestion), suggestion: suggestion)
    }

    /// The latest step run of the invocation `step` in `run`.
    public func stepRun(_ step: String, of run: RunRecord) async throws -> StepRunRecord {
        let stepRuns = try await metadata.stepRuns(runID: run.id)
        if let found = stepRuns.last(where: { $0.invocation == step }) { return found }
        let known = run.graph.nodes.map(\.invocation)
        let suggestion = Suggestion.closest(to: step, in: known)
        let problem = known.contains(step)
            ? "step '\(step)' of run '\(run.name)' has not started"
            : "run '\(run.name)' has no step named '\(step)'" + Self.didYouMean(suggestion)
        throw LookupFailure(.step(run: run.name, invocations: known), problem: problem, suggestion: suggestion == step ? nil : suggestion)
    }

    /// The artifact version `reference` names: `NAME`, `NAME:VERSION`, `NAME:latest` (see
    /// ``ArtifactReference``), or a version's identifier.
    public func artifactVersion(_ reference: String) async throws -> ArtifactVersionRecord {
        if let version = try await metadata.artifactVersion(id: reference) { return version }
        let parsed = ArtifactReference(parsing: reference)
        if let version = parsed.version {
            if let found = try await metadata.artifactVersion(named: parsed.name, version: version) { return found }
            if let latest = try await metadata.artifactVersion(named: parsed.name, version: nil) {
                throw LookupFailure(
                    .artifactVersion(name: parsed.name),
                    problem: "artifact '\(parsed.name)' has no version \(version); its versions are 1 to \(latest.version)")
            }
        }
        // `NAME:3` may also be a whole name that ends in a colon and digits.
        if let found = try await metadata.artifactVersion(named: reference, version: nil) { return found }
        if parsed.version == nil, parsed.name != reference,
            let found = try await metadata.artifactVersion(named: parsed.name, version: nil)
        {
            return found  // `NAME:latest`
        }
        let names = try await metadata.artifacts().map(\.name)
        let suggestion = Suggestion.closest(to: parsed.name, in: names)
        throw LookupFailure(
            .artifact, problem: "no artifact named '\(parsed.name)'" + Self.didYouMean(suggestion),
            suggestion: suggestion.map { name in parsed.version.map { "\(name):\($0)" } ?? name })
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean '\($0)'?" } ?? ""
    }
}
