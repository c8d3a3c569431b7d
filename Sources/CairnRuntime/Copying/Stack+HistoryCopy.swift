import CairnCore

extension Stack {
    /// Copies the history this stack's stores hold into `destination`'s: every run that has ended,
    /// with its step runs, lineage, logs, metadata and visualizations, the artifact versions they
    /// produced, the versions saved outside pipelines, and the bytes of all of them.
    ///
    /// ```swift
    /// let local = try await Stack.open(StackSelection.resolve(name: "local"), creating: false)
    /// let team = try await Stack.open(StackSelection.resolve(name: "team"))
    /// let report = try await local.copyHistory(to: team)
    /// print(report.copiedRuns.count, report.copiedBytes)
    /// ```
    ///
    /// What is copied keeps its identifiers, run names, version numbers and dates, so that every
    /// `cairn` query gives the same answer on the copy. It is idempotent: what the destination holds
    /// already (by identifier) is left as it is, so that copying again copies nothing twice, and
    /// finishes a copy that was interrupted. Each run is imported in one transaction, after its
    /// bytes, so that an interruption never leaves part of a run. Bytes are read through the
    /// ``ArtifactStore`` protocol, checked against their digests, and skipped when the destination's
    /// artifact store holds them already (all of them, when the stacks share one).
    ///
    /// A run still running is skipped, and so is a run that uses outputs of a skipped run: the
    /// report says why, and a later copy takes them once they have ended. A version whose bytes are
    /// missing or changed in the source is copied marked unusable, as a load would have marked it.
    ///
    /// - Parameter destination: The stack to copy into.
    /// - Returns: What was copied, what was there already, and what was skipped and why.
    /// - Throws: ``CairnError/store(_:)`` naming the run or artifact version and the stacks, when a
    ///   run of another identifier has a run's name in the destination, or a version of another
    ///   identifier has a version's number (the destination numbers versions of that name of its
    ///   own). The runs copied before it stay copied; nothing of that run is written.
    public func copyHistory(to destination: Stack) async throws -> HistoryCopyReport {
        var copier = HistoryCopier(source: self, destination: destination, importer: destination.metadata)
        try await copier.copyAll()
        return copier.report
    }
}
