public import Foundation

/// Everything a metadata store recorded about one run: the run, its step runs with their lineage,
/// logs and metadata, and the artifact versions its step runs produced.
///
/// A history keeps identifiers, names, version numbers and dates as they were recorded, so that a
/// store that imports it (``HistoryImport/importRun(_:)``) answers every question about the run as
/// the store it came from does. ``MetadataStore/history(of:pipelineCreatedAt:)`` reads one.
public struct RunHistory: Sendable, Equatable {
    /// A step run with its links and metadata.
    public struct StepRun: Sendable, Equatable {
        /// The step run, with its cache key's ingredients and its log's digest.
        public var record: StepRunRecord
        /// Its input artifact versions.
        public var inputs: [InputLink]
        /// The step runs it depends on, in the order they were given.
        public var parents: [String]
        /// Its output artifact versions by output name: versions it produced, or, for a cached step
        /// run, versions it reuses.
        public var outputs: [String: String]
        /// Its metadata.
        public var metadata: [String: JSONValue]

        /// Makes a step run's history.
        public init(
            record: StepRunRecord, inputs: [InputLink] = [], parents: [String] = [], outputs: [String: String] = [:],
            metadata: [String: JSONValue] = [:]
        ) {
            self.record = record
            self.inputs = inputs
            self.parents = parents
            self.outputs = outputs
            self.metadata = metadata
        }
    }

    /// The run, as it ended.
    public var run: RunRecord
    /// When the run's pipeline was first recorded in the store the history comes from.
    public var pipelineCreatedAt: Date
    /// The run's metadata.
    public var metadata: [String: JSONValue]
    /// Its step runs, in the order they were created.
    public var stepRuns: [StepRun]
    /// The artifact versions its step runs produced, in the order of their producers.
    public var artifactVersions: [ArtifactVersionHistory]

    /// Makes a run's history.
    public init(
        run: RunRecord, pipelineCreatedAt: Date, metadata: [String: JSONValue] = [:], stepRuns: [StepRun] = [],
        artifactVersions: [ArtifactVersionHistory] = []
    ) {
        self.run = run
        self.pipelineCreatedAt = pipelineCreatedAt
        self.metadata = metadata
        self.stepRuns = stepRuns
        self.artifactVersions = artifactVersions
    }
}

// MARK: - API

extension RunHistory {
    /// The step runs of other runs that this run refers to: those its cached step runs reuse.
    ///
    /// A store imports the run only once they are there.
    public var externalStepRunIDs: [String] {
        let own = Set(stepRuns.map(\.record.id))
        return Self.unique(stepRuns.flatMap { $0.parents + ($0.record.cachedFrom.map { [$0] } ?? []) }.filter { !own.contains($0) })
    }

    /// The artifact versions this run uses that its step runs did not produce: inputs and reused
    /// outputs that came from other runs or were saved outside pipelines, and named outputs that are
    /// such reused outputs.
    ///
    /// A store imports the run only once they are there.
    public var externalArtifactVersionIDs: [String] {
        let own = Set(artifactVersions.map(\.record.id))
        let used = stepRuns.flatMap { $0.inputs.map(\.artifactVersionID) + $0.outputs.values.sorted() } + run.outputs.values.sorted()
        return Self.unique(used.filter { !own.contains($0) })
    }

    /// The digests of the bytes the run's records refer to, each once: its artifact versions', their
    /// visualizations' and its step runs' logs'.
    public var digests: [String] {
        Self.unique(
            artifactVersions.flatMap { [$0.record.digest] + $0.visualizations.map(\.digest) } + stepRuns.compactMap(\.record.logDigest))
    }

    /// `values` without repetitions, in the order they first appear.
    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
