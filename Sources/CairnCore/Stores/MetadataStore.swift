public import Foundation

/// Where runs, step runs, artifact versions and lineage are recorded.
///
/// The local default is `SQLiteMetadataStore` (module `CairnSQLite`); teams will use a PostgreSQL
/// store. Every implementation passes the same conformance tests. Methods are `async` so that a
/// networked store can implement them without blocking.
public protocol MetadataStore: Sendable {
    // MARK: Runs

    /// Records a new run with status `running`, registering its pipeline on its first run.
    ///
    /// If another run already has the wanted name, `_2`, `_3`, … is appended when the request allows
    /// it (``NewRun/isNumbered``); otherwise it throws ``CairnError/runNameTaken(name:)``. Two runs
    /// never share a name.
    func createRun(_ run: NewRun) async throws -> RunRecord

    /// Marks a finished run as running again, with the graph it now executes, to resume it.
    func resumeRun(id: String, graph: PipelineGraph, at date: Date) async throws

    /// Records the graph of a run whose steps were not all known when it started (a dynamic pipeline's).
    func recordGraph(_ graph: PipelineGraph, ofRun id: String) async throws

    /// Records that the process running a run is alive.
    func heartbeat(runID: String, at date: Date) async throws

    /// Marks a run whose process is gone as failed with `reason`, and its unfinished step runs too.
    func abandonRun(id: String, reason: String, at date: Date) async throws

    /// Records the end of a run, if `owner` still runs it.
    ///
    /// - Throws: ``CairnError/runTakenOver(run:owner:)`` when another process runs it now (it
    ///   resumed the run after taking this one for dead), and ``CairnError/notFound(kind:name:suggestion:)``
    ///   when there is no such run.
    func finishRun(id: String, status: ExecutionStatus, error: String?, outputs: [String: String], at date: Date, owner: RunOwner) async throws

    /// The run with this identifier.
    func run(id: String) async throws -> RunRecord?

    /// The run with this name.
    func run(named name: String) async throws -> RunRecord?

    /// Runs matching `query`, newest first.
    func runs(_ query: RunQuery) async throws -> [RunRecord]

    /// Every pipeline that has runs, by name.
    func pipelines() async throws -> [PipelineRecord]

    // MARK: Step runs

    /// Records a step run with its inputs and parents, and for a cached one its reused outputs.
    func createStepRun(_ stepRun: NewStepRun) async throws -> StepRunRecord

    /// Records several step runs in one transaction, in order, so that later ones may name earlier
    /// ones as parents: how a run records the cache hits it resolves before dispatching anything.
    func createStepRuns(_ stepRuns: [NewStepRun]) async throws

    /// Records how a step run ended, numbering and linking its output artifact versions in the same transaction.
    ///
    /// - Parameters:
    ///   - id: The step run's identifier.
    ///   - outcome: How it ended, with its outputs when it completed.
    ///   - startedAt: When the step's body began, if it did and that differs from the recorded start:
    ///     a step run is recorded as running before its inputs are read.
    ///   - date: When it ended: when its body returned or failed.
    @discardableResult
    func finishStepRun(id: String, outcome: StepOutcome, startedAt: Date?, at date: Date) async throws -> [ArtifactVersionRecord]

    /// Records step runs whole, each as ``createStepRun(_:)`` then ``finishStepRun(id:outcome:startedAt:at:)``
    /// would, all in one transaction and in order, so that later ones may link to earlier ones'
    /// outputs: several quick steps of a run that ended while the steps they depend on were being
    /// recorded are recorded with one write.
    ///
    /// - Returns: The new artifact versions of each, in the order of its outputs.
    /// - Throws: ``CairnError/store(_:)`` when a run, an input artifact version or a parent step run
    ///   is not in the store; then none is recorded.
    @discardableResult
    func recordStepRuns(_ stepRuns: [WholeStepRun]) async throws -> [[ArtifactVersionRecord]]

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

    // MARK: Artifacts

    /// The artifact version with this identifier.
    func artifactVersion(id: String) async throws -> ArtifactVersionRecord?

    /// A version of the named artifact: `version`, or the latest when it is `nil`.
    func artifactVersion(named name: String, version: Int?) async throws -> ArtifactVersionRecord?

    /// Every version of the named artifact, oldest first.
    func artifactVersions(named name: String) async throws -> [ArtifactVersionRecord]

    /// At most `limit` versions of the named artifact, newest (highest-numbered) first, after skipping
    /// `offset`: a page of an artifact that may have tens of thousands of versions.
    func artifactVersions(named name: String, limit: Int, offset: Int) async throws -> [ArtifactVersionRecord]

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

    // MARK: Metadata

    /// Sets key-value metadata on a run, step run or artifact version; a key logged again is replaced.
    func logMetadata(_ values: [String: JSONValue], on target: MetadataTarget) async throws

    /// The metadata of a run, step run or artifact version.
    func metadata(of target: MetadataTarget) async throws -> [String: JSONValue]

    // MARK: Inspection

    /// How many pipelines (with runs), runs, step runs, artifact names and artifact versions the store holds.
    func counts() async throws -> StoreCounts

    /// The version of the store's schema: the name of the last migration applied to it.
    func schemaVersion() async throws -> String

    /// How many bytes the store's records take where they are kept.
    func storedBytes() async throws -> Int64

    /// At most `limit` run names that start with `prefix`, in name order; for suggesting a name close to a mistyped one.
    func runNames(startingWith prefix: String, limit: Int) async throws -> [String]

    /// Summaries of the runs matching `query`, newest first, in the order of ``runs(_:)``: what a
    /// listing shows, without decoding graphs and configurations.
    func runSummaries(_ query: RunQuery) async throws -> [RunSummary]

    /// The output artifact versions of every step run of a run, by step run identifier, each by output name.
    func stepRunOutputs(runID: String) async throws -> [String: [ArtifactLink]]

    /// The artifact versions with these identifiers, in the order of `ids`; unknown identifiers are left out.
    func artifactVersions(ids: [String]) async throws -> [ArtifactVersionRecord]

    /// The step runs with these identifiers, with the names of their runs; unknown identifiers are left out.
    func stepRunReferences(ids: [String]) async throws -> [StepRunReference]

    /// Every artifact name, in name order, with its number of versions and its latest version.
    func artifacts() async throws -> [ArtifactSummary]

    /// The step runs that read this artifact version as an input, oldest first.
    func consumers(ofArtifactVersion id: String) async throws -> [StepRunReference]

    /// The digest of every artifact version: the artifact bytes that must be kept.
    func referencedDigests() async throws -> Set<String>

    /// Deletes a run, its step runs and their input, output and parent links, in one transaction.
    ///
    /// The artifact versions the run's step runs produced are deleted too, unless a step run of
    /// another run reads them or lists them as its outputs (a cached step run does): those stay,
    /// without a producer. Bytes are never touched; `cairn artifact prune` removes those no version
    /// references any more. A run's named outputs are outputs of its step runs, so they are covered.
    ///
    /// - Throws: ``CairnError/notFound(kind:name:suggestion:)`` when no run has this identifier.
    func deleteRun(id: String) async throws -> RunDeletion
}

// MARK: - API

extension MetadataStore {
    /// Records how a step run ended, keeping its recorded start.
    @discardableResult
    public func finishStepRun(id: String, outcome: StepOutcome, at date: Date) async throws -> [ArtifactVersionRecord] {
        try await finishStepRun(id: id, outcome: outcome, startedAt: nil, at: date)
    }
}

/// Which runs to list.
public struct RunQuery: Sendable, Equatable {
    /// Only runs of this pipeline.
    public var pipelineName: String?
    /// Only runs with this status.
    public var status: ExecutionStatus?
    /// Only runs that started at or after this date.
    public var startedAfter: Date?
    /// Only runs with this tag (see ``PipelineOptions/tags``).
    public var tag: String?
    /// At most this many runs.
    public var limit: Int
    /// Skip this many runs first.
    public var offset: Int

    /// Makes a query; by default, the 20 newest runs.
    public init(
        pipelineName: String? = nil, status: ExecutionStatus? = nil, startedAfter: Date? = nil, tag: String? = nil, limit: Int = 20,
        offset: Int = 0
    ) {
        self.pipelineName = pipelineName
        self.status = status
        self.startedAfter = startedAfter
        self.tag = tag
        self.limit = limit
        self.offset = offset
    }
}
