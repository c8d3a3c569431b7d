public import Foundation

extension MetadataStore {
    /// Everything this store recorded about `run`, for another store to import
    /// (``HistoryImport/importRun(_:)``), read with the protocol's own reads.
    ///
    /// - Parameters:
    ///   - run: The run, as this store holds it.
    ///   - pipelineCreatedAt: When this store first recorded the run's pipeline (``pipelines()``).
    public func history(of run: RunRecord, pipelineCreatedAt: Date) async throws -> RunHistory {
        let outputs = try await stepRunOutputs(runID: run.id)
        var steps: [RunHistory.StepRun] = []
        var produced: [ArtifactVersionHistory] = []
        for listed in try await stepRuns(runID: run.id) {
            // Listings leave out the cache key's ingredients, which only the step run's own read has.
            let record = listed.cacheKey == nil ? listed : try await stepRun(id: listed.id) ?? listed
            let links = outputs[listed.id] ?? []
            steps.append(
                RunHistory.StepRun(
                    record: record,
                    inputs: try await inputs(ofStepRun: listed.id).map {
                        InputLink(name: $0.name, position: $0.position, artifactVersionID: $0.artifact.id)
                    },
                    parents: try await parents(ofStepRun: listed.id),
                    outputs: Dictionary(links.map { ($0.name, $0.artifact.id) }, uniquingKeysWith: { first, _ in first }),
                    metadata: try await metadata(of: .stepRun(id: listed.id))))
            for link in links where link.artifact.producerStepRunID == listed.id {
                produced.append(try await history(ofArtifactVersion: link.artifact))
            }
        }
        return RunHistory(
            run: run, pipelineCreatedAt: pipelineCreatedAt, metadata: try await metadata(of: .run(id: run.id)), stepRuns: steps,
            artifactVersions: produced)
    }

    /// An artifact version with its metadata and visualizations, for another store to import
    /// (``HistoryImport/importArtifactVersion(_:)``).
    public func history(ofArtifactVersion version: ArtifactVersionRecord) async throws -> ArtifactVersionHistory {
        ArtifactVersionHistory(
            record: version, metadata: try await metadata(of: .artifactVersion(id: version.id)),
            visualizations: try await visualizations(ofArtifactVersion: version.id))
    }
}
