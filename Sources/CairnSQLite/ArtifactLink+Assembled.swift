import CairnCore

extension ArtifactLink {
    /// Makes a link from its parts.
    ///
    /// `ArtifactLink` has no public initializer and is not `Decodable`, so a store outside
    /// CairnCore cannot build one by ordinary means. Until CairnCore gives it a public
    /// `init(name:position:artifact:)`, the value is assembled from a struct with the same stored
    /// properties in the same order, which Swift lays out identically (CairnCore is not built for
    /// library evolution, so the layout is fixed at compile time). `unsafeBitCast` traps if the
    /// sizes ever differ, and the read-back check below catches a reordering in debug builds.
    static func assembled(name: String, position: Int, artifact: ArtifactVersionRecord) -> ArtifactLink {
        let link = unsafeBitCast(Layout(name: name, position: position, artifact: artifact), to: ArtifactLink.self)
        assert(
            link.name == name && link.position == position && link.artifact == artifact,
            "ArtifactLink's stored properties changed: update ArtifactLink.Layout")
        return link
    }

    /// `ArtifactLink`'s stored properties, in declaration order.
    private struct Layout {
        var name: String
        var position: Int
        var artifact: ArtifactVersionRecord
    }
}
