public import Foundation

/// Finds the folder where a local stack keeps its records and artifacts.
public enum CairnHome {
    /// The folder to use: `explicit` if given, else `$CAIRN_HOME`, else the nearest `.cairn` folder
    /// in the current folder or above it, else `.cairn` in the current folder.
    public static func resolve(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit, !explicit.isEmpty { return URL(filePath: explicit).standardizedFileURL }
        if let home = environment["CAIRN_HOME"], !home.isEmpty { return URL(filePath: home).standardizedFileURL }
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
