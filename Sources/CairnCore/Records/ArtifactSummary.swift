/// One artifact name with its number of versions and its latest version, for listings.
public struct ArtifactSummary: Codable, Sendable, Equatable {
    /// The artifact's name (`training::train::output`).
    public var name: String
    /// How many versions it has.
    public var versionCount: Int
    /// Its highest-numbered version.
    public var latest: ArtifactVersionRecord

    /// Makes a summary.
    public init(name: String, versionCount: Int, latest: ArtifactVersionRecord) {
        self.name = name
        self.versionCount = versionCount
        self.latest = latest
    }
}
