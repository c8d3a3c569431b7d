import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started without waiting for it, so that a test can kill it whenever it likes.
///
/// Its output is discarded. The process is reaped (by Foundation) before ``exitStatus()`` returns, so
/// that afterwards its identifier names no process, as after a real crash.
struct BackgroundProcess: Sendable {
    /// The child's process identifier.
    let processIdentifier: Int32
    private let exits: AsyncStream<Int32>

    /// Starts `executable` with `arguments`, and `environment` added to this process's.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let (exits, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        processIdentifier = process.processIdentifier
        self.exits = exits
    }

    /// Sends SIGKILL: the process ends at once, with no chance to record anything.
    func kill() {
        _ = Glibc.kill(processIdentifier, SIGKILL)
    }

    /// Waits, without blocking a thread, until the process has ended and been reaped; returns its
    /// exit status or the signal that ended it.
    func exitStatus() async -> Int32 {
        for await status in exits { return status }
        return -1
    }
}
