import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Disk space a store holds back, in a file of its own, for the records that must be written when
/// the disk is full: the end of a run.
///
/// On a full disk SQLite cannot grow its WAL file, so no write can be made; deleting the reserve
/// gives it room for the few pages a run's end takes. Opening a store to write makes the reserve
/// again when it is missing.
enum SpaceReserve {
    /// How much space the reserve holds: 1 MiB, room for the WAL frames of many runs' ends.
    static let size = 1_048_576

    /// Makes the reserve file at `path` when it is missing. A disk too full for it goes without,
    /// silently: the reserve is a precaution, never a reason to fail.
    static func hold(at path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }  // it exists already, or the folder refuses it
        defer { close(descriptor) }
        let zeros = [UInt8](repeating: 0, count: 65_536)
        var written = 0
        while written < size {
            let count = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                unlink(path)
                return
            }
            written += count
        }
    }

    /// Deletes the reserve file at `path`, giving its space to the next write.
    static func free(at path: String) {
        unlink(path)
    }
}
