public import CairnCore
import Crypto
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An artifact store in a local folder, content-addressed by SHA-256.
///
/// Bytes live at `objects/<first two digits>/<digest>`. A write goes to a temporary file under `tmp/`
/// in the same folder, is flushed to disk with `fsync`, and is then renamed into place, so a crash at
/// any moment leaves either no artifact or the whole artifact, never a partial one. Identical content
/// is stored once: writing it again replaces the file, which repairs one damaged on disk. Staged
/// bytes are read from their temporary file until they are committed.
public struct LocalArtifactStore: ArtifactStore {
    /// The store's folder.
    public let root: URL
    /// The paths of `objects/` and `tmp/`, each ending with `/`: every artifact written or read
    /// needs one, and building it from `root`, a `URL`, cost more than the system calls it serves.
    private let objectsPath: String
    private let temporaryPath: String
    /// Staged, uncommitted bytes, by digest; shared by the store's copies.
    private let staged = Locked<[String: [StagedFile]]>([:])

    /// Opens (creating if needed) the store in `root`.
    public init(root: URL) throws {
        self.root = root
        for folder in ["objects", "tmp"] {
            try FileManager.default.createDirectory(at: root.appending(path: folder), withIntermediateDirectories: true)
        }
        objectsPath = root.appending(path: "objects").path + "/"
        temporaryPath = root.appending(path: "tmp").path + "/"
    }

    /// The folder's `file://` URL.
    public var location: String { root.absoluteString }

    /// The path of the file that holds the bytes of `digest`.
    public func location(of digest: String) -> String {
        (try? objectPath(digest)) ?? digest
    }

    /// Writes the bytes to a temporary file, flushes it and renames it into `objects/`.
    public func store(_ write: (any ByteWriter) throws -> Void) async throws -> StoredBlob {
        let staged = try await stage(write)
        try await commit(staged)
        return staged.blob
    }

    /// Writes the bytes to a temporary file under `tmp/`, or keeps them in memory when they are
    /// small; ``load(_:_:)`` reads them from there until the commit moves them into place.
    public func stage(_ write: (any ByteWriter) throws -> Void) async throws -> StagedBlob {
        let temporary = temporaryPath + Self.temporaryName(processID: getpid())
        let writer = HashingFileWriter(path: temporary)
        let contents: Data?
        do {
            try write(writer)
            contents = try writer.finish()
        } catch {
            writer.abandon()
            unlink(temporary)
            throw error
        }
        staged.withLock { $0[writer.digest, default: []].append(StagedFile(path: temporary, writer: writer, contents: contents)) }
        return StagedBlob(blob: StoredBlob(digest: writer.digest, size: writer.size), location: temporary)
    }

    /// Writes the staged bytes to their temporary file if they are in memory, flushes it to disk and
    /// renames it into place.
    public func commit(_ staged: StagedBlob) async throws {
        guard let temporary = staged.location,
            let file = self.staged.withLock({ $0.file(at: temporary, of: staged.blob.digest) })
        else { return }
        do {
            let writer = file.writer
            try await BlockingIO.run(spreadBy: temporary) { try writer.persist() }
        } catch {
            await discard(staged)
            throw error
        }
        let destination = try objectPath(staged.blob.digest)
        // Under the lock, so that a reader finds the bytes either at the temporary path, which it
        // opens under the same lock, or in place.
        try self.staged.withLock { pending in
            defer { pending.remove(temporary, of: staged.blob.digest) }
            // Identical bytes may be stored already. The new file replaces them all the same, in one
            // atomic rename: the old file may have been truncated or changed on disk, and a write that
            // kept it would record new versions on top of bytes that no longer hash to their digest.
            // The new file is also just written, so `cairn artifact prune`, which spares recent files,
            // cannot remove it before this write is recorded.
            // `objects/` exists from `init`; only the two-digit folder may be missing, and it is
            // made only when the rename finds it missing.
            guard rename(temporary, destination) == 0
                || (errno == ENOENT && (mkdir((destination as NSString).deletingLastPathComponent, 0o755) == 0 || errno == EEXIST)
                    && rename(temporary, destination) == 0)
            else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw CairnError.store("could not move the artifact into \(destination): \(reason)")
            }
        }
    }

    /// Removes the temporary file of staged bytes.
    public func discard(_ staged: StagedBlob) async {
        guard let temporary = staged.location else { return }
        self.staged.withLock { pending in
            pending.file(at: temporary, of: staged.blob.digest)?.writer.abandon()
            pending.remove(temporary, of: staged.blob.digest)
            unlink(temporary)
        }
    }

    /// The name of a new temporary file of the process `processID` on this host:
    /// `<host tag>.<process ID>.<random identifier>`, so that ``removeAbandonedWrites()`` can tell
    /// whose it is.
    static func temporaryName(processID: Int32) -> String {
        "\(hostTag).\(processID).\(RandomIdentifier.make())"
    }

    /// The first 8 hexadecimal digits of the SHA-256 of this host's name: a folder shared by several
    /// hosts holds temporary files whose process identifiers mean nothing here.
    private static let hostTag = String(SHA256.hash(data: Data(ProcessInfo.processInfo.hostName.utf8)).hexString.prefix(8))

    /// Removes the temporary files under `tmp/` of processes of this host that no longer exist: the
    /// staged bytes of killed runs and steps. Those of live processes, of other hosts, and files
    /// named otherwise (by older versions, which `cairn artifact prune` removes once they are an
    /// hour old) are kept. A process that ended and is not reaped yet runs nothing: its files go too.
    public func removeAbandonedWrites() async {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporaryPath) else { return }
        for name in names {
            let parts = name.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, parts[0] == Self.hostTag, let processID = Int32(parts[1]), processID != getpid(),
                ProcessLiveness.of(processID) == .gone
            else { continue }
            unlink(temporaryPath + name)
        }
    }

    /// Reads the bytes of `digest`, staged or stored, checking them against the digest.
    public func load<T>(_ digest: String, _ read: (any ByteReader) throws -> T) async throws -> T {
        let path = try objectPath(digest)
        // A staged file is opened under the lock, so that the commit cannot move it meanwhile.
        let (contents, stagedReader) = try staged.withLock { pending -> (Data?, HashingFileReader?) in
            guard let file = pending[digest]?.first else { return (nil, nil) }
            return (file.contents, file.contents == nil ? try HashingFileReader(path: file.path, digest: digest) : nil)
        }
        if let contents { return try read(DataReader(contents)) }
        let reader = try stagedReader ?? HashingFileReader(path: path, digest: digest)
        let value: T
        do {
            value = try read(reader)
        } catch {
            // Bytes that do not decode may have been changed on disk: then say that, not how they
            // fail to decode.
            do {
                try reader.verify()
            } catch CairnError.digestMismatch(let expected, let actual) {
                throw CairnError.digestMismatch(expected: expected, actual: actual)
            } catch {}
            throw error
        }
        try reader.verify()
        return value
    }

    /// Whether the file for `digest` exists.
    public func contains(_ digest: String) async throws -> Bool {
        access(try objectPath(digest), F_OK) == 0
    }

    /// The size of the file for `digest`, or `nil` if there is none.
    public func size(of digest: String) async throws -> Int64? {
        var status = stat()
        guard stat(try objectPath(digest), &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// Removes the file for `digest`, if there is one.
    public func delete(_ digest: String) async throws {
        let path = try objectPath(digest)
        if unlink(path) != 0, errno != ENOENT {
            throw CairnError.store("could not delete \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The path of the bytes for `digest`; a digest that is not 64 hexadecimal digits is refused,
    /// so no digest can point outside the store.
    func objectPath(_ digest: String) throws -> String {
        guard digest.utf8.count == 64, digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw CairnError.invalidName(kind: "artifact digest", name: digest, reason: "a digest is 64 lowercase hexadecimal digits")
        }
        return objectsPath + digest.prefix(2) + "/" + digest
    }
}

/// Staged bytes: the temporary file they are committed through, and, when they are small, the bytes
/// themselves, which stay in memory until the commit writes them.
///
/// The writer is finished when it is staged; only the commit or the discard of these bytes uses it again.
private struct StagedFile {
    let path: String
    let writer: HashingFileWriter
    let contents: Data?
}

extension [String: [StagedFile]] {
    /// The staged file at `path`, of `digest`.
    fileprivate func file(at path: String, of digest: String) -> StagedFile? {
        self[digest]?.first { $0.path == path }
    }

    /// Forgets the staged file at `path`, of `digest`.
    fileprivate mutating func remove(_ path: String, of digest: String) {
        guard var files = self[digest] else { return }
        files.removeAll { $0.path == path }
        self[digest] = files.isEmpty ? nil : files
    }
}
