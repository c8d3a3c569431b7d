/// How much a metadata store holds, for `cairn status`.
public struct StoreCounts: Codable, Sendable, Equatable {
    /// Pipelines that have at least one run.
    public var pipelines: Int
    /// Runs.
    public var runs: Int
    /// Step runs, of every run.
    public var stepRuns: Int
    /// Distinct artifact names.
    public var artifacts: Int
    /// Artifact versions, of every name.
    public var artifactVersions: Int

    /// Makes counts.
    public init(pipelines: Int = 0, runs: Int = 0, stepRuns: Int = 0, artifacts: Int = 0, artifactVersions: Int = 0) {
        self.pipelines = pipelines
        self.runs = runs
        self.stepRuns = stepRuns
        self.artifacts = artifacts
        self.artifactVersions = artifactVersions
    }
}
