/// What deleting a run removed, and what it left because something else still uses it.
public struct RunDeletion: Codable, Sendable, Equatable {
    /// The run as it was.
    public var run: RunRecord
    /// How many of its step runs were deleted (all of them).
    public var deletedStepRunCount: Int
    /// Artifact versions the run produced that nothing else used; their bytes stay in the artifact
    /// store until `cairn artifact prune`.
    public var deletedArtifactVersions: [ArtifactVersionRecord]
    /// Artifact versions the run produced that step runs of other runs use: they stay, without a producer.
    public var keptArtifactVersions: [ArtifactVersionRecord]

    /// Makes a report.
    public init(
        run: RunRecord, deletedStepRunCount: Int, deletedArtifactVersions: [ArtifactVersionRecord],
        keptArtifactVersions: [ArtifactVersionRecord]
    ) {
        self.run = run
        self.deletedStepRunCount = deletedStepRunCount
        self.deletedArtifactVersions = deletedArtifactVersions
        self.keptArtifactVersions = keptArtifactVersions
    }
}
