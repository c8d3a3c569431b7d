public import CairnCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LocalArtifactStore {
    /// The files under `objects/`, each named by its digest in the folder of its first two digits;
    /// other files are not the store's and are left out.
    public func objects() async throws -> [StoredObject] {
        let manager = FileManager.default
        let objects = root.appending(path: "objects").path
        var found: [StoredObject] = []
        for prefix in ((try? manager.contentsOfDirectory(atPath: objects)) ?? []).sorted() where Self.isHex(prefix, count: 2) {
            let folder = objects + "/" + prefix
            for name in ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted() where Self.isHex(name, count: 64) && name.hasPrefix(prefix) {
                var status = stat()
                guard stat(folder + "/" + name, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                found.append(StoredObject(digest: name, size: Int64(status.st_size), writtenAt: Self.modificationDate(of: status)))
            }
        }
        return found
    }

    /// Removes the file of `digest` unless it was modified at `cutoff` or later: storing the same
    /// bytes again touches it.
    public func delete(_ digest: String, ifWrittenBefore cutoff: Date) async throws -> Bool {
        var status = stat()
        guard stat(try objectPath(digest), &status) == 0, Self.modificationDate(of: status) < cutoff else { return false }
        try await delete(digest)
        return true
    }

    private static func modificationDate(of status: stat) -> Date {
        #if canImport(Glibc)
            Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
        #else
            Date(timeIntervalSince1970: Double(status.st_mtimespec.tv_sec) + Double(status.st_mtimespec.tv_nsec) / 1e9)
        #endif
    }

    private static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
