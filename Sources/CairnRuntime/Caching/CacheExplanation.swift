public import CairnCore

/// Why a step run ran or was cached: its cache key's ingredients, compared with the last earlier run
/// of the same step in the same pipeline.
public struct CacheExplanation: Sendable {
    /// The step run explained.
    public let stepRun: StepRunRecord
    /// Its cache key's ingredients, if caching applied to it.
    public let ingredients: CacheKeyIngredients?
    /// The step run it reused, for a cached one.
    public let reused: StepRunRecord?
    /// The same step's run in the last earlier run of the pipeline, if any.
    public let previous: StepRunRecord?
    /// The ingredients that differ from the previous step run's (`parameters.rate`, `code`, `inputs.data`).
    public let changed: [String]

    /// Explains a step run.
    public static func explain(_ stepRun: StepRunRecord, in run: RunRecord, metadata: any MetadataStore) async throws -> CacheExplanation {
        let ingredients = try await Self.ingredients(of: stepRun, metadata: metadata)
        let reused = try await stepRun.cachedFrom.asyncFlatMap { try await metadata.stepRun(id: $0) }
        var previous: StepRunRecord?
        for earlier in try await metadata.runs(RunQuery(pipelineName: run.pipelineName, limit: 50)) where earlier.id != run.id && earlier.startedAt <= run.startedAt {
            if let match = try await metadata.stepRuns(runID: earlier.id).last(where: { $0.invocation == stepRun.invocation && $0.cacheKey != nil }) {
                previous = match
                break
            }
        }
        let previousIngredients = try await previous.asyncFlatMap { try await Self.ingredients(of: $0, metadata: metadata) }
        let changed = ingredients.flatMap { current in previousIngredients.map { current.differences(from: $0) } } ?? []
        return CacheExplanation(stepRun: stepRun, ingredients: ingredients, reused: reused, previous: previous, changed: changed)
    }

    /// A step run's cache key ingredients, read from the store when the record came from a list,
    /// which leaves them out.
    private static func ingredients(of stepRun: StepRunRecord, metadata: any MetadataStore) async throws -> CacheKeyIngredients? {
        var json = stepRun.cacheIngredients
        if json == nil, stepRun.cacheKey != nil { json = try await metadata.stepRun(id: stepRun.id)?.cacheIngredients }
        return try json.map { try CanonicalJSON.decode(CacheKeyIngredients.self, from: $0) }
    }

    /// The explanation in a sentence or two.
    public var summary: String {
        let step = "step '\(stepRun.invocation)'"
        if let reused {
            return "\(step) was cached: it reused step run \(reused.id), whose cache key \(stepRun.cacheKey ?? "") is the same."
        }
        guard ingredients != nil else {
            return "\(step) \(stepRun.status.rawValue) without a cache key" + (stepRun.error.map { ": \($0)" } ?? ".")
        }
        guard previous != nil else {
            return "\(step) ran: no earlier run of this step in this pipeline had a cache key to reuse."
        }
        if changed.isEmpty {
            return "\(step) ran although no ingredient changed: caching was off for it, or the earlier outputs were missing or expired."
        }
        return "\(step) ran because these changed since the previous run: \(changed.joined(separator: ", "))."
    }
}

extension Optional {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
