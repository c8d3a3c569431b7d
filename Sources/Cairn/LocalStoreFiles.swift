import CairnCore
public import Foundation

/// Where a local store keeps its files, and the checks made on them before the store is opened.
///
/// A store folder holds `metadata.sqlite` (with its `-wal` and `-shm` files) and `artifacts/`,
/// whose `objects/` hold the artifacts' bytes.
public enum LocalStoreFiles {
    /// The path of the metadata file in the store folder `home`.
    public static func metadataPath(in home: URL) -> String {
        home.appending(path: "metadata.sqlite").path
    }

    /// The artifact folder in the store folder `home`.
    public static func artifactsFolder(in home: URL) -> URL {
        home.appending(path: "artifacts")
    }

    /// Refuses a store folder that is a file, and a store whose records are lost: a metadata file
    /// missing or empty (`: > metadata.sqlite`) while its artifact folder holds objects.
    ///
    /// Opening such a store would start a new, empty one over the old objects, which would then
    /// stay orphaned; so the error says what was found and how to recover.
    ///
    /// - Throws: `CairnError.store(_:)`.
    public static func refuseUnusable(_ home: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: home.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw CairnError.store("\(home.path) is a file, not a store folder; give a folder (a new one is created) or an existing store")
        }
        try refuseLostRecords(metadataPath: metadataPath(in: home), artifactsFolder: artifactsFolder(in: home))
    }

    /// Refuses an SQLite metadata file that is missing or empty while the artifact folder that goes
    /// with it holds objects: the records of those objects are lost.
    ///
    /// - Throws: `CairnError.store(_:)`, saying what was found and how to recover.
    public static func refuseLostRecords(metadataPath path: String, artifactsFolder: URL) throws {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
        guard size == nil || size == 0 else { return }
        let objects = objectCount(in: artifactsFolder.appending(path: "objects"))
        guard objects > 0 else { return }
        throw CairnError.store(
            "the records of \(artifactsFolder.path) are lost: the metadata file \(path) \(size == nil ? "is missing" : "is empty"), "
                + "while the artifact folder holds \(objects) object\(objects == 1 ? "" : "s"). Restore the metadata file "
                + "(with its -wal and -shm files) from a backup; or, to start a new store there, move "
                + "\(artifactsFolder.path) away first")
    }

    /// How many files `objects/` holds, in its two-digit folders.
    private static func objectCount(in objects: URL) -> Int {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: objects.path)) ?? []
        return folders.reduce(0) { count, folder in
            count + ((try? FileManager.default.contentsOfDirectory(atPath: objects.appending(path: folder).path))?.count ?? 0)
        }
    }
}
