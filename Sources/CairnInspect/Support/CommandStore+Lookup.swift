import Cairn

extension CommandStore {
    // MARK: - Finding what a command names

    /// The run named or identified by `reference`.
    ///
    /// - Parameter retry: The command line to suggest with a corrected name.
    /// - Throws: A ``CommandError`` that suggests the closest run name.
    func run(_ reference: String, retry: (String) -> String) async throws -> RunRecord {
        // Names first: people type names, scripts identifiers.
        if let run = try await metadata.run(named: reference) { return run }
        if let run = try await metadata.run(id: reference) { return run }
        let suggestion = try await closestRunName(to: reference)
        throw CommandError(
            "no run named '\(reference)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
            hint: suggestion.map { "Try: \(retry($0))" } ?? "List the runs with: cairn runs list")
    }

    /// The run name closest to `name`, among the names sharing its longest known prefix and the 50 newest.
    ///
    /// Every look-up is one range of the index on names, so this stays fast on any number of runs.
    func closestRunName(to name: String) async throws -> String? {
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

    /// Checks that a pipeline has runs, suggesting the closest name when it has none.
    func requirePipeline(_ name: String, retry: (String) -> String) async throws {
        let names = try await metadata.pipelines().map(\.name)
        guard !names.contains(name) else { return }
        let suggestion = Suggestion.closest(to: name, in: names)
        throw CommandError(
            "no pipeline named '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
            hint: suggestion.map { "Try: \(retry($0))" } ?? "List the pipelines with: cairn pipeline list")
    }

    /// The latest step run of the invocation `step` in `run`.
    func stepRun(_ step: String, of run: RunRecord, retry: (String) -> String) async throws -> StepRunRecord {
        let stepRuns = try await metadata.stepRuns(runID: run.id)
        if let found = stepRuns.last(where: { $0.invocation == step }) { return found }
        let known = run.graph.nodes.map(\.invocation)
        let suggestion = Suggestion.closest(to: step, in: known)
        let problem = known.contains(step)
            ? "step '\(step)' of run '\(run.name)' has not started"
            : "run '\(run.name)' has no step named '\(step)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        throw CommandError(
            problem,
            hint: suggestion.flatMap { $0 == step ? nil : "Try: \(retry($0))" }
                ?? "Its steps are: \(known.joined(separator: ", ")). See them with: cairn runs show \(run.name)")
    }

    /// The artifact version `reference` names: `NAME`, `NAME:VERSION`, `NAME:latest`, or a version's identifier.
    func artifactVersion(_ reference: String, retry: (String) -> String) async throws -> ArtifactVersionRecord {
        if let version = try await metadata.artifactVersion(id: reference) { return version }
        let parsed = ArtifactReference(parsing: reference)
        if let version = parsed.version {
            if let found = try await metadata.artifactVersion(named: parsed.name, version: version) { return found }
            if let latest = try await metadata.artifactVersion(named: parsed.name, version: nil) {
                throw CommandError(
                    "artifact '\(parsed.name)' has no version \(version); its versions are 1 to \(latest.version)",
                    hint: "List them with: cairn artifact versions \(parsed.name)")
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
        let corrected = suggestion.map { name in parsed.version.map { "\(name):\($0)" } ?? name }
        throw CommandError(
            "no artifact named '\(parsed.name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
            hint: corrected.map { "Try: \(retry($0))" } ?? "List the artifacts with: cairn artifact list")
    }
}
