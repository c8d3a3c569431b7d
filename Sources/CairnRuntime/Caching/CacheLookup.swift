import CairnCore
import Foundation

/// Finds a reusable earlier step run for a step about to run, and records the cache hit.
///
/// A hit counts only if the earlier step run completed, has not expired under the cache policy, and
/// every one of its output artifacts can be reused (see ``ArtifactStore/canReuse(_:)``): a deleted,
/// truncated, or unusable artifact turns a hit into a miss.
struct CacheLookup {
    let metadata: any MetadataStore
    let artifacts: any ArtifactStore

    /// The cached result for the step of `launch`, if caching applies to it and an earlier step run
    /// can be reused; the hit is recorded.
    static func hit(for launch: inout StepLaunch) async -> StepResult? {
        guard let hit = await find(for: &launch), (try? await launch.stack.metadata.createStepRun(hit.stepRun)) != nil else { return nil }
        return hit.result
    }

    /// The cache hit for the step of `launch`, not yet recorded: the step run to record, and the
    /// result it stands for. On a miss, `launch` keeps the ingredients' JSON computed for the lookup.
    static func find(for launch: inout StepLaunch) async -> (stepRun: NewStepRun, result: StepResult)? {
        guard let node = launch.pipeline.graph.node(launch.invocation), let definition = launch.pipeline.definitions[launch.invocation],
            definition.problems.isEmpty
        else { return nil }
        let options = definition.options.resolved(in: launch.pipeline.options)
        guard options.enableCache,
            let ingredients = try? CacheKeyBuilder.ingredients(of: node, definition: definition, options: options, upstream: launch.upstream)
        else { return nil }
        let json = ingredients.canonicalJSON
        launch.cacheIngredientsJSON = json
        let lookup = CacheLookup(metadata: launch.stack.metadata, artifacts: launch.stack.artifacts)
        return try? await lookup.resolve(
            node, definition: definition, ingredientsJSON: json, policy: options.cachePolicy, run: launch.run, upstream: launch.upstream,
            queuedAt: launch.queuedAt)
    }

    /// The step run recording `node` as cached from an earlier step run, with its result, or `nil`
    /// when there is no valid hit.
    private func resolve(
        _ node: PipelineNode, definition: StepDefinition, ingredientsJSON json: String, policy: CachePolicy,
        run: RunRecord, upstream: [String: UpstreamStep], queuedAt: Date, now: Date = Date()
    ) async throws -> (stepRun: NewStepRun, result: StepResult)? {
        let key = CacheKeyIngredients.key(ofCanonicalJSON: json)
        for candidate in try await metadata.cacheCandidates(key: key, limit: 5) {
            if let expiry = policy.expiresAfter, let ended = candidate.endedAt, .seconds(now.timeIntervalSince(ended)) > expiry { continue }
            let outputs = try await metadata.outputs(ofStepRun: candidate.id)
            let byName = Dictionary(outputs.map { ($0.name, $0.artifact) }, uniquingKeysWith: { $1 })
            guard definition.outputs.allSatisfy({ byName[$0.name] != nil }) else { continue }
            guard await artifacts.canReuse(byName.values) else { continue }
            let stepRun = NewStepRun(
                runID: run.id, invocation: node.invocation, stepName: node.step, status: .cached, queuedAt: queuedAt, startedAt: now,
                parameters: node.parameters, fingerprint: node.fingerprint,
                inputs: try StepExecutor.inputLinks(of: node, upstream: upstream),
                parents: node.upstream.compactMap { upstream[$0]?.stepRunID },
                cacheKey: key, cacheIngredients: json, cachedFrom: candidate.id,
                reusedOutputs: byName.mapValues(\.id))
            return (stepRun, StepResult(invocation: node.invocation, record: StepRunRecord(stepRun), outputs: byName))
        }
        return nil
    }
}
