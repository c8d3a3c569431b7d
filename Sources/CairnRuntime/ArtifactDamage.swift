import CairnCore

/// What happens when an artifact version's bytes turn out to be missing or changed as they are
/// loaded: every version stored under the same digest is marked unusable, so that the next cache
/// lookup or resume runs its producer again, and the error names the version and the step and run
/// that made it, not only its digest.
enum ArtifactDamage {
    /// Why `error` means the bytes cannot be used, or `nil` when it says something else (a value
    /// that does not decode as the wanted type, a store that cannot be reached).
    static func problem(in error: any Error) -> String? {
        switch error as? CairnError {
        case .missingArtifact: ArtifactCondition.missing.problem
        case .digestMismatch(_, let actual): ArtifactCondition.damaged("its bytes hash to \(actual)").problem
        case .corruptArtifact(let reason): ArtifactCondition.damaged(reason).problem
        default: nil
        }
    }

    /// Marks `version`'s bytes unusable for `problem` and returns the error that names it.
    ///
    /// The marking is best effort: the error is what the caller reports, whether or not it is recorded.
    static func report(_ problem: String, of version: ArtifactVersionRecord, in metadata: any MetadataStore) async -> CairnError {
        try? await metadata.markArtifacts(digest: version.digest, unusableBecause: problem)
        return .unusableArtifact(artifact: version.reference, origin: await origin(of: version, in: metadata), reason: problem)
    }

    /// The step and run that made `version` (`step 'train' of run 'nightly-3'`), if a step did.
    static func origin(of version: ArtifactVersionRecord, in metadata: any MetadataStore) async -> String? {
        guard let producer = version.producerStepRunID,
            let reference = try? await metadata.stepRunReferences(ids: [producer]).first
        else { return nil }
        return "step '\(reference.invocation)' of run '\(reference.runName)'"
    }
}
