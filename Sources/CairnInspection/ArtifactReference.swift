/// An artifact as people name it, on a command line or in a URL: `NAME`, `NAME:VERSION` or `NAME:latest`.
///
/// Artifact names contain `::` (`training::train::model`), so only a single colon followed by a
/// whole number or `latest` at the end separates a version. A version below 1 (`:0`, `:-1`) is
/// parsed as one, so that the lookup says there is no such version rather than no such artifact.
public struct ArtifactReference: Equatable, Sendable {
    /// The artifact's name.
    public var name: String
    /// The version asked for; `nil` for the latest.
    public var version: Int?

    /// A reference to `version` of the artifact `name`, or to its latest.
    public init(name: String, version: Int? = nil) {
        self.name = name
        self.version = version
    }

    /// Reads `NAME`, `NAME:VERSION` or `NAME:latest`.
    public init(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), colon > text.startIndex,
            text[text.index(before: colon)] != ":"
        else {
            self.init(name: text)
            return
        }
        let name = String(text[..<colon])
        let suffix = text[text.index(after: colon)...]
        if suffix == "latest" {
            self.init(name: name)
        } else if let version = Int(suffix), suffix.allSatisfy(\.isASCII) {
            self.init(name: name, version: version)
        } else {
            self.init(name: text)
        }
    }
}
