/// Where artifact bytes are kept, content-addressed by their SHA-256 digest.
///
/// Writes are atomic: a reader never sees a partial artifact, even if the writer crashes. Identical
/// content is stored once.
public protocol ArtifactStore: Sendable {
    /// A description of where the store is, for people (`file:///…/.cairn/artifacts`).
    var location: String { get }

    /// Stores what `write` writes and returns its digest and size.
    ///
    /// If `write` throws, nothing is stored.
    func store(_ write: (any ByteWriter) throws -> Void) async throws -> StoredBlob

    /// Reads the bytes stored under `digest` through `read`, checking them against the digest.
    ///
    /// Throws ``CairnError/missingArtifact(digest:)`` when the bytes are gone and
    /// ``CairnError/digestMismatch(expected:actual:)`` when they changed.
    func load<T>(_ digest: String, _ read: (any ByteReader) throws -> T) async throws -> T

    /// Whether bytes are stored under `digest`.
    func contains(_ digest: String) async throws -> Bool

    /// Removes the bytes stored under `digest`, if any.
    func delete(_ digest: String) async throws

    /// Where the bytes of `digest` are, for people.
    func location(of digest: String) -> String
}

/// The result of storing bytes.
public struct StoredBlob: Sendable, Equatable {
    /// The SHA-256 digest, in lowercase hexadecimal.
    public var digest: String
    /// The number of bytes.
    public var size: Int64

    /// Makes a result.
    public init(digest: String, size: Int64) {
        self.digest = digest
        self.size = size
    }
}
