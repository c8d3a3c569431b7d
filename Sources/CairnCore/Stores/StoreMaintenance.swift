/// Keeping a store tidy: what pruning must keep, and deleting runs.
public protocol StoreMaintenance: Sendable {
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
