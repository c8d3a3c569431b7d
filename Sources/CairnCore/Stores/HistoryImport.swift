/// A metadata store that takes in what another store recorded, as it was recorded: how
/// `cairn store copy` moves a history from one stack to another.
///
/// What is imported keeps its identifiers, names, version numbers and dates, so that every question
/// asked of the store that imports it gets the answer the original store gives. Importing is
/// idempotent: a run or an artifact version whose identifier the store holds already is left as it
/// is, so that a copy run again copies nothing twice.
///
/// ```swift
/// let history = try await source.history(of: run, pipelineCreatedAt: pipeline.createdAt)
/// let isNew = try await destination.importRun(history)
/// ```
public protocol HistoryImport: Sendable {
    /// Records a run whole, as `history` describes it, in one transaction: the run and its graph,
    /// its step runs with their inputs, outputs, parents, cache keys and logs, the artifact versions
    /// they produced with their numbers, metadata and visualizations, and the metadata of the run
    /// and its step runs. The run's pipeline is registered if it is new.
    ///
    /// The step runs and artifact versions of other runs it refers to (``RunHistory/externalStepRunIDs``,
    /// ``RunHistory/externalArtifactVersionIDs``) must be in the store already.
    ///
    /// - Parameter history: The run's history, as another store recorded it.
    /// - Returns: `true` when the run was recorded; `false` when the store holds a run with its
    ///   identifier already, which is left as it is.
    /// - Throws: ``HistoryConflict`` when another run has its name or another version of an artifact
    ///   has the number of one of its versions, and ``CairnError/store(_:)`` when a step run or
    ///   artifact version it refers to is not in the store. Nothing is written then.
    func importRun(_ history: RunHistory) async throws -> Bool

    /// Records an artifact version that no step run produced (one saved outside a pipeline, or
    /// kept when its run was deleted), with its number, metadata and visualizations, in one
    /// transaction.
    ///
    /// - Parameter version: The version's history, as another store recorded it.
    /// - Returns: `true` when the version was recorded; `false` when the store holds a version with
    ///   its identifier already, which is left as it is.
    /// - Throws: ``HistoryConflict/artifactVersion(name:version:)`` when another version of the
    ///   artifact has its number; nothing is written then.
    func importArtifactVersion(_ version: ArtifactVersionHistory) async throws -> Bool
}
