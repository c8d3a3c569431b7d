import CairnCore
public import Foundation

/// Finds the folder where a local stack keeps its records and artifacts.
public enum CairnHome {
    /// The folder to use: `explicit` if given, else `$CAIRN_HOME`, else the nearest `.cairn` folder
    /// in the current folder or above it, else `.cairn` in the current folder.
    ///
    /// - Throws: `CairnError.store(_:)` when `explicit` or `$CAIRN_HOME` is set but empty: an empty
    ///   `--store ''` is a mistake, not a request for the default, so it is named rather than
    ///   silently replaced by the nearest store.
    public static func resolve(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let explicit {
            guard !explicit.isEmpty else {
                throw CairnError.store(
                    "the store folder given with --store is empty; give the store's folder, or leave --store out to use $CAIRN_HOME or the nearest .cairn folder")
            }
            return URL(filePath: explicit).standardizedFileURL
        }
        if let home = environment["CAIRN_HOME"] {
            guard !home.isEmpty else {
                throw CairnError.store("$CAIRN_HOME is set but empty; set it to the store's folder, or unset it to use the nearest .cairn folder")
            }
            return URL(filePath: home).standardizedFileURL
        }
        let current = URL(filePath: FileManager.default.currentDirectoryPath)
        var folder = current
        while true {
            let candidate = folder.appending(path: ".cairn")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return current.appending(path: ".cairn")
    }
}
