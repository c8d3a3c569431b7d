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
/// is stored once.
public struct LocalArtifactStore: ArtifactStore {
    /// The store's folder.
    public let root: URL
    /// The paths of `objects/` and `tmp/`, each ending with `/`: every artifact written or read
    /// needs one, and building it from `root`, a `URL`, cost more than the system calls it serves.
    private let objectsPath: String
    private let temporaryPath: String

    /// Opens (creating if needed) the store in `root`.
    public init(root: URL) throws {
        self.root = root
        for folder in ["objects", "tmp"] {
            try FileManager.default.createDirectory(at: root.appending(path: folder), withIntermediateDirectories: true)
        }
        objectsPath = root.appending(path: "objects").path + "/"
        temporaryPath = root.appending(path: "tmp").path + "/"
    }

    public var location: String { root.absoluteString }

    public func location(of digest: String) -> String {
        (try? objectPath(digest)) ?? digest
    }

    public func store(_ write: (any ByteWriter) throws -> Void) async throws -> StoredBlob {
        let temporary = temporaryPath + RandomIdentifier.make()
        let writer = try HashingFileWriter(path: temporary)
        do {
            try write(writer)
            try writer.finish()
        } catch {
            writer.abandon()
            unlink(temporary)
            throw error
        }
        let digest = writer.digest
        let destination = try objectPath(digest)
        // Identical bytes are stored already: keep them, marked as just written, so that
        // `cairn artifact prune`, which spares recent files, cannot remove them before this write
        // is recorded. If they vanished meanwhile, the new file takes their place.
        if access(destination, F_OK) == 0, utimes(destination, nil) == 0 {
            unlink(temporary)
        } else {
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
        return StoredBlob(digest: digest, size: writer.size)
    }

    public func load<T>(_ digest: String, _ read: (any ByteReader) throws -> T) async throws -> T {
        let reader = try HashingFileReader(path: try objectPath(digest), digest: digest)
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

    public func contains(_ digest: String) async throws -> Bool {
        access(try objectPath(digest), F_OK) == 0
    }

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
