import CairnFixturePipelines
import Foundation

/// Runs a program to its end without blocking Swift's cooperative threads (see ``OwnThread``).
enum ChildProcess {
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await OwnThread.run {
            let process = Process()
            process.executableURL = URL(filePath: executable)
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }
}
