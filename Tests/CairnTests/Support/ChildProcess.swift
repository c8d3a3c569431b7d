import CairnFixturePipelines
import CairnCore
import Foundation

/// Runs a program to its end without blocking Swift's cooperative threads (see ``OwnThread``).
enum ChildProcess {
    /// Runs `executable` with `arguments`, and `environment` added to this process's; returns its
    /// exit status and what it printed on standard output and error.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(filePath: executable)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readAllBytes(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }
}
