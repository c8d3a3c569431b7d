public import Foundation

/// Step runs: writing how they start and end, and reading them with their links.
public protocol StepRunStore: Sendable {
    /// Writes `writes` in one transaction, in order, so that later ones may name or end step runs
    /// started by earlier ones: how a run records several step runs (its cache hits, or quick steps
    /// that ended together) with one commit.
    ///
    /// - Returns: For each write, in order, the artifact versions it created: a completed end's
    ///   new versions, in the order of its outputs; empty for every other write.
    /// - Throws: ``CairnError/store(_:)`` when a started step run's run, one of its input artifact
    ///   versions or one of its parent step runs is not in the store, and
    ///   ``CairnError/notFound(kind:name:suggestion:)`` when an ended step run is not; then nothing is written.
    @discardableResult
    func writeStepRuns(_ writes: [StepRunWrite]) async throws -> [[ArtifactVersionRecord]]

    /// Links a log, stored in the artifact store under `digest`, to a step run.
    func attachLog(stepRunID: String, digest: String) async throws

    /// Marks a failed step run as retried: another attempt follows it.
    func markRetried(stepRunID: String) async throws

    /// The step run with this identifier.
    func stepRun(id: String) async throws -> StepRunRecord?

    /// The step runs of a run, in the order they were created, without their cache keys' ingredients
    /// (``StepRunRecord/cacheIngredients`` is `nil`): a run may have a hundred thousand step runs, and
    /// only an explanation reads the ingredients, from ``stepRun(id:)``.
    func stepRuns(runID: String) async throws -> [StepRunRecord]

    /// Completed step runs with this cache key, newest first: the candidates for a cache hit; like
    /// ``stepRuns(runID:)``, without their cache keys' ingredients.
    func cacheCandidates(key: String, limit: Int) async throws -> [StepRunRecord]

    /// The input artifact versions of a step run.
    func inputs(ofStepRun id: String) async throws -> [ArtifactLink]

    /// The output artifact versions of a step run.
    func outputs(ofStepRun id: String) async throws -> [ArtifactLink]

    /// The identifiers of the step runs a step run depends on.
    func parents(ofStepRun id: String) async throws -> [String]
}

// MARK: - Writing one step run

extension StepRunStore {
    /// Records a step run as it starts (see ``StepRunWrite/start(_:)``).
    @discardableResult
    public func createStepRun(_ stepRun: NewStepRun) async throws -> StepRunRecord {
        try await writeStepRuns([.start(stepRun)])
        return StepRunRecord(stepRun)
    }

    /// Records how a step run ended (see ``StepRunWrite/end(stepRunID:outcome:startedAt:endedAt:)``).
    ///
    /// - Returns: The new artifact versions, in the order of the outputs; empty unless it completed.
    @discardableResult
    public func finishStepRun(id: String, outcome: StepOutcome, startedAt: Date? = nil, at date: Date) async throws -> [ArtifactVersionRecord] {
        try await writeStepRuns([.end(stepRunID: id, outcome: outcome, startedAt: startedAt, endedAt: date)]).first ?? []
    }
}
