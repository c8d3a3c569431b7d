import Foundation

/// The files of a local artifact folder: `objects/ab/abcdef…` named by digest, and `tmp/` leftovers.
enum ArtifactFiles {
    /// A file with what prune needs to know about it.
    struct File: Encodable {
        var path: String
        /// The digest the file is stored under; `nil` for a temporary file.
        var digest: String?
        var size: Int64
        var modifiedAt: Date
    }

    /// The object files and temporary files in `folder`; other files are not Cairn's and are left out.
    static func list(in folder: URL) -> [File] {
        let manager = FileManager.default
        var files: [File] = []
        func file(_ path: String, digest: String?) -> File? {
            guard let attributes = try? manager.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular
            else { return nil }
            return File(
                path: path, digest: digest, size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                modifiedAt: attributes[.modificationDate] as? Date ?? Date())
        }
        let objects = folder.appending(path: "objects").path
        for prefix in ((try? manager.contentsOfDirectory(atPath: objects)) ?? []).sorted() where isHex(prefix, count: 2) {
            let subfolder = objects + "/" + prefix
            for name in ((try? manager.contentsOfDirectory(atPath: subfolder)) ?? []).sorted()
            where isHex(name, count: 64) && name.hasPrefix(prefix) {
                if let found = file(subfolder + "/" + name, digest: name) { files.append(found) }
            }
        }
        let temporary = folder.appending(path: "tmp").path
        for name in ((try? manager.contentsOfDirectory(atPath: temporary)) ?? []).sorted() {
            if let found = file(temporary + "/" + name, digest: nil) { files.append(found) }
        }
        return files
    }

    /// When the file at `path` was last modified, now.
    static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    private static func isHex(_ text: String, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
