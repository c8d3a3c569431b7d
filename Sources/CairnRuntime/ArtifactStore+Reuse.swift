import CairnCore

extension ArtifactStore {
    /// Whether recorded artifact versions can be reused without running their producer again, as a
    /// cache hit or a resume reuses them: none is marked unusable, and each one's bytes are stored
    /// with its recorded size.
    ///
    /// No bytes are read: bytes changed in place, at the same size, are found when a step loads them,
    /// which marks the version unusable for the next run.
    func canReuse(_ versions: some Sequence<ArtifactVersionRecord>) async -> Bool {
        for version in versions {
            guard version.isUsable, (try? await size(of: version.digest)) == version.size else { return false }
        }
        return true
    }
}
