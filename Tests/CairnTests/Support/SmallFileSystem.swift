import Foundation

/// A memory file system of a few megabytes, mounted for one test: a disk that fills up.
///
/// Mounting needs root (or `CAP_SYS_ADMIN`); where it is refused, the tests that need one are
/// skipped, and say why.
enum SmallFileSystem {
    /// Whether this process may mount one: tried once, with a probe mounted and unmounted at once.
    static let isAvailable: Bool = {
        guard let probe = try? mount(megabytes: 1) else { return false }
        unmount(probe)
        return true
    }()

    /// Mounts a tmpfs of `megabytes` on a fresh temporary folder and returns the folder.
    static func mount(megabytes: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-small-fs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", folder.path]) == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: folder.path])
        }
        return folder
    }

    /// Unmounts `folder` and removes it.
    static func unmount(_ folder: URL) {
        _ = run("/bin/umount", [folder.path])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs a short system command to its end and returns its exit status.
    private static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
