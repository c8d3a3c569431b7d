/// What inspecting a store reads, as `cairn status`, `cairn runs` and `cairn artifact` show it:
/// counts, summaries and lineage, each in one query where a listing would otherwise ask once per row.
public protocol StoreInspection: Sendable {
    /// How many pipelines (with runs), runs, step runs, artifact names and artifact versions the store holds.
    func counts() async throws -> StoreCounts

    /// The version of the store's schema: the name of the last migration applied to it.
    func schemaVersion() async throws -> String

    /// How many bytes the store's records take where they are kept.
    func storedBytes() async throws -> Int64

    /// At most `limit` run names that start with `prefix`, in name order; for suggesting a name close to a mistyped one.
    func runNames(startingWith prefix: String, limit: Int) async throws -> [String]

    /// Summaries of the runs matching `query`, newest first, in the order of ``RunStore/runs(_:)``:
    /// what a listing shows, without decoding graphs and configurations.
    func runSummaries(_ query: RunQuery) async throws -> [RunSummary]

    /// The output artifact versions of every step run of a run, by step run identifier, each by output name.
    func stepRunOutputs(runID: String) async throws -> [String: [ArtifactLink]]

    /// The step runs with these identifiers, with the names of their runs; unknown identifiers are left out.
    func stepRunReferences(ids: [String]) async throws -> [StepRunReference]

    /// Every artifact name, in name order, with its number of versions and its latest version.
    func artifacts() async throws -> [ArtifactSummary]

    /// The step runs that read this artifact version as an input, oldest first.
    func consumers(ofArtifactVersion id: String) async throws -> [StepRunReference]
}
