/// Artifact versions: finding them, saving one outside a pipeline, marking damaged ones, and
/// their visualizations. Step runs create most versions as they end (``StepRunStore/writeStepRuns(_:)``).
public protocol ArtifactVersionStore: Sendable {
    /// The artifact version with this identifier.
    func artifactVersion(id: String) async throws -> ArtifactVersionRecord?

    /// A version of the named artifact: `version`, or the latest when it is `nil`.
    func artifactVersion(named name: String, version: Int?) async throws -> ArtifactVersionRecord?

    /// At most `limit` versions of the named artifact, newest (highest-numbered) first, after skipping
    /// `offset`: a page of an artifact that may have tens of thousands of versions.
    func artifactVersions(named name: String, limit: Int, offset: Int) async throws -> [ArtifactVersionRecord]

    /// The artifact versions with these identifiers, in the order of `ids`; unknown identifiers are left out.
    func artifactVersions(ids: [String]) async throws -> [ArtifactVersionRecord]

    /// Marks every artifact version whose bytes are stored under `digest` unusable, for `reason`, or
    /// usable again when `reason` is `nil` (see ``ArtifactVersionRecord/unusableReason``).
    ///
    /// The versions are marked by digest, since they share their bytes: cached step runs and other
    /// outputs with the same content are just as damaged.
    func markArtifacts(digest: String, unusableBecause reason: String?) async throws

    /// Records a new version of an artifact saved outside a pipeline, numbered one past the latest.
    func createArtifactVersion(_ version: NewArtifactVersion) async throws -> ArtifactVersionRecord

    /// Links stored visualizations to an artifact version.
    func addVisualizations(_ visualizations: [VisualizationRecord], toArtifactVersion id: String) async throws

    /// The visualizations of an artifact version.
    func visualizations(ofArtifactVersion id: String) async throws -> [VisualizationRecord]
}

extension ArtifactVersionStore {
    /// Every version of the named artifact, oldest first.
    public func artifactVersions(named name: String) async throws -> [ArtifactVersionRecord] {
        try await artifactVersions(named: name, limit: Int(Int32.max), offset: 0).reversed()
    }
}
