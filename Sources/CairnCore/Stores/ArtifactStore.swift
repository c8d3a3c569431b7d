public import Foundation

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

    /// Writes what `write` writes without waiting for the disk: this store's ``load(_:_:)`` reads the
    /// bytes by their digest at once, and ``commit(_:)`` makes them durable.
    ///
    /// A step hands its outputs to its dependents as soon as they are staged, and commits them while
    /// the dependents run. If `write` throws, nothing is staged. A store that cannot stage stores
    /// (the default).
    func stage(_ write: (any ByteWriter) throws -> Void) async throws -> StagedBlob

    /// Makes staged bytes durable and stores them under their digest, as ``store(_:)`` does.
    func commit(_ staged: StagedBlob) async throws

    /// Drops staged bytes that will not be committed.
    func discard(_ staged: StagedBlob) async

    /// Removes what the writes of processes that ended left behind: the staged bytes of a run that
    /// was killed before it committed them. Bytes of processes that still run are kept.
    ///
    /// A run and a resume call it before they start. The default does nothing: a store that cannot
    /// stage leaves nothing behind.
    func removeAbandonedWrites() async

    /// Reads the bytes stored under `digest` through `read`, checking them against the digest.
    ///
    /// Throws ``CairnError/missingArtifact(digest:)`` when the bytes are gone and
    /// ``CairnError/digestMismatch(expected:actual:)`` when they changed.
    func load<T>(_ digest: String, _ read: (any ByteReader) throws -> T) async throws -> T

    /// Whether bytes are stored under `digest`.
    func contains(_ digest: String) async throws -> Bool

    /// The size of the bytes stored under `digest`, or `nil` when there are none: a check that reads
    /// no bytes, which a cache hit makes for each output it reuses.
    func size(of digest: String) async throws -> Int64?

    /// Reads the bytes stored under `digest` whole and says whether they still hash to it.
    ///
    /// `cairn artifact verify` checks a store this way. The default loads the bytes with ``load(_:_:)``.
    func check(_ digest: String) async throws -> ArtifactCondition

    /// Removes the bytes stored under `digest`, if any.
    func delete(_ digest: String) async throws

    /// Every object the store holds, with its size and when it was last written: what
    /// `cairn artifact prune` weighs against the digests the metadata store references.
    func objects() async throws -> [StoredObject]

    /// Removes the bytes stored under `digest` unless they were written at `cutoff` or later, as a
    /// step that stores the same bytes again marks them; says whether it removed them.
    func delete(_ digest: String, ifWrittenBefore cutoff: Date) async throws -> Bool

    /// Where the bytes of `digest` are, for people.
    func location(of digest: String) -> String
}

extension ArtifactStore {
    /// Stores the bytes at once: a store that cannot stage.
    public func stage(_ write: (any ByteWriter) throws -> Void) async throws -> StagedBlob {
        StagedBlob(blob: try await store(write), location: nil)
    }

    /// Does nothing: the bytes were stored when they were staged.
    public func commit(_ staged: StagedBlob) async throws {}

    /// Does nothing: stored bytes stay, as content-addressed bytes may be shared.
    public func discard(_ staged: StagedBlob) async {}

    /// Does nothing: a store that cannot stage leaves no staged bytes behind.
    public func removeAbandonedWrites() async {}

    /// Loads the bytes, reading none of them into a value, which hashes them all.
    public func check(_ digest: String) async throws -> ArtifactCondition {
        do {
            try await load(digest) { _ in }
            return .intact
        } catch CairnError.missingArtifact {
            return .missing
        } catch CairnError.digestMismatch(_, let actual) {
            return .damaged("its bytes hash to \(actual)")
        } catch CairnError.corruptArtifact(let reason) {
            return .damaged(reason)
        }
    }
}

/// An object an artifact store holds.
public struct StoredObject: Sendable, Equatable, Codable {
    /// The digest the bytes are stored under.
    public var digest: String
    /// How many bytes there are.
    public var size: Int64
    /// When the bytes were last written, or stored again.
    public var writtenAt: Date

    /// Describes an object.
    public init(digest: String, size: Int64, writtenAt: Date) {
        self.digest = digest
        self.size = size
        self.writtenAt = writtenAt
    }
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

/// Bytes written to an artifact store but not yet committed.
public struct StagedBlob: Sendable, Equatable {
    /// Their digest and size.
    public var blob: StoredBlob
    /// Where the store keeps them until they are committed, in its own terms; `nil` when they are
    /// stored already.
    public var location: String?

    /// Makes a description of staged bytes.
    public init(blob: StoredBlob, location: String?) {
        self.blob = blob
        self.location = location
    }
}
